/* A dot on a field with two axes (workshop/questions/position2d.py): tap, drag or arrow keys;
 * the value is [x, y], each 0 to 100, y = 100 at the top. */

import { el, withId } from '../js/dom.js';
import { CONTROL } from '../js/ids.js';
import { clamp, str } from '../js/values.js';

const NO_DOT = 'No dot placed yet';

function axisWord(v, lowName, highName) {
  if (v < 40) { return lowName; }
  if (v > 60) { return highName; }
  return 'middle';
}

export function create(settings, { onChange, onSubmit }) {
  const names = {
    left: str(settings.x_left) || 'Left',
    right: str(settings.x_right) || 'Right',
    bottom: str(settings.y_bottom) || 'Bottom',
    top: str(settings.y_top) || 'Top'
  };
  let point = null;   // [x, y], y = 100 at the top
  let disabled = false;
  let dragging = false;

  const wrap = el('div', { className: 'control control-position2d' });
  const label = withId('label', CONTROL.fieldLabel, { className: 'field-label field-label-2d' }, 'Tap or drag to place your dot');
  const frame = el('div', { className: 'field-frame' });
  const field = withId('div', CONTROL.field, {
    className: 'field2d', tabindex: 0, role: 'application',
    'aria-roledescription': 'position field',
    'aria-labelledby': CONTROL.fieldLabel,
    'aria-describedby': CONTROL.fieldKeys + ' ' + CONTROL.fieldReadout
  });
  field.appendChild(el('span', { className: 'axis axis-x', 'aria-hidden': 'true' }));
  field.appendChild(el('span', { className: 'axis axis-y', 'aria-hidden': 'true' }));
  field.appendChild(withId('span', CONTROL.fieldTop, { className: 'pole2d pole2d-top', 'aria-hidden': 'true' }, names.top));
  field.appendChild(withId('span', CONTROL.fieldBottom, { className: 'pole2d pole2d-bottom', 'aria-hidden': 'true' }, names.bottom));
  field.appendChild(withId('span', CONTROL.fieldLeft, { className: 'pole2d pole2d-left', 'aria-hidden': 'true' }, names.left));
  field.appendChild(withId('span', CONTROL.fieldRight, { className: 'pole2d pole2d-right', 'aria-hidden': 'true' }, names.right));
  const dot = withId('span', CONTROL.fieldDot, { className: 'dot', 'aria-hidden': 'true' });
  dot.hidden = true;
  field.appendChild(dot);
  frame.appendChild(field);
  const keys = withId('p', CONTROL.fieldKeys, { className: 'sr-only' },
    'Left and right: ' + names.left + ' to ' + names.right + '. Down and up: ' + names.bottom + ' to ' + names.top +
    '. Arrow keys move the dot; hold Shift for small steps.');
  const readout = withId('p', CONTROL.fieldReadout, { className: 'hint control-hint', 'aria-live': 'polite' }, NO_DOT);

  function describe(v) {
    if (!Array.isArray(v) || v.length !== 2) { return str(v); }
    const x = Math.round(Number(v[0]));
    const y = Math.round(Number(v[1]));
    const xw = axisWord(x, names.left, names.right);
    const yw = axisWord(y, names.bottom, names.top);
    const words = (xw === 'middle' && yw === 'middle') ? 'the centre' : xw + ' \u00b7 ' + yw;
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
      readout.textContent = NO_DOT;
    }
    field.classList.toggle('has-dot', !!point);
    onChange();
  }
  function placeAt(clientX, clientY) {
    const r = field.getBoundingClientRect();
    if (!r.width || !r.height) { return; }
    const x = clamp(Math.round((clientX - r.left) / r.width * 100), 0, 100);
    const y = clamp(Math.round(100 - (clientY - r.top) / r.height * 100), 0, 100);
    point = [x, y];
    refresh();
  }

  field.addEventListener('pointerdown', (e) => {
    if (disabled) { return; }
    if (e.pointerType === 'mouse' && e.button !== 0) { return; }
    dragging = true;
    try { field.setPointerCapture(e.pointerId); } catch (err) { /* ignore */ }
    placeAt(e.clientX, e.clientY);
    field.focus({ preventScroll: true });
    e.preventDefault();
  });
  field.addEventListener('pointermove', (e) => {
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
  field.addEventListener('keydown', (e) => {
    if (disabled) { return; }
    const step = e.shiftKey ? 1 : 5;
    let dx = 0;
    let dy = 0;
    switch (e.key) {
      case 'ArrowLeft': dx = -step; break;
      case 'ArrowRight': dx = step; break;
      case 'ArrowUp': dy = step; break;
      case 'ArrowDown': dy = -step; break;
      case 'Home': point = [50, 50]; refresh(); e.preventDefault(); return;
      case 'Enter':
        if (point) { e.preventDefault(); onSubmit(); }
        return;
      default: return;
    }
    e.preventDefault();
    if (!point) { point = [50, 50]; } else { point = [clamp(point[0] + dx, 0, 100), clamp(point[1] + dy, 0, 100)]; }
    refresh();
  });

  wrap.append(label, frame, keys, readout);
  return {
    element: wrap,
    value: () => (point ? [point[0], point[1]] : undefined),
    restore(v) {
      if (!Array.isArray(v) || v.length !== 2) { return; }
      const x = Number(v[0]);
      const y = Number(v[1]);
      if (!isFinite(x) || !isFinite(y)) { return; }
      point = [clamp(Math.round(x), 0, 100), clamp(Math.round(y), 0, 100)];
      refresh();
    },
    setDisabled(d) {
      disabled = d;
      dragging = false;
      field.classList.toggle('is-disabled', d);
      field.setAttribute('aria-disabled', d ? 'true' : 'false');
    },
    describe: describe
  };
}
