/* Statements on one scale (workshop/questions/statements.py): a row per statement with a
 * button per level (its number, and its name for screen readers) and a Pass of its own.  The
 * key above the rows names each level.  An answer once every statement is rated or passed and
 * at least one is rated: one entry per statement, its level (1 the first) or null if passed. */

import { el, withId } from '../js/dom.js';
import { CONTROL, PAGE } from '../js/ids.js';
import { str, toInt } from '../js/values.js';

const PASSED = null;
const HINT = 'Rate each statement, or pass it';

export function create(settings, { onChange }) {
  const statements = Array.isArray(settings.statements) ? settings.statements.map(str) : [];
  const levels = Array.isArray(settings.levels) ? settings.levels.map(str) : [];
  let chosen = statements.map(() => undefined);   // undefined: not yet; PASSED; or 1..levels
  let disabled = false;

  const wrap = el('div', { className: 'control control-statements' });
  const hint = withId('p', CONTROL.statementsHint, { className: 'hint control-hint', 'aria-live': 'polite' }, HINT);
  const key = withId('ol', CONTROL.statementsKey, { className: 'statements-key', 'aria-label': 'The scale' });
  levels.forEach((name, i) => {
    const item = el('li', { className: 'statements-key-item' });
    item.append(el('span', { className: 'statements-key-number' }, String(i + 1)), el('span', {}, name));
    key.appendChild(item);
  });
  const list = withId('div', CONTROL.statementsRows, { className: 'statements-rows', role: 'group', 'aria-labelledby': PAGE.prompt });
  const rows = statements.map((statement, i) => {
    const textId = CONTROL.statementsTextPrefix + i;
    const row = withId('div', CONTROL.statementsRowPrefix + i,
      { className: 'statements-row', role: 'group', 'aria-labelledby': textId });
    const head = el('div', { className: 'statements-head' });
    const words = el('p', { className: 'statements-words' });
    const text = withId('span', textId, { className: 'statements-text' }, statement);
    const state = el('span', { className: 'statements-chosen', 'aria-hidden': 'true' });
    words.append(text, state);
    const pass = withId('button', CONTROL.statementsPassPrefix + i,
      { className: 'statements-pass', type: 'button', 'aria-pressed': 'false', 'aria-label': 'Pass this statement' }, 'Pass');
    pass.addEventListener('click', () => { choose(i, chosen[i] === PASSED ? undefined : PASSED); });
    head.append(words, pass);
    const scale = el('div', { className: 'statements-levels' });
    scale.style.setProperty('--levels', String(Math.max(levels.length, 1)));
    const buttons = levels.map((name, n) => {
      const b = withId('button', CONTROL.statementsLevelPrefix + i + '-' + (n + 1),
        { className: 'statements-level', type: 'button', 'aria-pressed': 'false', 'aria-label': (n + 1) + ' ' + name },
        String(n + 1));
      b.addEventListener('click', () => { choose(i, n + 1); });
      scale.appendChild(b);
      return b;
    });
    row.append(head, scale);
    list.appendChild(row);
    return { pass: pass, buttons: buttons, state: state, row: row };
  });

  const rated = () => chosen.filter((c) => typeof c === 'number').length;
  const left = () => chosen.filter((c) => c === undefined).length;

  function refresh() {
    rows.forEach((row, i) => {
      row.buttons.forEach((b, n) => {
        const on = chosen[i] === n + 1;
        b.setAttribute('aria-pressed', on ? 'true' : 'false');
        b.classList.toggle('is-selected', on);
        b.disabled = disabled;
      });
      row.pass.setAttribute('aria-pressed', chosen[i] === PASSED ? 'true' : 'false');
      row.pass.classList.toggle('is-selected', chosen[i] === PASSED);
      row.pass.disabled = disabled;
      row.row.classList.toggle('is-done', chosen[i] !== undefined);
      row.state.textContent = chosen[i] === PASSED ? 'Passed' : (chosen[i] ? levels[chosen[i] - 1] : '');
    });
    const rest = left();
    if (rest > 0) {
      hint.textContent = rest === statements.length ? HINT
        : rest + (rest === 1 ? ' statement' : ' statements') + ' left to rate or pass';
    } else {
      hint.textContent = rated() ? 'All done: you can send'
        : 'You passed every statement. To pass the whole question, tap Pass below';
    }
    hint.classList.toggle('is-done', rest === 0 && rated() > 0);
    onChange();
  }

  function choose(i, level) {
    if (disabled) { return; }
    chosen[i] = level;
    refresh();
  }

  function describe(v) {
    if (!Array.isArray(v)) { return str(v); }
    return statements.map((s, i) => {
      const n = toInt(v[i], 0);
      return s + ': ' + (v[i] === null || !levels[n - 1] ? 'passed' : levels[n - 1]);
    }).join('; ');
  }

  wrap.append(hint, key, list);
  refresh();
  return {
    element: wrap,
    value: () => (statements.length && left() === 0 && rated() > 0
      ? chosen.map((c) => (c === PASSED ? null : c)) : undefined),
    restore(v) {
      if (!Array.isArray(v) || v.length !== statements.length) { return; }
      chosen = v.map((c) => {
        const n = toInt(c, 0);
        return c === null ? PASSED : (n >= 1 && n <= levels.length ? n : undefined);
      });
      refresh();
    },
    setDisabled(d) { disabled = d; refresh(); },
    describe: describe
  };
}
