/* The exercise screen: the live step's prompt, its control, the Send and Pass buttons, what
 * was sent, and the group's counts when the facilitator shares them.  This module owns the
 * step on the page and its control; sending is outbox.js's (it reaches the buttons through
 * the `busy` and `submit` hooks, set by main.js).
 */

import { controlFor } from './controls.js';
import { byId, clear, el } from './dom.js';
import { PAGE } from './ids.js';
import { currentScreen, setStatus, show } from './screen.js';
import { TEXT } from './texts.js';
import { asTyped, TYPED_KINDS } from './typed.js';
import { clamp, str, toInt } from './values.js';

let key = null;       // "index:exercise id" of the step on the page, or null
let step = null;
let open = false;
let type = '';
let control = null;

let hooks = {
  busy: () => false,   // an answer is on its way
  submit() {},         // (isPass): send the control's value, or a pass
  newStep() {}         // another step is on the page: an answer not yet sent is dropped
};

export function connect(given) { hooks = Object.assign({}, hooks, given); }

/** The step on the page and what its control holds (value undefined: nothing to send yet). */
export function current() {
  if (!step || !control) { return null; }
  return { key: key, index: step.index, open: open, type: type, value: control.value() };
}

export function isCurrent(stepKey) { return stepKey === key; }

/** The live step, with this phone's stored answer to it (or null). `code` finds the typed form. */
export function renderStep(live, answer, code) {
  const ex = live.exercise;
  const liveKey = str(live.index) + ':' + str(ex.id);
  const liveOpen = !!live.open;
  if (liveKey !== key) {
    step = live;
    key = liveKey;
    open = liveOpen;
    buildExercise(live, answer, code);
    applyOpen();
    show(PAGE.exercise);
    return;
  }
  step = live;
  if (liveOpen !== open) {
    open = liveOpen;
    applyOpen();
  }
  if (currentScreen() !== PAGE.exercise) { show(PAGE.exercise); }
}

/** No step is live: forget the one on the page.  True if there was one. */
export function clearStep() {
  if (key === null) { return false; }
  key = null;
  step = null;
  control = null;
  return true;
}

/** Answering was closed (the server said so before the next poll did). */
export function close() {
  open = false;
  applyOpen();
}

/** The group's counts, only when the facilitator shares them; built with textContent. */
export function renderGroup(group) {
  const section = byId(PAGE.groupResults);
  const list = byId(PAGE.groupRows);
  clear(list);
  if (!group) { section.hidden = true; return; }
  byId(PAGE.groupSummary).textContent = str(group.summary);
  const rows = Array.isArray(group.rows) ? group.rows : [];
  let most = 1;
  rows.forEach((row) => { most = Math.max(most, toInt(row[1], 0)); });
  rows.forEach((row) => {
    const count = toInt(row[1], 0);
    const item = el('li', { className: 'group-row' });
    item.appendChild(el('span', { className: 'group-label' }, str(row[0])));
    const bar = el('span', { className: 'group-bar', 'aria-hidden': 'true' });
    bar.style.width = Math.round(100 * count / most) + '%';
    item.appendChild(bar);
    item.appendChild(el('span', { className: 'group-count' }, String(count)));
    list.appendChild(item);
  });
  section.hidden = false;
}

function stepNumber(live) {
  // `index` counts from 0 in the API; show it counting from 1.
  const total = toInt(live.total, 0);
  let n = toInt(live.index, 0) + 1;
  if (total > 0) { n = clamp(n, 1, total); }
  return { n: n, total: total };
}

function buildExercise(live, answer, code) {
  const ex = live.exercise;
  const settings = (ex.settings && typeof ex.settings === 'object') ? ex.settings : {};
  hooks.newStep();
  setStatus('');

  byId(PAGE.domainLabel).textContent = str(ex.domain_label || '');
  const num = stepNumber(live);
  byId(PAGE.stepCounter).textContent = num.total ? TEXT.stepOf(num.n, num.total) : '';
  const note = byId(PAGE.contentNote);
  note.textContent = str(ex.content_note || '');
  note.hidden = !ex.content_note;
  byId(PAGE.prompt).textContent = str(ex.prompt || ex.title || '');

  const area = byId(PAGE.answerArea);
  clear(area);
  type = str(ex.type);
  control = controlFor(ex.type)(settings, { onChange: updateButtons, onSubmit: () => hooks.submit(false) });
  area.appendChild(control.element);
  area.setAttribute('data-type', type);
  document.body.setAttribute('data-type', type);

  const summary = byId(PAGE.sentSummary);
  summary.hidden = true;
  summary.textContent = '';
  if (answer && answer.passed) {
    showSent({ isPass: true });
  } else if (answer && answer.value !== undefined && answer.value !== null) {
    const value = TYPED_KINDS[type] ? asTyped(code, key, answer.value) : answer.value;
    try { control.restore(value); } catch (e) { /* keep empty */ }
    showSent({ isPass: false, value: value });
  }
  updateButtons();
  window.scrollTo(0, 0);
}

function applyOpen() {
  byId(PAGE.closedMessage).hidden = open;
  byId(PAGE.exercise).classList.toggle('is-closed', !open);
  if (control) { control.setDisabled(!open); }
  updateButtons();
}

export function updateButtons() {
  const submit = byId(PAGE.submitButton);
  const pass = byId(PAGE.passButton);
  const sending = hooks.busy();
  const hasValue = !!control && control.value() !== undefined;
  submit.disabled = !open || sending || !hasValue;
  pass.disabled = !open || sending;
  submit.setAttribute('aria-busy', sending ? 'true' : 'false');
}

/** "You sent: ..." (in the control's words) or "You passed on this one." */
export function showSent(sent) {
  const summary = byId(PAGE.sentSummary);
  if (sent.isPass) {
    summary.textContent = TEXT.passed;
  } else {
    const text = (control && control.describe) ? control.describe(sent.value) : str(sent.value);
    summary.textContent = TEXT.sent + text;
  }
  summary.hidden = false;
}
