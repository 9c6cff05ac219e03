/* The page around the exercise: which screen is shown, the status line under it, the
 * connection banner and the title.  Texts go in with textContent only.
 */

import { byId } from './dom.js';
import { PAGE, SCREENS } from './ids.js';
import { str } from './values.js';

export function show(name) {
  SCREENS.forEach((id) => {
    const node = byId(id);
    if (node) { node.hidden = (id !== name); }
  });
  document.body.setAttribute('data-screen', name);
  byId(PAGE.pauseArea).hidden = !(name === PAGE.waiting || name === PAGE.exercise);
}

export function currentScreen() {
  return document.body.getAttribute('data-screen') || '';
}

/** The status line; `kind` is 'ok', 'error', 'info' or nothing. */
export function setStatus(text, kind) {
  const node = byId(PAGE.statusMessage);
  node.textContent = str(text);
  node.className = 'status-message' + (kind ? ' is-' + kind : '');
  if (text && currentScreen() === PAGE.exercise) {
    // keep the message near the Send button in view
    const r = node.getBoundingClientRect();
    if (r.bottom > window.innerHeight && node.scrollIntoView) {
      node.scrollIntoView({ block: 'nearest' });
    }
  }
}

/** The banner at the top while the server cannot be reached ('' takes it away). */
export function setConnection(text) {
  const node = byId(PAGE.connectionStatus);
  node.textContent = str(text);
  node.hidden = !text;
}

export function connectionShown() { return !byId(PAGE.connectionStatus).hidden; }

export function setTitle(title) {
  if (!title) { return; }
  byId(PAGE.sessionTitle).textContent = String(title);
  document.title = String(title);
}

/** Focus an input once the screen that holds it is shown. */
export function focusSoon(input) {
  setTimeout(() => { try { input.focus(); } catch (e) { /* ignore */ } }, 0);
}
