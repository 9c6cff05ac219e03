/* Requests to the phone API (docs/phone-api.md): fetch with a timeout, JSON in and out, and
 * the delays before trying again.  Nothing is fetched from anywhere but this origin.
 */

const RECONNECT_MAX_MS = 1500;   // while the banner is up, knock at least this often

const reachedListeners = [];

/** `listener` runs whenever a response comes from this app: the server is reachable. */
export function onServerReached(listener) { reachedListeners.push(listener); }

/** 1 s, 2 s, 4 s, then 5 s. */
export function backoff(failures) {
  return Math.min(5000, 1000 * Math.pow(2, Math.max(0, failures - 1)));
}

/** How long to wait before knocking again on a server that did not answer: the
 *  backoff, but at most RECONNECT_MAX_MS, so a server that is back is noticed
 *  within about a second and a half.  Each phone waits 60-100 % of it, so a
 *  room does not knock in step.  A failed poll's next try asks for the state
 *  at once (no `since`), which the server answers without parking. */
export function reconnectDelay(failures) {
  const base = Math.min(backoff(failures), RECONNECT_MAX_MS);
  return Math.round(base * (0.6 + 0.4 * Math.random()));
}

/** fetch + JSON.  Resolves {status, ok, data, json}; rejects on network errors.
 *  A response below 500 with a JSON body comes from this app (a proxy's error
 *  page is not JSON): the server is reachable, so the onServerReached listeners run.
 *  `opts.controller` (an AbortController) lets the caller abort; `opts.timeout` (ms)
 *  aborts and marks the controller `timedOut`. */
export function requestJSON(method, url, body, opts) {
  const options = opts || {};
  const controller = options.controller || (window.AbortController ? new AbortController() : null);
  let timer = null;
  if (controller && options.timeout) {
    timer = setTimeout(() => { controller.timedOut = true; controller.abort(); }, options.timeout);
  }
  const init = {
    method: method,
    cache: 'no-store',
    credentials: 'same-origin',
    headers: { 'Accept': 'application/json' }
  };
  if (controller) { init.signal = controller.signal; }
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  return fetch(url, init).then((res) => res.text().then((text) => {
    let data = {};
    let json = false;
    if (text) {
      try { data = JSON.parse(text); json = true; } catch (e) { data = {}; }
    }
    if (!data || typeof data !== 'object') { data = {}; json = false; }
    if (json && res.status < 500) { reachedListeners.forEach((listener) => listener()); }
    return { status: res.status, ok: res.ok, data: data, json: json };
  })).then((result) => {
    if (timer) { clearTimeout(timer); }
    return result;
  }, (err) => {
    if (timer) { clearTimeout(timer); }
    throw err;
  });
}
