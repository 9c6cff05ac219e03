/* Participant phone page: plain JavaScript modules, no framework, no build step, nothing
 * fetched from outside.  Talks to the JSON API described in docs/phone-api.md.
 *
 *   main.js     wires the modules together and to the page's forms and buttons
 *   follow.js   join and the long-poll (who the phone is)   outbox.js  the answer on its way
 *   render.js   the exercise screen                          screen.js  screens, status, banner
 *   api.js      fetch with timeout, retry delays             token.js   what is stored, per code
 *   typed.js    words as typed   ids.js  every element id    texts.js   texts the server does not send
 *   controls.js the controls, one module per question kind (../controls/<kind>.js)
 *
 * Safety: every text that comes from the server or from the participant is put on the page
 * with textContent / createElement only.  Never innerHTML.
 */

import { onServerReached } from './api.js';
import { byId } from './dom.js';
import * as follow from './follow.js';
import { PAGE } from './ids.js';
import * as outbox from './outbox.js';
import { askForPause } from './pause.js';
import * as render from './render.js';
import { connectionShown, setConnection, setStatus, setTitle, show } from './screen.js';
import { TEXT } from './texts.js';
import { forgetTyped } from './typed.js';
import { normalizeCode, str } from './values.js';

function applyLive(data) {
  if (!data || typeof data !== 'object') { return; }
  const status = data.status;
  setTitle(data.title);
  if (status === 'ended') {
    showEnded();
  } else if (status === 'live' && data.step && data.step.exercise) {
    render.renderStep(data.step, data.answer || null, follow.identity().code);
    render.renderGroup(data.group || null);
  } else {
    showWaiting();
  }
}

function showWaiting() {
  if (render.clearStep()) {
    outbox.drop();
    setStatus('');
  }
  show(PAGE.waiting);
}

function showEnded() {
  const code = follow.identity().code;
  if (code) { forgetTyped(code); }
  follow.stop();
  outbox.drop();
  setConnection('');
  setStatus('');
  show(PAGE.ended);
}

/** The phone is back (visible, online, focused): ask for the state and send what waits. */
function repollNow() {
  follow.repollNow();
  outbox.retryNow();
}

follow.connect({ onLive: applyLive, onEnded: showEnded, onRejoined: outbox.flush });
outbox.connect({ onEnded: showEnded, refresh: repollNow });
render.connect({ busy: outbox.isSending, submit: outbox.send, newStep: outbox.reset });

/** The server answered (any request): the banner goes, and what waited for it goes now. */
onServerReached(() => {
  if (connectionShown()) { setConnection(''); }
  follow.serverReached();
  outbox.serverReached();
});

function init() {
  byId(PAGE.joinForm).addEventListener('submit', (e) => {
    e.preventDefault();
    const code = normalizeCode(byId(PAGE.codeInput).value);
    if (!code) {
      setStatus(TEXT.typeCode, 'error');
      byId(PAGE.codeInput).focus();
      return;
    }
    setStatus('');
    follow.join(code, false);
  });
  byId(PAGE.roomCodeForm).addEventListener('submit', (e) => {
    e.preventDefault();
    const typed = str(byId(PAGE.roomCodeInput).value).replace(/\s+/g, '');
    if (!/^[0-9]{4}$/.test(typed)) {
      setStatus(TEXT.typeRoomCode, 'error');
      byId(PAGE.roomCodeInput).focus();
      return;
    }
    setStatus('');
    follow.joinWithRoomCode(typed);
  });
  byId(PAGE.codeInput).addEventListener('input', () => {
    const input = byId(PAGE.codeInput);
    const pos = input.selectionStart;
    const up = input.value.toUpperCase();
    if (up !== input.value) {
      input.value = up;
      try { input.setSelectionRange(pos, pos); } catch (e) { /* ignore */ }
    }
  });
  byId(PAGE.startButton).addEventListener('click', follow.welcome);
  byId(PAGE.submitButton).addEventListener('click', () => outbox.send(false));
  byId(PAGE.passButton).addEventListener('click', () => outbox.send(true));
  byId(PAGE.pauseButton).addEventListener('click', askForPause);

  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') { repollNow(); }
  });
  window.addEventListener('online', repollNow);
  window.addEventListener('pageshow', (e) => { if (e.persisted) { repollNow(); } });
  window.addEventListener('focus', () => {
    if (follow.pollHasFailed()) { repollNow(); }
  });

  let params;
  try { params = new URLSearchParams(window.location.search); } catch (e) { params = null; }
  const code = normalizeCode(params ? params.get('code') : '');
  if (code) {
    follow.join(code, false);
  } else {
    follow.showJoinForm('');
  }
}

if (document.readyState === 'loading') {
  document.addEventListener('DOMContentLoaded', init);
} else {
  init();
}
