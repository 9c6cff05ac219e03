/* A number on a scale (workshop/questions/scale.py): a slider from min to max. */

import { el, srLabel, withId } from '../js/dom.js';
import { CONTROL } from '../js/ids.js';
import { clamp, str, toInt } from '../js/values.js';
import { touchedRange } from './slider.js';

const HINT = 'Move the slider to choose your answer';

export function create(settings, { onChange }) {
  const min = toInt(settings.min, 0);
  let max = toInt(settings.max, 10);
  if (max <= min) { max = min + 10; }
  const mid = Math.round((min + max) / 2);
  const minLabel = str(settings.min_label);
  const maxLabel = str(settings.max_label);

  const wrap = el('div', { className: 'control control-scale' });
  const readout = withId('output', CONTROL.scaleValue,
    { className: 'readout is-unset', for: CONTROL.scaleInput, 'aria-live': 'polite' }, '\u2013');
  const hint = withId('p', CONTROL.scaleHint, { className: 'hint control-hint' }, HINT);
  const label = srLabel(CONTROL.scaleInput, 'Your answer, from ' + min + (minLabel ? ' (' + minLabel + ')' : '') +
    ' to ' + max + (maxLabel ? ' (' + maxLabel + ')' : ''));
  const input = withId('input', CONTROL.scaleInput, {
    className: 'range is-unset', type: 'range', min: min, max: max, step: 1, value: mid,
    'aria-describedby': CONTROL.scaleHint, 'aria-valuetext': 'not chosen yet'
  });
  const ends = el('div', { className: 'ends' });
  const left = withId('span', CONTROL.scaleMinLabel, { className: 'end end-left' });
  left.appendChild(el('strong', null, min));
  if (minLabel) { left.appendChild(el('span', null, minLabel)); }
  const right = withId('span', CONTROL.scaleMaxLabel, { className: 'end end-right' });
  right.appendChild(el('strong', null, max));
  if (maxLabel) { right.appendChild(el('span', null, maxLabel)); }
  ends.appendChild(left);
  ends.appendChild(right);

  function describe(v) {
    const n = toInt(v, mid);
    let text = String(n);
    if (n === min && minLabel) { text += ' (' + minLabel + ')'; }
    if (n === max && maxLabel) { text += ' (' + maxLabel + ')'; }
    return text;
  }

  const t = touchedRange(input, refresh);
  function refresh() {
    const on = t.isTouched();
    input.classList.toggle('is-unset', !on);
    readout.classList.toggle('is-unset', !on);
    readout.textContent = on ? String(input.value) : '\u2013';
    input.setAttribute('aria-valuetext', on ? describe(input.value) : 'not chosen yet');
    hint.textContent = on ? 'Your answer: ' + describe(input.value) : HINT;
    onChange();
  }

  wrap.append(label, readout, input, ends, hint);
  return {
    element: wrap,
    value: () => (t.isTouched() ? toInt(input.value, mid) : undefined),
    restore(v) {
      const n = toInt(v, NaN);
      if (!isFinite(n)) { return; }
      input.value = String(clamp(n, min, max));
      t.setTouched(true);
      refresh();
    },
    setDisabled(d) { input.disabled = d; },
    describe: describe
  };
}
