/* Points to share (workshop/questions/points.py): one stepper per item, − and + by `step`, the
 * points left always in view, and an answer only once exactly `total` are shared. */

import { el, withId } from '../js/dom.js';
import { CONTROL, PAGE } from '../js/ids.js';
import { str, toInt } from '../js/values.js';

export function create(settings, { onChange }) {
  const items = Array.isArray(settings.items) ? settings.items.map(str) : [];
  const total = Math.max(1, toInt(settings.total, 100));
  let step = toInt(settings.step, 5);
  if (!(step >= 1) || total % step) { step = 1; }
  let points = items.map(() => 0);
  let disabled = false;

  const wrap = el('div', { className: 'control control-points' });
  const left = withId('p', CONTROL.pointsLeft, { className: 'points-left', 'aria-live': 'polite' });
  const list = withId('div', CONTROL.pointsItems, { className: 'points-items', role: 'group', 'aria-labelledby': PAGE.prompt });
  const rows = items.map((item, i) => {
    const row = el('div', { className: 'points-row' });
    const name = withId('span', CONTROL.pointsNamePrefix + i, { className: 'points-name' }, item);
    const less = withId('button', CONTROL.pointsLessPrefix + i,
      { className: 'points-step', type: 'button', 'aria-label': 'Fewer points for ' + item }, '\u2212');
    const value = withId('output', CONTROL.pointsValuePrefix + i,
      { className: 'points-value', 'aria-live': 'off', 'aria-labelledby': CONTROL.pointsNamePrefix + i });
    const more = withId('button', CONTROL.pointsMorePrefix + i,
      { className: 'points-step', type: 'button', 'aria-label': 'More points for ' + item }, '+');
    less.addEventListener('click', () => { change(i, -step); });
    more.addEventListener('click', () => { change(i, step); });
    row.append(name, less, value, more);
    list.appendChild(row);
    return { less: less, value: value, more: more };
  });

  function shared() { return points.reduce((a, b) => a + b, 0); }

  function refresh() {
    const rest = total - shared();
    rows.forEach((row, i) => {
      row.value.textContent = String(points[i]);
      row.less.disabled = disabled || points[i] <= 0;
      row.more.disabled = disabled || rest <= 0;
    });
    left.textContent = rest === 0
      ? 'All ' + total + ' points shared. You can still move them.'
      : rest + ' of ' + total + ' points left to share';
    left.classList.toggle('is-done', rest === 0);
    onChange();
  }

  function change(i, by) {
    if (disabled) { return; }
    const rest = total - shared();
    const next = Math.max(0, Math.min(points[i] + Math.min(by, rest), total));
    if (next === points[i]) { return; }
    points[i] = next;
    refresh();
  }

  function describe(v) {
    if (!Array.isArray(v)) { return str(v); }
    return items.map((item, i) => item + ' ' + toInt(v[i], 0)).join(', ');
  }

  wrap.append(left, list);
  refresh();
  return {
    element: wrap,
    value: () => (items.length && shared() === total ? points.slice() : undefined),
    restore(v) {
      if (!Array.isArray(v) || v.length !== items.length) { return; }
      const given = v.map((n) => Math.max(0, toInt(n, 0)));
      if (given.reduce((a, b) => a + b, 0) !== total) { return; }
      points = given;
      refresh();
    },
    setDisabled(d) { disabled = d; refresh(); },
    describe: describe
  };
}
