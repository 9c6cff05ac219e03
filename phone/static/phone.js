/* Participant phone page: plain JavaScript, no framework, nothing fetched
 * from outside.  Talks to the JSON API described in docs/phone-api.md.
 *
 * Safety: every text that comes from the server or from the participant is
 * put on the page with textContent / createElement only.  Never innerHTML.
 */
(function () {
  'use strict';

  var CONFIRMATION = 'Thank you \u2014 you can change your answer until the facilitator closes it.';
  var PASS_CONFIRMATION = "Passed \u2014 that's always fine. You can still answer until the facilitator closes it.";
  var MSG_UNKNOWN_SESSION = "We couldn't find a session with that code. Please check it and try again.";
  var MSG_ENDED = 'This session has ended.';
  var MSG_OFFLINE_PENDING = "No connection \u2014 your answer will be sent as soon as you're back online.";
  var MSG_RECONNECTING = 'Connection lost. Reconnecting\u2026';
  var POLL_TIMEOUT_MS = 40000;   // the server answers within 25 s
  var RECONNECT_MAX_MS = 1500;   // while the banner is up, knock at least this often
  var SEND_TIMEOUT_MS = 15000;
  var SCREENS = ['loading', 'join', 'room-code', 'admission', 'welcome', 'waiting', 'exercise', 'ended'];
  var ADMISSION_POLL_MS = 3000;  // a waiting phone asks again this often (the server forgets one silent for 30 s)

  // ---------------------------------------------------------------- helpers

  function $(id) { return document.getElementById(id); }

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (name) {
        var v = attrs[name];
        if (v === null || v === undefined || v === false) { return; }
        if (name === 'className') { node.className = v; }
        else { node.setAttribute(name, v === true ? '' : String(v)); }
      });
    }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }

  function withId(tag, id, attrs, text) {
    var a = attrs || {};
    a.id = id;
    a['data-testid'] = id;
    return el(tag, a, text);
  }

  function clear(node) {
    while (node.firstChild) { node.removeChild(node.firstChild); }
  }

  function str(v) {
    return (v === null || v === undefined) ? '' : String(v);
  }

  function clamp(v, lo, hi) { return Math.min(hi, Math.max(lo, v)); }

  function toInt(v, fallback) {
    var n = parseInt(v, 10);
    return isFinite(n) ? n : fallback;
  }

  function storage(kind) {
    var memory = {};
    var real = null;
    try {
      real = window[kind];
      var probe = '__ipnb_probe__';
      real.setItem(probe, '1');
      real.removeItem(probe);
    } catch (e) { real = null; }
    return {
      get: function (k) {
        try { if (real) { return real.getItem(k); } } catch (e) { /* fall through */ }
        return Object.prototype.hasOwnProperty.call(memory, k) ? memory[k] : null;
      },
      set: function (k, v) {
        memory[k] = v;
        try { if (real) { real.setItem(k, v); } } catch (e) { /* memory only */ }
      },
      remove: function (k) {
        delete memory[k];
        try { if (real) { real.removeItem(k); } } catch (e) { /* ignore */ }
      }
    };
  }

  var local = storage('localStorage');
  var sess = storage('sessionStorage');

  function tokenKey(code) { return 'ipnb-token-' + code; }
  function welcomeKey(code) { return 'ipnb-welcomed-' + code; }
  function ticketKey(code) { return 'ipnb-ticket-' + code; }
  function typedKey(code) { return 'ipnb-typed-' + code; }

  // ------------------------------------------------- words as they were typed
  //
  // The server stores a word case-folded ("Tired" -> "tired") so equal words
  // count together.  The person's own phone shows it as they typed it: the
  // typed form stays in this tab's sessionStorage (never sent again, gone when
  // the tab closes or the session ends), one per step, and is shown after a
  // reload only while the server's answer is the same word.

  function typedWords(code) {
    var raw = sess.get(typedKey(code));
    if (!raw) { return {}; }
    try {
      var map = JSON.parse(raw);
      return (map && typeof map === 'object' && !Array.isArray(map)) ? map : {};
    } catch (e) { return {}; }
  }

  function rememberTyped(code, stepKey, typed) {
    var map = typedWords(code);
    if (typed === undefined) { delete map[stepKey]; } else { map[stepKey] = String(typed); }
    if (Object.keys(map).length) { sess.set(typedKey(code), JSON.stringify(map)); }
    else { sess.remove(typedKey(code)); }
  }

  var INVISIBLE = (function () {
    try { return new RegExp('[\\p{Cc}\\p{Cf}\\p{Cs}]', 'gu'); } catch (e) { return /[\u0000-\u001f\u007f-\u009f]/g; }
  }());

  /** Roughly the server's normalise_word: invisible characters out, spaces
   *  collapsed, case folded (upper then lower also folds \u00df to "ss"). */
  function foldWord(text) {
    return str(text).replace(INVISIBLE, function (ch) { return /\s/.test(ch) ? ch : ''; })
      .replace(/\s+/g, ' ').trim().toUpperCase().toLowerCase();
  }

  // Words are stored case-folded, texts with their line breaks and runs of spaces collapsed:
  // both come back to their own phone as typed.
  var TYPED_KINDS = { word: true, text: true };

  /** What to show for the phone's own stored word or text: the typed form if it is the same. */
  function asTyped(code, stepKey, stored) {
    var typed = typedWords(code)[stepKey];
    if (typeof typed === 'string' && typeof stored === 'string' && foldWord(typed) === foldWord(stored)) {
      return typed;
    }
    return stored;
  }

  function normalizeCode(raw) {
    return str(raw).replace(/\s+/g, '').toUpperCase();
  }

  function backoff(failures) {
    // 1 s, 2 s, 4 s, then 5 s
    return Math.min(5000, 1000 * Math.pow(2, Math.max(0, failures - 1)));
  }

  /** How long to wait before knocking again on a server that did not answer: the
   *  backoff, but at most RECONNECT_MAX_MS, so a server that is back is noticed
   *  within about a second and a half.  Each phone waits 60-100 % of it, so a
   *  room does not knock in step.  A failed poll's next try asks for the state
   *  at once (no `since`), which the server answers without parking. */
  function reconnectDelay(failures) {
    var base = Math.min(backoff(failures), RECONNECT_MAX_MS);
    return Math.round(base * (0.6 + 0.4 * Math.random()));
  }

  /** fetch + JSON.  Resolves {status, ok, data, json}; rejects on network errors.
   *  A response below 500 with a JSON body comes from this app (a proxy's error
   *  page is not JSON): the server is reachable, so `serverReached` runs. */
  function requestJSON(method, url, body, opts) {
    var options = opts || {};
    var controller = options.controller || (window.AbortController ? new AbortController() : null);
    var timer = null;
    if (controller && options.timeout) {
      timer = setTimeout(function () { controller.timedOut = true; controller.abort(); }, options.timeout);
    }
    var init = {
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
    return fetch(url, init).then(function (res) {
      return res.text().then(function (text) {
        var data = {};
        var json = false;
        if (text) {
          try { data = JSON.parse(text); json = true; } catch (e) { data = {}; }
        }
        if (!data || typeof data !== 'object') { data = {}; json = false; }
        if (json && res.status < 500) { serverReached(); }
        return { status: res.status, ok: res.ok, data: data, json: json };
      });
    }).then(function (result) {
      if (timer) { clearTimeout(timer); }
      return result;
    }, function (err) {
      if (timer) { clearTimeout(timer); }
      throw err;
    });
  }

  // ------------------------------------------------------------------ state

  var state = {
    code: '',
    token: '',
    following: false,
    stopped: false,
    version: null,
    step: null,
    renderedKey: null,
    open: false,
    control: null,
    sending: false,
    pending: null,
    pollController: null,
    pollTimer: null,
    pollFailures: 0,
    pollProbe: false,   // the next poll asks for the state at once (after a failure)
    joinTimer: null,
    joinFailures: 0,
    joining: false,
    sendTimer: null,
    sendOffline: false,   // the last send did not reach the server
    sendFailures: 0
  };

  // ------------------------------------------------------------------ views

  function show(name) {
    SCREENS.forEach(function (id) {
      var node = $(id);
      if (node) { node.hidden = (id !== name); }
    });
    document.body.setAttribute('data-screen', name);
    $('pause-area').hidden = !(name === 'waiting' || name === 'exercise');
  }

  function currentScreen() {
    return document.body.getAttribute('data-screen') || '';
  }

  function setStatus(text, kind) {
    var node = $('status-message');
    node.textContent = str(text);
    node.className = 'status-message' + (kind ? ' is-' + kind : '');
    if (text && currentScreen() === 'exercise') {
      // keep the message near the Send button in view
      var r = node.getBoundingClientRect();
      if (r.bottom > window.innerHeight && node.scrollIntoView) {
        node.scrollIntoView({ block: 'nearest' });
      }
    }
  }

  function setConnection(text) {
    var node = $('connection-status');
    node.textContent = str(text);
    node.hidden = !text;
  }

  /** The server answered (any request): the banner goes, and a poll waiting out
   *  its backoff asks again now rather than later. */
  function serverReached() {
    if (!$('connection-status').hidden) { setConnection(''); }
    if (state.pollFailures > 0 && state.pollTimer && !state.pollController &&
        state.following && !state.stopped && state.token) {
      state.pollFailures = 0;
      pollSoon(0);
    }
    if (state.pending && !state.sending && state.sendOffline && state.token) {
      state.sendOffline = false;
      setTimeout(flushPending, 0);   // an answer waiting for the connection goes now
    }
  }

  function setTitle(title) {
    if (!title) { return; }
    $('session-title').textContent = String(title);
    document.title = String(title);
  }

  // ------------------------------------------------------------------- join

  function showJoinForm(prefill) {
    state.following = false;
    stopPolling();
    show('join');
    var input = $('code-input');
    if (prefill) { input.value = prefill; }
    setTimeout(function () { try { input.focus(); } catch (e) { /* ignore */ } }, 0);
  }

  function rememberCodeInUrl(code) {
    try {
      var params = new URLSearchParams(window.location.search);
      if (params.get('code') !== code) {
        params.set('code', code);
        window.history.replaceState(null, '', window.location.pathname + '?' + params.toString());
      }
    } catch (e) { /* not essential */ }
  }

  function showRoomCodeForm(error) {
    state.following = false;
    stopPolling();
    show('room-code');
    var input = $('room-code-input');
    input.value = '';
    setStatus(error || '', error ? 'error' : '');
    setTimeout(function () { try { input.focus(); } catch (e) { /* ignore */ } }, 0);
  }

  /** The group is at its expected size: wait, asking again with the ticket, until let in. */
  function waitForAdmission(code, data, silent) {
    local.set(ticketKey(code), String(data.ticket));
    setTitle(data.title);
    if (data.message) { $('admission-message').textContent = String(data.message); }
    if (currentScreen() !== 'admission') { setStatus(''); }
    show('admission');
    state.joinTimer = setTimeout(function () { join(code, silent); }, ADMISSION_POLL_MS);
  }

  /** Join (or re-join) the session.  `silent` re-joins without changing screens.
   *  `roomCode` is what the participant typed, when the session asks for one. */
  function join(code, silent, roomCode) {
    state.code = code;
    clearTimeout(state.joinTimer);
    if (state.joining) { return; }
    state.joining = true;
    if (!silent && currentScreen() !== 'admission') {
      show('loading');
    }
    $('join-button').disabled = true;
    $('room-code-button').disabled = true;
    var known = local.get(tokenKey(code));
    var body = { code: code, token: known || null, ticket: local.get(ticketKey(code)) || null };
    if (roomCode) { body.room_code = roomCode; }
    requestJSON('POST', '/api/join', body, { timeout: SEND_TIMEOUT_MS })
      .then(function (res) {
        state.joining = false;
        $('join-button').disabled = false;
        $('room-code-button').disabled = false;
        var data = res.data;
        if (res.status === 202 && data.waiting && data.ticket) {
          state.joinFailures = 0;
          setConnection('');
          waitForAdmission(code, data, silent);
          return;
        }
        if (res.ok && data.token) {
          state.joinFailures = 0;
          setConnection('');
          local.remove(ticketKey(code));
          state.token = String(data.token);
          state.code = normalizeCode(data.code || code) || code;
          local.set(tokenKey(state.code), state.token);
          setTitle(data.title);
          rememberCodeInUrl(state.code);
          if (silent) {
            if (state.following) { pollSoon(0); }
            if (state.pending) { flushPending(); }
            return;
          }
          setStatus('');
          if (sess.get(welcomeKey(state.code))) {
            startFollowing();
          } else {
            show('welcome');
          }
          return;
        }
        var reason = data.reason || '';
        if (reason === 'room_code_needed' || reason === 'room_code_wrong') {
          showRoomCodeForm(reason === 'room_code_wrong' ? data.error : '');
        } else if (reason === 'refused') {
          local.remove(ticketKey(code));
          setStatus(data.error, 'error');
          showJoinForm(code);
        } else if (res.status === 404 || reason === 'unknown_session') {
          local.remove(tokenKey(code));
          setStatus(MSG_UNKNOWN_SESSION, 'error');
          showJoinForm(code);
        } else if (res.status === 410 || reason === 'ended') {
          setStatus(MSG_ENDED, 'error');
          showJoinForm(code);
        } else if (res.status === 403 && known) {
          // the token is not valid for this session: forget it and ask for a new one
          local.remove(tokenKey(code));
          join(code, silent);
        } else if (res.status === 400) {
          setStatus(data.error || MSG_UNKNOWN_SESSION, 'error');
          showJoinForm(code);
        } else {
          // 429, 5xx: try again a little later
          state.joinFailures += 1;
          if (data.error) { setStatus(data.error, 'error'); }
          setConnection(MSG_RECONNECTING);
          state.joinTimer = setTimeout(function () { join(code, silent); },
            res.status === 429 ? 5000 : reconnectDelay(state.joinFailures));
        }
      }, function () {
        state.joining = false;
        $('join-button').disabled = false;
        $('room-code-button').disabled = false;
        state.joinFailures += 1;
        setConnection(MSG_RECONNECTING);
        state.joinTimer = setTimeout(function () { join(code, silent); }, reconnectDelay(state.joinFailures));
      });
  }

  // --------------------------------------------------------------- long-poll

  function startFollowing() {
    state.following = true;
    state.stopped = false;
    if (currentScreen() !== 'exercise' && currentScreen() !== 'waiting') { show('loading'); }
    pollSoon(0);
  }

  function stopPolling() {
    clearTimeout(state.pollTimer);
    state.pollTimer = null;
    if (state.pollController) {
      var c = state.pollController;
      state.pollController = null;
      try { c.abort(); } catch (e) { /* ignore */ }
    }
  }

  function pollSoon(delay) {
    clearTimeout(state.pollTimer);
    state.pollTimer = setTimeout(poll, delay || 0);
  }

  function poll() {
    if (!state.following || state.stopped || !state.token) { return; }
    stopPolling();
    var controller = window.AbortController ? new AbortController() : null;
    state.pollController = controller;
    // After a failure, ask without `since`: the server answers at once, so the
    // banner goes as soon as it is back instead of after a 25 s park.
    var parks = state.version !== null && !state.pollProbe;
    var url = '/api/live?code=' + encodeURIComponent(state.code) +
      '&token=' + encodeURIComponent(state.token) +
      (parks ? '&since=' + encodeURIComponent(state.version) : '');
    var started = Date.now();
    var sinceAtStart = state.version;
    requestJSON('GET', url, undefined, { controller: controller, timeout: POLL_TIMEOUT_MS })
      .then(function (res) {
        if (controller !== state.pollController) { return; }   // superseded
        state.pollController = null;
        if (res.ok) {
          state.pollFailures = 0;
          state.pollProbe = false;
          setConnection('');
          applyLive(res.data);
          if (state.following && !state.stopped) {
            var quick = (Date.now() - started) < 500;
            var same = res.data.version === sinceAtStart;
            // guard against a server that answers at once without change
            pollSoon(parks && quick && same ? 1000 : 0);
          }
          return;
        }
        handlePollError(res);
      }, function () {
        if (controller && controller !== state.pollController) { return; }  // aborted on purpose
        state.pollController = null;
        if (controller && controller.timedOut) {
          pollSoon(0);   // a stale connection: ask again at once
          return;
        }
        state.pollFailures += 1;
        state.pollProbe = true;
        setConnection(MSG_RECONNECTING);
        pollSoon(reconnectDelay(state.pollFailures));
      });
  }

  function handlePollError(res) {
    var reason = res.data.reason || '';
    if (res.status === 403 || reason === 'unknown_token') {
      state.pollFailures += 1;
      if (state.pollFailures > 1) {
        state.pollTimer = setTimeout(function () { join(state.code, true); }, backoff(state.pollFailures));
      } else {
        join(state.code, true);
      }
    } else if (res.status === 404 || reason === 'unknown_session') {
      state.stopped = true;
      setStatus(MSG_UNKNOWN_SESSION, 'error');
      showJoinForm(state.code);
    } else if (res.status === 410 || reason === 'ended') {
      showEnded();
    } else if (res.status === 429) {
      pollSoon(5000);
    } else {
      state.pollFailures += 1;
      state.pollProbe = true;
      setConnection(MSG_RECONNECTING);
      pollSoon(reconnectDelay(state.pollFailures));
    }
  }

  function repollNow() {
    if (state.following && !state.stopped && state.token) {
      state.pollFailures = 0;
      poll();
    } else if (state.code && !state.token && !state.joining && state.joinTimer) {
      join(state.code, false);
    }
    if (state.pending && !state.sending) {
      state.sendFailures = 0;
      flushPending();
    }
  }

  // --------------------------------------------------------------- rendering

  function applyLive(data) {
    if (!data || typeof data !== 'object') { return; }
    if (data.version !== undefined) { state.version = data.version; }
    setTitle(data.title);
    var status = data.status;
    if (status === 'ended') {
      showEnded();
    } else if (status === 'live' && data.step && data.step.exercise) {
      renderStep(data.step, data.answer || null);
      renderGroup(data.group || null);
    } else {
      showWaiting();
    }
  }

  /** The group's counts, only when the facilitator shares them; built with textContent. */
  function renderGroup(group) {
    var section = $('group-results');
    var list = $('group-rows');
    clear(list);
    if (!group) { section.hidden = true; return; }
    $('group-summary').textContent = str(group.summary);
    var rows = Array.isArray(group.rows) ? group.rows : [];
    var most = 1;
    rows.forEach(function (row) { most = Math.max(most, toInt(row[1], 0)); });
    rows.forEach(function (row) {
      var count = toInt(row[1], 0);
      var item = el('li', { className: 'group-row' });
      item.appendChild(el('span', { className: 'group-label' }, str(row[0])));
      var bar = el('span', { className: 'group-bar', 'aria-hidden': 'true' });
      bar.style.width = Math.round(100 * count / most) + '%';
      item.appendChild(bar);
      item.appendChild(el('span', { className: 'group-count' }, String(count)));
      list.appendChild(item);
    });
    section.hidden = false;
  }

  function showWaiting() {
    if (state.renderedKey !== null) {
      state.renderedKey = null;
      state.step = null;
      state.control = null;
      state.pending = null;
      setStatus('');
    }
    show('waiting');
  }

  function showEnded() {
    if (state.code) { sess.remove(typedKey(state.code)); }
    state.stopped = true;
    state.following = false;
    state.pending = null;
    stopPolling();
    setConnection('');
    setStatus('');
    show('ended');
  }

  function stepNumber(step) {
    // `index` counts from 0 in the API; show it counting from 1.
    var idx = toInt(step.index, 0);
    var total = toInt(step.total, 0);
    var n = idx + 1;
    if (total > 0) { n = clamp(n, 1, total); }
    return { n: n, total: total };
  }

  function renderStep(step, answer) {
    var ex = step.exercise;
    var key = str(step.index) + ':' + str(ex.id);
    var open = !!step.open;
    if (key !== state.renderedKey) {
      state.step = step;
      state.renderedKey = key;
      state.open = open;
      buildExercise(step, answer);
      applyOpen();
      show('exercise');
      return;
    }
    state.step = step;
    if (open !== state.open) {
      state.open = open;
      applyOpen();
    }
    if (currentScreen() !== 'exercise') { show('exercise'); }
  }

  function buildExercise(step, answer) {
    var ex = step.exercise;
    var settings = (ex.settings && typeof ex.settings === 'object') ? ex.settings : {};
    state.pending = null;
    state.sendFailures = 0;
    clearTimeout(state.sendTimer);
    setStatus('');

    $('domain-label').textContent = str(ex.domain_label || '');
    var num = stepNumber(step);
    $('step-counter').textContent = num.total ? 'Step ' + num.n + ' of ' + num.total : '';
    var note = $('content-note');
    note.textContent = str(ex.content_note || '');
    note.hidden = !ex.content_note;
    $('prompt').textContent = str(ex.prompt || ex.title || '');

    var area = $('answer-area');
    clear(area);
    var builder = BUILDERS[ex.type];
    var control;
    if (builder) {
      control = builder(settings, updateButtons);
    } else {
      control = unsupportedControl();
    }
    control.type = ex.type;
    state.control = control;
    area.appendChild(control.el);
    area.setAttribute('data-type', str(ex.type));
    document.body.setAttribute('data-type', str(ex.type));

    var summary = $('sent-summary');
    summary.hidden = true;
    summary.textContent = '';
    if (answer && answer.passed) {
      showSent({ isPass: true });
    } else if (answer && answer.value !== undefined && answer.value !== null) {
      var value = TYPED_KINDS[ex.type] ? asTyped(state.code, state.renderedKey, answer.value) : answer.value;
      try { control.setValue(value); } catch (e) { /* keep empty */ }
      showSent({ isPass: false, value: value });
    }
    updateButtons();
    window.scrollTo(0, 0);
  }

  function applyOpen() {
    $('closed-message').hidden = state.open;
    $('exercise').classList.toggle('is-closed', !state.open);
    if (state.control) { state.control.setDisabled(!state.open); }
    updateButtons();
  }

  function updateButtons() {
    var submit = $('submit-button');
    var pass = $('pass-button');
    var c = state.control;
    var hasValue = !!c && c.getValue() !== undefined;
    submit.disabled = !state.open || state.sending || !hasValue;
    pass.disabled = !state.open || state.sending;
    submit.setAttribute('aria-busy', state.sending ? 'true' : 'false');
  }

  function showSent(p) {
    var summary = $('sent-summary');
    if (p.isPass) {
      summary.textContent = 'You passed on this one.';
    } else {
      var c = state.control;
      var text = (c && c.describe) ? c.describe(p.value) : str(p.value);
      summary.textContent = 'You sent: ' + text;
    }
    summary.hidden = false;
  }

  // ------------------------------------------------------------------ sending

  function send(isPass) {
    if (state.sending || !state.open || !state.step || !state.control) { return; }
    var body = { code: state.code, token: state.token, step: state.step.index };
    var value;
    if (isPass) {
      body.pass = true;
    } else {
      value = state.control.getValue();
      if (value === undefined) { return; }
      body.value = value;
    }
    state.pending = { key: state.renderedKey, body: body, isPass: !!isPass, value: value,
                      type: state.control.type, code: state.code };
    state.sendFailures = 0;
    flushPending();
  }

  function flushPending() {
    clearTimeout(state.sendTimer);
    if (!state.pending || state.sending) { return; }
    var p = state.pending;
    p.body.token = state.token;   // a re-join may have changed it
    state.sending = true;
    state.sendOffline = false;
    updateButtons();
    setStatus('Sending\u2026', 'info');
    requestJSON('POST', '/api/answer', p.body, { timeout: SEND_TIMEOUT_MS })
      .then(function (res) {
        state.sending = false;
        var data = res.data;
        var current = (p.key === state.renderedKey);
        if (res.ok) {
          state.sendFailures = 0;
          if (state.pending === p) { state.pending = null; }
          if (TYPED_KINDS[p.type]) { rememberTyped(p.code, p.key, p.isPass ? undefined : p.value); }
          if (current) {
            showSent(p);
            // The server's sentence for a pass says passing is fine; an answer
            // always gets the same confirmation.
            setStatus(p.isPass ? (typeof data.message === 'string' && data.message ? data.message : PASS_CONFIRMATION)
              : CONFIRMATION, 'ok');
          }
          updateButtons();
          return;
        }
        var reason = data.reason || '';
        var message = data.error || 'Your answer could not be sent.';
        if (res.status === 403 || reason === 'unknown_token') {
          // identity lost (e.g. server restart): re-join, then the pending answer is sent again
          state.sendFailures += 1;
          if (state.sendFailures > 3) {
            state.pending = null;
            setStatus(message, 'error');
          } else {
            join(state.code, true);
          }
        } else if (res.status >= 500 || res.status === 429) {
          state.sendFailures += 1;
          setStatus(message, 'error');
          state.sendTimer = setTimeout(flushPending, res.status === 429 ? 5000 : backoff(state.sendFailures));
        } else {
          if (state.pending === p) { state.pending = null; }
          if (current) { setStatus(message, 'error'); }
          if (reason === 'closed' && current) {
            state.open = false;
            applyOpen();
          }
          if (res.status === 410 || reason === 'ended') {
            showEnded();
          } else if (reason === 'not_live' || reason === 'closed') {
            repollNow();
          }
        }
        updateButtons();
      }, function () {
        state.sending = false;
        state.sendOffline = true;
        if (!state.pending) { state.pending = p; }
        state.sendFailures += 1;
        if (p.key === state.renderedKey) { setStatus(MSG_OFFLINE_PENDING, 'error'); }
        state.sendTimer = setTimeout(flushPending, backoff(state.sendFailures));
        updateButtons();
      });
  }

  // ----------------------------------------------------------------- controls

  function srLabel(forId, text, id) {
    var attrs = { className: 'sr-only' };
    if (forId) { attrs['for'] = forId; }
    if (id) { attrs.id = id; }
    return el('label', attrs, text);
  }

  /** A range slider that counts as unanswered until the participant touches it. */
  function touchedRange(input, onTouch) {
    var touched = false;
    function touch() {
      if (input.disabled) { return; }
      touched = true;
      onTouch();
    }
    input.addEventListener('input', touch);
    input.addEventListener('change', touch);
    input.addEventListener('click', touch);
    // A tap right on the thumb changes no value and, on touch screens, fires no
    // click: count a press that ends where it started.  A swipe (someone
    // scrolling the page) does not count as an answer.
    var press = null;
    input.addEventListener('pointerdown', function (e) { press = { x: e.clientX, y: e.clientY }; });
    input.addEventListener('pointercancel', function () { press = null; });
    input.addEventListener('pointerup', function (e) {
      if (press && Math.abs(e.clientX - press.x) < 12 && Math.abs(e.clientY - press.y) < 12) { touch(); }
      press = null;
    });
    input.addEventListener('keydown', function (e) {
      if (/^(Arrow|Home|End|Page)/.test(e.key)) { touch(); }
    });
    return {
      isTouched: function () { return touched; },
      setTouched: function (v) { touched = !!v; }
    };
  }

  function buildScale(settings, onChange) {
    var min = toInt(settings.min, 0);
    var max = toInt(settings.max, 10);
    if (max <= min) { max = min + 10; }
    var mid = Math.round((min + max) / 2);
    var minLabel = str(settings.min_label);
    var maxLabel = str(settings.max_label);

    var wrap = el('div', { className: 'control control-scale' });
    var readout = withId('output', 'scale-value', { className: 'readout is-unset', 'for': 'scale-input', 'aria-live': 'polite' }, '\u2013');
    var hint = withId('p', 'scale-hint', { className: 'hint control-hint' }, 'Move the slider to choose your answer');
    var label = srLabel('scale-input', 'Your answer, from ' + min + (minLabel ? ' (' + minLabel + ')' : '') +
      ' to ' + max + (maxLabel ? ' (' + maxLabel + ')' : ''));
    var input = withId('input', 'scale-input', {
      className: 'range is-unset', type: 'range', min: min, max: max, step: 1, value: mid,
      'aria-describedby': 'scale-hint', 'aria-valuetext': 'not chosen yet'
    });
    var ends = el('div', { className: 'ends' });
    var left = withId('span', 'scale-min-label', { className: 'end end-left' });
    left.appendChild(el('strong', null, min));
    if (minLabel) { left.appendChild(el('span', null, minLabel)); }
    var right = withId('span', 'scale-max-label', { className: 'end end-right' });
    right.appendChild(el('strong', null, max));
    if (maxLabel) { right.appendChild(el('span', null, maxLabel)); }
    ends.appendChild(left);
    ends.appendChild(right);

    function describe(v) {
      var n = toInt(v, mid);
      var text = String(n);
      if (n === min && minLabel) { text += ' (' + minLabel + ')'; }
      if (n === max && maxLabel) { text += ' (' + maxLabel + ')'; }
      return text;
    }

    var t = touchedRange(input, refresh);
    function refresh() {
      var on = t.isTouched();
      input.classList.toggle('is-unset', !on);
      readout.classList.toggle('is-unset', !on);
      readout.textContent = on ? String(input.value) : '\u2013';
      input.setAttribute('aria-valuetext', on ? describe(input.value) : 'not chosen yet');
      hint.textContent = on ? 'Your answer: ' + describe(input.value) : 'Move the slider to choose your answer';
      onChange();
    }

    wrap.appendChild(label);
    wrap.appendChild(readout);
    wrap.appendChild(input);
    wrap.appendChild(ends);
    wrap.appendChild(hint);
    return {
      el: wrap,
      getValue: function () { return t.isTouched() ? toInt(input.value, mid) : undefined; },
      setValue: function (v) {
        var n = toInt(v, NaN);
        if (!isFinite(n)) { return; }
        input.value = String(clamp(n, min, max));
        t.setTouched(true);
        refresh();
      },
      setDisabled: function (d) { input.disabled = d; },
      describe: describe
    };
  }

  function buildChoices(settings, onChange, multiple) {
    var options = Array.isArray(settings.options) ? settings.options.map(str) : [];
    var maxChoices = multiple ? toInt(settings.max_choices, options.length) : 1;
    if (!(maxChoices >= 1)) { maxChoices = options.length; }
    maxChoices = Math.min(maxChoices, options.length) || 1;
    var selected = [];
    var disabled = false;

    var wrap = el('div', { className: 'control control-choices' + (multiple ? ' is-multiple' : '') });
    var hintText = multiple
      ? (maxChoices < options.length ? 'Choose up to ' + maxChoices : 'Choose all that fit')
      : 'Choose one';
    var hint = withId('p', 'choice-hint', { className: 'hint control-hint', 'aria-live': 'polite' }, hintText);
    var short = options.every(function (o) { return o.length <= 14; });
    var group = withId('div', 'options', {
      className: 'options' + (options.length > 4 ? ' is-many' : '') + (short && options.length > 4 ? ' is-two-col' : ''),
      role: 'group', 'aria-labelledby': 'prompt', 'aria-describedby': 'choice-hint'
    });
    var buttons = options.map(function (text, i) {
      var b = withId('button', 'option-' + i, { className: 'option', type: 'button', 'aria-pressed': 'false' });
      b.appendChild(el('span', { className: 'option-mark', 'aria-hidden': 'true' }));
      b.appendChild(el('span', { className: 'option-text' }, text));
      b.addEventListener('click', function () { toggle(i); });
      group.appendChild(b);
      return b;
    });

    function refresh() {
      buttons.forEach(function (b, i) {
        var on = selected.indexOf(i) !== -1;
        b.setAttribute('aria-pressed', on ? 'true' : 'false');
        b.classList.toggle('is-selected', on);
        var full = multiple && !on && selected.length >= maxChoices;
        b.classList.toggle('is-full', full);
        b.disabled = disabled;
      });
      onChange();
    }

    function toggle(i) {
      if (disabled) { return; }
      var at = selected.indexOf(i);
      if (!multiple) {
        selected = [i];
      } else if (at !== -1) {
        selected.splice(at, 1);
        hint.textContent = hintText;
      } else if (selected.length >= maxChoices) {
        hint.textContent = 'You can choose up to ' + maxChoices + '. Tap one to unselect it.';
        return;
      } else {
        selected.push(i);
        hint.textContent = hintText;
      }
      selected.sort(function (a, b) { return a - b; });
      refresh();
    }

    wrap.appendChild(hint);
    wrap.appendChild(group);
    return {
      el: wrap,
      getValue: function () {
        if (!selected.length) { return undefined; }
        if (!multiple) { return options[selected[0]]; }
        return selected.map(function (i) { return options[i]; });
      },
      setValue: function (v) {
        var wanted = Array.isArray(v) ? v.map(str) : [str(v)];
        selected = [];
        options.forEach(function (o, i) {
          if (wanted.indexOf(o) !== -1 && selected.length < maxChoices) { selected.push(i); }
        });
        if (!multiple) { selected = selected.slice(0, 1); }
        refresh();
      },
      setDisabled: function (d) { disabled = d; refresh(); },
      describe: function (v) { return Array.isArray(v) ? v.map(str).join(', ') : str(v); }
    };
  }

  function countWords(text) {
    var t = text.trim();
    return t ? t.split(/\s+/).length : 0;
  }

  function buildWord(settings, onChange) {
    var maxWords = clamp(toInt(settings.max_words, 1), 1, 3);
    var maxChars = clamp(toInt(settings.max_chars, 40), 1, 1000);  // the server's limit (workshop/questions/word.py)
    var wrap = el('div', { className: 'control control-word' });
    var labelText = maxWords === 1 ? 'One word' : 'Up to ' + maxWords + ' words';
    var label = el('label', { className: 'field-label', 'for': 'word-input' }, labelText);
    var input = withId('input', 'word-input', {
      className: 'text-field', type: 'text', maxlength: maxChars, autocomplete: 'off',
      autocapitalize: 'none', spellcheck: 'true', enterkeyhint: 'send',
      'aria-describedby': 'word-hint'
    });
    var hint = withId('p', 'word-hint', { className: 'hint control-hint', 'aria-live': 'polite' },
      maxWords === 1 ? 'A single word, up to ' + maxChars + ' characters'
        : 'At most ' + maxWords + ' words, up to ' + maxChars + ' characters');
    var defaultHint = hint.textContent;

    function valid() {
      var n = countWords(input.value);
      return n >= 1 && n <= maxWords;
    }
    function refresh() {
      var n = countWords(input.value);
      var tooMany = n > maxWords;
      input.setAttribute('aria-invalid', tooMany ? 'true' : 'false');
      hint.classList.toggle('is-error', tooMany);
      hint.textContent = tooMany
        ? (maxWords === 1 ? 'Please use just one word.' : 'Please use at most ' + maxWords + ' words.')
        : defaultHint;
      onChange();
    }
    input.addEventListener('input', refresh);
    input.addEventListener('keydown', function (e) {
      if (e.key === 'Enter') {
        e.preventDefault();
        if (valid()) { send(false); }
      }
    });

    wrap.appendChild(label);
    wrap.appendChild(input);
    wrap.appendChild(hint);
    return {
      el: wrap,
      getValue: function () { return valid() ? input.value.trim().replace(/\s+/g, ' ') : undefined; },
      setValue: function (v) { input.value = str(v).slice(0, maxChars); refresh(); },
      setDisabled: function (d) { input.disabled = d; },
      describe: function (v) { return '\u201c' + str(v) + '\u201d'; }
    };
  }

  function buildText(settings, onChange) {
    var limit = clamp(toInt(settings.max_chars, 280), 1, 5000);  // the server's limit (workshop/questions/text.py)
    var wrap = el('div', { className: 'control control-text' });
    var label = el('label', { className: 'field-label', 'for': 'text-input' }, 'Your answer');
    var input = withId('textarea', 'text-input', {
      className: 'text-field text-area', maxlength: limit, rows: 4, autocomplete: 'off',
      'aria-describedby': 'text-counter'
    });
    var counter = withId('p', 'text-counter', { className: 'hint counter' }, '0 / ' + limit);
    function refresh() {
      var n = input.value.length;
      counter.textContent = n + ' / ' + limit;
      counter.classList.toggle('is-near', n >= limit - 20);
      onChange();
    }
    input.addEventListener('input', refresh);
    wrap.appendChild(label);
    wrap.appendChild(input);
    wrap.appendChild(counter);
    return {
      el: wrap,
      getValue: function () {
        var v = input.value.trim();
        return v ? v.slice(0, limit) : undefined;
      },
      setValue: function (v) { input.value = str(v).slice(0, limit); refresh(); },
      setDisabled: function (d) { input.disabled = d; },
      describe: function (v) { return '\u201c' + str(v) + '\u201d'; }
    };
  }

  function buildSpectrum(settings, onChange) {
    var leftName = str(settings.left) || 'Left';
    var rightName = str(settings.right) || 'Right';
    var middleName = str(settings.middle);

    var wrap = el('div', { className: 'control control-spectrum' });
    var label = srLabel('spectrum-input', 'Where are you between ' + leftName + ' and ' + rightName + '?');
    var readout = withId('output', 'spectrum-value', { className: 'readout readout-words is-unset', 'for': 'spectrum-input', 'aria-live': 'polite' }, '\u2013');
    var poles = el('div', { className: 'poles' });
    poles.appendChild(withId('span', 'spectrum-left', { className: 'pole pole-left' }, leftName));
    poles.appendChild(withId('span', 'spectrum-middle', { className: 'pole pole-middle' }, middleName));
    poles.appendChild(withId('span', 'spectrum-right', { className: 'pole pole-right' }, rightName));
    var input = withId('input', 'spectrum-input', {
      className: 'range range-wide is-unset', type: 'range', min: 0, max: 100, step: 1, value: 50,
      'aria-describedby': 'spectrum-hint', 'aria-valuetext': 'not chosen yet'
    });
    var hint = withId('p', 'spectrum-hint', { className: 'hint control-hint' }, 'Move the slider to where you are');

    function describe(v) {
      var n = clamp(toInt(v, 50), 0, 100);
      if (n <= 10) { return 'very close to ' + leftName; }
      if (n < 40) { return 'toward ' + leftName; }
      if (n <= 60) { return middleName ? middleName : 'in the middle'; }
      if (n < 90) { return 'toward ' + rightName; }
      return 'very close to ' + rightName;
    }

    var t = touchedRange(input, refresh);
    function refresh() {
      var on = t.isTouched();
      input.classList.toggle('is-unset', !on);
      readout.classList.toggle('is-unset', !on);
      var text = on ? describe(input.value) : '\u2013';
      readout.textContent = on ? text.charAt(0).toUpperCase() + text.slice(1) : text;
      input.setAttribute('aria-valuetext', on ? input.value + ', ' + text : 'not chosen yet');
      hint.textContent = on ? 'You can move it again until you send' : 'Move the slider to where you are';
      onChange();
    }

    wrap.appendChild(label);
    wrap.appendChild(readout);
    wrap.appendChild(poles);
    wrap.appendChild(input);
    wrap.appendChild(hint);
    return {
      el: wrap,
      getValue: function () { return t.isTouched() ? clamp(toInt(input.value, 50), 0, 100) : undefined; },
      setValue: function (v) {
        var n = Number(v);
        if (!isFinite(n)) { return; }
        input.value = String(clamp(Math.round(n), 0, 100));
        t.setTouched(true);
        refresh();
      },
      setDisabled: function (d) { input.disabled = d; },
      describe: describe
    };
  }

  function buildPosition2d(settings, onChange) {
    var names = {
      left: str(settings.x_left) || 'Left',
      right: str(settings.x_right) || 'Right',
      bottom: str(settings.y_bottom) || 'Bottom',
      top: str(settings.y_top) || 'Top'
    };
    var point = null;   // [x, y], y = 100 at the top
    var disabled = false;
    var dragging = false;

    var wrap = el('div', { className: 'control control-position2d' });
    var label = withId('label', 'field-label', { className: 'field-label field-label-2d' }, 'Tap or drag to place your dot');
    var frame = el('div', { className: 'field-frame' });
    var field = withId('div', 'field', {
      className: 'field2d', tabindex: 0, role: 'application',
      'aria-roledescription': 'position field',
      'aria-labelledby': 'field-label',
      'aria-describedby': 'field-keys field-readout'
    });
    field.appendChild(el('span', { className: 'axis axis-x', 'aria-hidden': 'true' }));
    field.appendChild(el('span', { className: 'axis axis-y', 'aria-hidden': 'true' }));
    field.appendChild(withId('span', 'field-y-top', { className: 'pole2d pole2d-top', 'aria-hidden': 'true' }, names.top));
    field.appendChild(withId('span', 'field-y-bottom', { className: 'pole2d pole2d-bottom', 'aria-hidden': 'true' }, names.bottom));
    field.appendChild(withId('span', 'field-x-left', { className: 'pole2d pole2d-left', 'aria-hidden': 'true' }, names.left));
    field.appendChild(withId('span', 'field-x-right', { className: 'pole2d pole2d-right', 'aria-hidden': 'true' }, names.right));
    var dot = withId('span', 'field-dot', { className: 'dot', 'aria-hidden': 'true' });
    dot.hidden = true;
    field.appendChild(dot);
    frame.appendChild(field);
    var keys = withId('p', 'field-keys', { className: 'sr-only' },
      'Left and right: ' + names.left + ' to ' + names.right + '. Down and up: ' + names.bottom + ' to ' + names.top +
      '. Arrow keys move the dot; hold Shift for small steps.');
    var readout = withId('p', 'field-readout', { className: 'hint control-hint', 'aria-live': 'polite' }, 'No dot placed yet');

    function axisWord(v, lowName, highName) {
      if (v < 40) { return lowName; }
      if (v > 60) { return highName; }
      return 'middle';
    }
    function describe(v) {
      if (!Array.isArray(v) || v.length !== 2) { return str(v); }
      var x = Math.round(Number(v[0])), y = Math.round(Number(v[1]));
      var xw = axisWord(x, names.left, names.right);
      var yw = axisWord(y, names.bottom, names.top);
      var words = (xw === 'middle' && yw === 'middle') ? 'the centre' : xw + ' \u00b7 ' + yw;
      return words + ' (' + x + ', ' + y + ')';
    }
    function refresh() {
      if (point) {
        dot.hidden = false;
        dot.style.left = point[0] + '%';
        dot.style.top = (100 - point[1]) + '%';
        readout.textContent = 'Your dot: ' + describe(point);
      } else {
        dot.hidden = true;
        readout.textContent = 'No dot placed yet';
      }
      field.classList.toggle('has-dot', !!point);
      onChange();
    }
    function placeAt(clientX, clientY) {
      var r = field.getBoundingClientRect();
      if (!r.width || !r.height) { return; }
      var x = clamp(Math.round((clientX - r.left) / r.width * 100), 0, 100);
      var y = clamp(Math.round(100 - (clientY - r.top) / r.height * 100), 0, 100);
      point = [x, y];
      refresh();
    }

    field.addEventListener('pointerdown', function (e) {
      if (disabled) { return; }
      if (e.pointerType === 'mouse' && e.button !== 0) { return; }
      dragging = true;
      try { field.setPointerCapture(e.pointerId); } catch (err) { /* ignore */ }
      placeAt(e.clientX, e.clientY);
      field.focus({ preventScroll: true });
      e.preventDefault();
    });
    field.addEventListener('pointermove', function (e) {
      if (!dragging || disabled) { return; }
      placeAt(e.clientX, e.clientY);
      e.preventDefault();
    });
    function endDrag(e) {
      dragging = false;
      try { field.releasePointerCapture(e.pointerId); } catch (err) { /* ignore */ }
    }
    field.addEventListener('pointerup', endDrag);
    field.addEventListener('pointercancel', endDrag);
    field.addEventListener('keydown', function (e) {
      if (disabled) { return; }
      var step = e.shiftKey ? 1 : 5;
      var dx = 0, dy = 0;
      switch (e.key) {
        case 'ArrowLeft': dx = -step; break;
        case 'ArrowRight': dx = step; break;
        case 'ArrowUp': dy = step; break;
        case 'ArrowDown': dy = -step; break;
        case 'Home': point = [50, 50]; refresh(); e.preventDefault(); return;
        case 'Enter':
          if (point) { e.preventDefault(); send(false); }
          return;
        default: return;
      }
      e.preventDefault();
      if (!point) { point = [50, 50]; }
      else { point = [clamp(point[0] + dx, 0, 100), clamp(point[1] + dy, 0, 100)]; }
      refresh();
    });

    wrap.appendChild(label);
    wrap.appendChild(frame);
    wrap.appendChild(keys);
    wrap.appendChild(readout);
    return {
      el: wrap,
      getValue: function () { return point ? [point[0], point[1]] : undefined; },
      setValue: function (v) {
        if (!Array.isArray(v) || v.length !== 2) { return; }
        var x = Number(v[0]), y = Number(v[1]);
        if (!isFinite(x) || !isFinite(y)) { return; }
        point = [clamp(Math.round(x), 0, 100), clamp(Math.round(y), 0, 100)];
        refresh();
      },
      setDisabled: function (d) {
        disabled = d;
        dragging = false;
        field.classList.toggle('is-disabled', d);
        field.setAttribute('aria-disabled', d ? 'true' : 'false');
      },
      describe: describe
    };
  }

  function unsupportedControl() {
    var wrap = el('div', { className: 'control control-unsupported' });
    wrap.appendChild(el('p', { className: 'hint' },
      "This kind of question can't be answered on this phone. You can pass."));
    return {
      el: wrap,
      getValue: function () { return undefined; },
      setValue: function () {},
      setDisabled: function () {},
      describe: str
    };
  }

  var BUILDERS = {
    scale: buildScale,
    single_choice: function (s, cb) { return buildChoices(s, cb, false); },
    multiple_choice: function (s, cb) { return buildChoices(s, cb, true); },
    word: buildWord,
    text: buildText,
    spectrum: buildSpectrum,
    position2d: buildPosition2d
  };

  // -------------------------------------------------------------------- pause

  var PAUSE_COOLDOWN_MS = 60000;

  /** A private signal: only a count reaches the facilitator. */
  function askForPause() {
    var button = $('pause-button');
    button.disabled = true;
    requestJSON('POST', '/api/pause', { code: state.code, token: state.token }, { timeout: 10000 })
      .then(function (res) {
        if (res.ok) {
          setStatus('Thank you. The facilitator sees that someone would like a pause, not who.', 'ok');
          setTimeout(function () { button.disabled = false; }, PAUSE_COOLDOWN_MS);
        } else {
          button.disabled = false;
          setStatus(res.data.error || 'That did not reach the facilitator. Please try again.', 'error');
        }
      }, function () {
        button.disabled = false;
        setStatus('No connection right now. Please try again in a moment.', 'error');
      });
  }

  // -------------------------------------------------------------------- start

  function init() {
    $('join-form').addEventListener('submit', function (e) {
      e.preventDefault();
      var code = normalizeCode($('code-input').value);
      if (!code) {
        setStatus('Please type the code shown in the room.', 'error');
        $('code-input').focus();
        return;
      }
      setStatus('');
      join(code, false);
    });
    $('room-code-form').addEventListener('submit', function (e) {
      e.preventDefault();
      var typed = str($('room-code-input').value).replace(/\s+/g, '');
      if (!/^[0-9]{4}$/.test(typed)) {
        setStatus('Please type the 4 digits shown on the screen.', 'error');
        $('room-code-input').focus();
        return;
      }
      setStatus('');
      join(state.code, false, typed);
    });
    $('code-input').addEventListener('input', function () {
      var input = $('code-input');
      var pos = input.selectionStart;
      var up = input.value.toUpperCase();
      if (up !== input.value) {
        input.value = up;
        try { input.setSelectionRange(pos, pos); } catch (e) { /* ignore */ }
      }
    });
    $('start-button').addEventListener('click', function () {
      sess.set(welcomeKey(state.code), '1');
      startFollowing();
    });
    $('submit-button').addEventListener('click', function () { send(false); });
    $('pass-button').addEventListener('click', function () { send(true); });
    $('pause-button').addEventListener('click', askForPause);

    document.addEventListener('visibilitychange', function () {
      if (document.visibilityState === 'visible') { repollNow(); }
    });
    window.addEventListener('online', repollNow);
    window.addEventListener('pageshow', function (e) { if (e.persisted) { repollNow(); } });
    window.addEventListener('focus', function () {
      if (state.pollFailures > 0) { repollNow(); }
    });

    var params;
    try { params = new URLSearchParams(window.location.search); } catch (e) { params = null; }
    var code = normalizeCode(params ? params.get('code') : '');
    if (code) {
      join(code, false);
    } else {
      showJoinForm('');
    }
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', init);
  } else {
    init();
  }
}());
