/* Ranking (workshop/questions/ranking.py): the items as a list to put in order, the first the
 * most wanted.  Each row moves with its up and down buttons (no dragging needed: WCAG 2.2,
 * 2.5.7) or by dragging its handle.  The list counts as an answer once the participant has
 * moved an item or said the order as shown is theirs. */

import { el, withId } from '../js/dom.js';
import { CONTROL, PAGE } from '../js/ids.js';
import { str } from '../js/values.js';

const HINT = 'Use the arrows, or drag by \u2630';

export function create(settings, { onChange }) {
  const items = Array.isArray(settings.items) ? settings.items.map(str) : [];
  let order = items.slice();
  let chosen = false;
  let disabled = false;

  const wrap = el('div', { className: 'control control-ranking' });
  const hint = withId('p', CONTROL.rankingHint, { className: 'hint control-hint', 'aria-live': 'polite' }, HINT);
  const list = withId('ol', CONTROL.rankingList, { className: 'ranking-list', 'aria-labelledby': PAGE.prompt });
  const keep = withId('button', CONTROL.rankingKeep, { className: 'btn btn-secondary ranking-keep', type: 'button' },
    'This order is mine');
  keep.addEventListener('click', () => {
    if (disabled) { return; }
    chosen = true;
    hint.textContent = 'Your order is ready to send. You can still move items.';
    refresh();
  });

  const rows = items.map((item, i) => {
    const row = withId('li', CONTROL.rankingItemPrefix + i, { className: 'ranking-row' });
    const handle = el('span', { className: 'ranking-handle', 'aria-hidden': 'true' }, '\u2630');
    const place = el('span', { className: 'ranking-place', 'aria-hidden': 'true' });
    const name = el('span', { className: 'ranking-name' }, item);
    const up = withId('button', CONTROL.rankingUpPrefix + i, { className: 'ranking-move', type: 'button' }, '\u2191');
    const down = withId('button', CONTROL.rankingDownPrefix + i, { className: 'ranking-move', type: 'button' }, '\u2193');
    up.addEventListener('click', () => { move(item, -1, up); });
    down.addEventListener('click', () => { move(item, 1, down); });
    handle.addEventListener('pointerdown', (e) => { startDrag(e, item, row); });
    row.append(handle, place, name, up, down);
    return { item: item, row: row, place: place, up: up, down: down };
  });

  function rowOf(item) { return rows[items.indexOf(item)]; }

  function refresh() {
    order.forEach((item, at) => {
      const r = rowOf(item);
      list.appendChild(r.row);                     // the DOM follows the order
      r.place.textContent = String(at + 1);
      r.up.disabled = disabled || at === 0;
      r.down.disabled = disabled || at === order.length - 1;
      r.up.setAttribute('aria-label', 'Move ' + item + ' up, now ' + (at + 1) + ' of ' + order.length);
      r.down.setAttribute('aria-label', 'Move ' + item + ' down, now ' + (at + 1) + ' of ' + order.length);
      r.row.classList.toggle('is-disabled', disabled);
    });
    keep.hidden = chosen;
    keep.disabled = disabled;
    onChange();
  }

  function place(item, to) {
    const from = order.indexOf(item);
    if (to < 0 || to >= order.length || to === from) { return false; }
    order.splice(from, 1);
    order.splice(to, 0, item);
    chosen = true;
    hint.textContent = item + ' is now ' + (to + 1) + ' of ' + order.length + '.';
    return true;
  }

  function move(item, by, button) {
    if (disabled || !place(item, order.indexOf(item) + by)) { return; }
    refresh();
    if (!button.disabled) { button.focus(); } else { (by < 0 ? rowOf(item).down : rowOf(item).up).focus(); }
  }

  function startDrag(e, item, row) {
    if (disabled) { return; }
    e.preventDefault();
    row.classList.add('is-dragging');
    // Listened for on the document: moving the row in the list would end a pointer capture.
    const follow = (ev) => {
      const others = order.filter((it) => it !== item).map((it) => rowOf(it).row.getBoundingClientRect());
      const to = others.filter((r) => ev.clientY > r.top + r.height / 2).length;
      if (place(item, to)) { refresh(); }
    };
    const end = () => {
      row.classList.remove('is-dragging');
      document.removeEventListener('pointermove', follow);
      document.removeEventListener('pointerup', end);
      document.removeEventListener('pointercancel', end);
    };
    document.addEventListener('pointermove', follow);
    document.addEventListener('pointerup', end);
    document.addEventListener('pointercancel', end);
  }

  wrap.append(hint, list, keep);
  refresh();
  return {
    element: wrap,
    value: () => (chosen && items.length ? order.slice() : undefined),
    restore(v) {
      if (!Array.isArray(v) || v.length !== items.length) { return; }
      const given = v.map(str);
      if (!items.every((item) => given.indexOf(item) !== -1)) { return; }
      order = given;
      chosen = true;
      hint.textContent = HINT;
      refresh();
    },
    setDisabled(d) { disabled = d; refresh(); },
    describe: (v) => (Array.isArray(v) ? v.map((item, i) => (i + 1) + '. ' + str(item)).join(', ') : str(v))
  };
}
