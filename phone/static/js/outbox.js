/* The answer on its way: POST /api/answer, kept as `pending` until the server says it is
 * stored, and sent again after a lost connection, a re-join (a refused token) or a busy
 * server.  An answer the server refuses for good (closed, not live, invalid) is dropped.
 */

import { backoff, requestJSON } from './api.js';
import * as follow from './follow.js';
import * as render from './render.js';
import { setStatus } from './screen.js';
import { TEXT } from './texts.js';
import { rememberTyped, TYPED_KINDS } from './typed.js';

const SEND_TIMEOUT_MS = 15000;

let pending = null;      // {key, body, isPass, value, type, code}
let sending = false;
let sendTimer = null;
let offline = false;     // the last send did not reach the server
let failures = 0;

let hooks = {
  onEnded() {},   // the server says the session has ended
  refresh() {}    // the step is not what the page shows: ask the server now
};

export function connect(given) { hooks = Object.assign({}, hooks, given); }

export function isSending() { return sending; }

/** Another step (or none) is on the page: an answer for the old one is not sent. */
export function drop() { pending = null; }

/** A new step is on the page: start afresh. */
export function reset() {
  pending = null;
  failures = 0;
  clearTimeout(sendTimer);
}

/** Send the control's value (or a pass) for the step on the page. */
export function send(isPass) {
  const step = render.current();
  if (sending || !step || !step.open) { return; }
  const who = follow.identity();
  const body = { code: who.code, token: who.token, step: step.index };
  let value;
  if (isPass) {
    body.pass = true;
  } else {
    value = step.value;
    if (value === undefined) { return; }
    body.value = value;
  }
  pending = { key: step.key, body: body, isPass: !!isPass, value: value, type: step.type, code: who.code };
  failures = 0;
  flush();
}

/** The server answered another request: an answer waiting for the connection goes now. */
export function serverReached() {
  if (pending && !sending && offline && follow.identity().token) {
    offline = false;
    setTimeout(flush, 0);
  }
}

/** The phone is back: try a waiting answer at once. */
export function retryNow() {
  if (pending && !sending) {
    failures = 0;
    flush();
  }
}

export function flush() {
  clearTimeout(sendTimer);
  if (!pending || sending) { return; }
  const p = pending;
  p.body.token = follow.identity().token;   // a re-join may have changed it
  sending = true;
  offline = false;
  render.updateButtons();
  setStatus(TEXT.sending, 'info');
  requestJSON('POST', '/api/answer', p.body, { timeout: SEND_TIMEOUT_MS })
    .then((res) => {
      sending = false;
      if (res.ok) {
        stored(p, res.data);
      } else {
        refused(p, res);
      }
      render.updateButtons();
    }, () => {
      sending = false;
      offline = true;
      if (!pending) { pending = p; }
      failures += 1;
      if (render.isCurrent(p.key)) { setStatus(TEXT.offlinePending, 'error'); }
      sendTimer = setTimeout(flush, backoff(failures));
      render.updateButtons();
    });
}

function stored(p, data) {
  failures = 0;
  if (pending === p) { pending = null; }
  if (TYPED_KINDS[p.type]) { rememberTyped(p.code, p.key, p.isPass ? undefined : p.value); }
  if (render.isCurrent(p.key)) {
    render.showSent(p);
    // The server's sentence for a pass says passing is fine; an answer
    // always gets the same confirmation.
    setStatus(p.isPass ? (typeof data.message === 'string' && data.message ? data.message : TEXT.passConfirmation)
      : TEXT.confirmation, 'ok');
  }
}

function refused(p, res) {
  const data = res.data;
  const current = render.isCurrent(p.key);
  const reason = data.reason || '';
  const message = data.error || TEXT.notSent;
  if (res.status === 403 || reason === 'unknown_token') {
    // identity lost (e.g. server restart): re-join, then the pending answer is sent again
    failures += 1;
    if (failures > 3) {
      pending = null;
      setStatus(message, 'error');
    } else {
      follow.rejoin();
    }
  } else if (res.status >= 500 || res.status === 429) {
    failures += 1;
    setStatus(message, 'error');
    sendTimer = setTimeout(flush, res.status === 429 ? 5000 : backoff(failures));
  } else {
    if (pending === p) { pending = null; }
    if (current) { setStatus(message, 'error'); }
    if (reason === 'closed' && current) { render.close(); }
    if (res.status === 410 || reason === 'ended') {
      hooks.onEnded();
    } else if (reason === 'not_live' || reason === 'closed') {
      hooks.refresh();
    }
  }
}
