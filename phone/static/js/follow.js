/* Joining the session and following it: POST /api/join (with the stored token, the admission
 * ticket, the room code when asked), then the long-poll GET /api/live, with the reconnect
 * rules of docs/phone-api.md.  This module owns who the phone is (code, token) and the poll's
 * state; what a live view shows is main.js's business (the `onLive` hook).
 */

import { backoff, reconnectDelay, requestJSON } from './api.js';
import { byId } from './dom.js';
import { PAGE } from './ids.js';
import { currentScreen, focusSoon, setConnection, setStatus, setTitle, show } from './screen.js';
import { TEXT } from './texts.js';
import { ticket, token as storedToken, welcomed } from './token.js';
import { normalizeCode } from './values.js';

const POLL_TIMEOUT_MS = 40000;   // the server answers within 25 s
const SEND_TIMEOUT_MS = 15000;
const ADMISSION_POLL_MS = 3000;  // a waiting phone asks again this often (the server forgets one silent for 30 s)

let code = '';
let token = '';
let following = false;
let stopped = false;
let version = null;
let pollController = null;
let pollTimer = null;
let pollFailures = 0;
let pollProbe = false;   // the next poll asks for the state at once (after a failure)
let joinTimer = null;
let joinFailures = 0;
let joining = false;

let hooks = {
  onLive() {},     // (data): a live view arrived
  onEnded() {},    // the session has ended
  onRejoined() {}  // a silent re-join got a token: a pending answer can go
};

export function connect(given) { hooks = Object.assign({}, hooks, given); }

/** Who this phone is in which session ('' before joining). */
export function identity() { return { code: code, token: token }; }

export function pollHasFailed() { return pollFailures > 0; }

// ------------------------------------------------------------------- join

export function showJoinForm(prefill) {
  following = false;
  stopPolling();
  show(PAGE.join);
  const input = byId(PAGE.codeInput);
  if (prefill) { input.value = prefill; }
  focusSoon(input);
}

function rememberCodeInUrl(joined) {
  try {
    const params = new URLSearchParams(window.location.search);
    if (params.get('code') !== joined) {
      params.set('code', joined);
      window.history.replaceState(null, '', window.location.pathname + '?' + params.toString());
    }
  } catch (e) { /* not essential */ }
}

function showRoomCodeForm(error) {
  following = false;
  stopPolling();
  show(PAGE.roomCode);
  const input = byId(PAGE.roomCodeInput);
  input.value = '';
  setStatus(error || '', error ? 'error' : '');
  focusSoon(input);
}

/** The group is at its expected size: wait, asking again with the ticket, until let in. */
function waitForAdmission(asked, data, silent) {
  ticket.set(asked, String(data.ticket));
  setTitle(data.title);
  if (data.message) { byId(PAGE.admissionMessage).textContent = String(data.message); }
  if (currentScreen() !== PAGE.admission) { setStatus(''); }
  show(PAGE.admission);
  joinTimer = setTimeout(() => { join(asked, silent); }, ADMISSION_POLL_MS);
}

function joinButtonsDisabled(disabled) {
  byId(PAGE.joinButton).disabled = disabled;
  byId(PAGE.roomCodeButton).disabled = disabled;
}

/** Join (or re-join) the session.  `silent` re-joins without changing screens.
 *  `roomCode` is what the participant typed, when the session asks for one. */
export function join(asked, silent, roomCode) {
  code = asked;
  clearTimeout(joinTimer);
  if (joining) { return; }
  joining = true;
  if (!silent && currentScreen() !== PAGE.admission) {
    show(PAGE.loading);
  }
  joinButtonsDisabled(true);
  const known = storedToken.get(asked);
  const body = { code: asked, token: known || null, ticket: ticket.get(asked) || null };
  if (roomCode) { body.room_code = roomCode; }
  requestJSON('POST', '/api/join', body, { timeout: SEND_TIMEOUT_MS })
    .then((res) => {
      joining = false;
      joinButtonsDisabled(false);
      const data = res.data;
      if (res.status === 202 && data.waiting && data.ticket) {
        joinFailures = 0;
        setConnection('');
        waitForAdmission(asked, data, silent);
        return;
      }
      if (res.ok && data.token) {
        joinFailures = 0;
        setConnection('');
        ticket.remove(asked);
        token = String(data.token);
        code = normalizeCode(data.code || asked) || asked;
        storedToken.set(code, token);
        setTitle(data.title);
        rememberCodeInUrl(code);
        if (silent) {
          if (following) { pollSoon(0); }
          hooks.onRejoined();
          return;
        }
        setStatus('');
        if (welcomed.get(code)) {
          start();
        } else {
          show(PAGE.welcome);
        }
        return;
      }
      const reason = data.reason || '';
      if (reason === 'room_code_needed' || reason === 'room_code_wrong') {
        showRoomCodeForm(reason === 'room_code_wrong' ? data.error : '');
      } else if (reason === 'refused') {
        ticket.remove(asked);
        setStatus(data.error, 'error');
        showJoinForm(asked);
      } else if (res.status === 404 || reason === 'unknown_session') {
        storedToken.remove(asked);
        setStatus(TEXT.unknownSession, 'error');
        showJoinForm(asked);
      } else if (res.status === 410 || reason === 'ended') {
        setStatus(TEXT.ended, 'error');
        showJoinForm(asked);
      } else if (res.status === 403 && known) {
        // the token is not valid for this session: forget it and ask for a new one
        storedToken.remove(asked);
        join(asked, silent);
      } else if (res.status === 400) {
        setStatus(data.error || TEXT.unknownSession, 'error');
        showJoinForm(asked);
      } else {
        // 429, 5xx: try again a little later
        joinFailures += 1;
        if (data.error) { setStatus(data.error, 'error'); }
        setConnection(TEXT.reconnecting);
        joinTimer = setTimeout(() => { join(asked, silent); },
          res.status === 429 ? 5000 : reconnectDelay(joinFailures));
      }
    }, () => {
      joining = false;
      joinButtonsDisabled(false);
      joinFailures += 1;
      setConnection(TEXT.reconnecting);
      joinTimer = setTimeout(() => { join(asked, silent); }, reconnectDelay(joinFailures));
    });
}

/** Re-join the session this phone is in without changing screens (its token was refused). */
export function rejoin() { join(code, true); }

/** Join again with the room code the participant typed. */
export function joinWithRoomCode(roomCode) { join(code, false, roomCode); }

/** The participant is ready: the welcome screen is not shown again in this tab. */
export function welcome() {
  welcomed.set(code, '1');
  start();
}

// --------------------------------------------------------------- long-poll

export function start() {
  following = true;
  stopped = false;
  if (currentScreen() !== PAGE.exercise && currentScreen() !== PAGE.waiting) { show(PAGE.loading); }
  pollSoon(0);
}

/** The session ended: no more polls. */
export function stop() {
  stopped = true;
  following = false;
  stopPolling();
}

function stopPolling() {
  clearTimeout(pollTimer);
  pollTimer = null;
  if (pollController) {
    const c = pollController;
    pollController = null;
    try { c.abort(); } catch (e) { /* ignore */ }
  }
}

function pollSoon(delay) {
  clearTimeout(pollTimer);
  pollTimer = setTimeout(poll, delay || 0);
}

function poll() {
  if (!following || stopped || !token) { return; }
  stopPolling();
  const controller = window.AbortController ? new AbortController() : null;
  pollController = controller;
  // After a failure, ask without `since`: the server answers at once, so the
  // banner goes as soon as it is back instead of after a 25 s park.
  const parks = version !== null && !pollProbe;
  const url = '/api/live?code=' + encodeURIComponent(code) +
    '&token=' + encodeURIComponent(token) +
    (parks ? '&since=' + encodeURIComponent(version) : '');
  const started = Date.now();
  const sinceAtStart = version;
  requestJSON('GET', url, undefined, { controller: controller, timeout: POLL_TIMEOUT_MS })
    .then((res) => {
      if (controller !== pollController) { return; }   // superseded
      pollController = null;
      if (res.ok) {
        pollFailures = 0;
        pollProbe = false;
        setConnection('');
        if (res.data.version !== undefined) { version = res.data.version; }
        hooks.onLive(res.data);
        if (following && !stopped) {
          const quick = (Date.now() - started) < 500;
          const same = res.data.version === sinceAtStart;
          // guard against a server that answers at once without change
          pollSoon(parks && quick && same ? 1000 : 0);
        }
        return;
      }
      pollRefused(res);
    }, () => {
      if (controller && controller !== pollController) { return; }  // aborted on purpose
      pollController = null;
      if (controller && controller.timedOut) {
        pollSoon(0);   // a stale connection: ask again at once
        return;
      }
      pollFailed();
    });
}

function pollFailed() {
  pollFailures += 1;
  pollProbe = true;
  setConnection(TEXT.reconnecting);
  pollSoon(reconnectDelay(pollFailures));
}

function pollRefused(res) {
  const reason = res.data.reason || '';
  if (res.status === 403 || reason === 'unknown_token') {
    pollFailures += 1;
    if (pollFailures > 1) {
      pollTimer = setTimeout(rejoin, backoff(pollFailures));
    } else {
      rejoin();
    }
  } else if (res.status === 404 || reason === 'unknown_session') {
    stopped = true;
    setStatus(TEXT.unknownSession, 'error');
    showJoinForm(code);
  } else if (res.status === 410 || reason === 'ended') {
    hooks.onEnded();
  } else if (res.status === 429) {
    pollSoon(5000);
  } else {
    pollFailed();
  }
}

/** The server answered (any request): a poll waiting out its backoff asks again now. */
export function serverReached() {
  if (pollFailures > 0 && pollTimer && !pollController && following && !stopped && token) {
    pollFailures = 0;
    pollSoon(0);
  }
}

/** The phone is back (visible again, online, focused): ask now rather than later. */
export function repollNow() {
  if (following && !stopped && token) {
    pollFailures = 0;
    poll();
  } else if (code && !token && !joining && joinTimer) {
    join(code, false);
  }
}
