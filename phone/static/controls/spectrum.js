/* Where one stands between two poles (workshop/questions/spectrum.py): a slider from 0 to 100. */

import { el, srLabel, withId } from '../js/dom.js';
import { CONTROL } from '../js/ids.js';
import { clamp, str, toInt } from '../js/values.js';
import { touchedRange } from './slider.js';

const HINT = 'Move the slider to where you are';

export function create(settings, { onChange }) {
  const leftName = str(settings.left) || 'Left';
  const rightName = str(settings.right) || 'Right';
  const middleName = str(settings.middle);

  const wrap = el('div', { className: 'control control-spectrum' });
  const label = srLabel(CONTROL.spectrumInput, 'Where are you between ' + leftName + ' and ' + rightName + '?');
  const readout = withId('output', CONTROL.spectrumValue,
    { className: 'readout readout-words is-unset', for: CONTROL.spectrumInput, 'aria-live': 'polite' }, '\u2013');
  const poles = el('div', { className: 'poles' });
  poles.appendChild(withId('span', CONTROL.spectrumLeft, { className: 'pole pole-left' }, leftName));
  poles.appendChild(withId('span', CONTROL.spectrumMiddle, { className: 'pole pole-middle' }, middleName));
  poles.appendChild(withId('span', CONTROL.spectrumRight, { className: 'pole pole-right' }, rightName));
  const input = withId('input', CONTROL.spectrumInput, {
    className: 'range range-wide is-unset', type: 'range', min: 0, max: 100, step: 1, value: 50,
    'aria-describedby': CONTROL.spectrumHint, 'aria-valuetext': 'not chosen yet'
  });
  const hint = withId('p', CONTROL.spectrumHint, { className: 'hint control-hint' }, HINT);

  function describe(v) {
    const n = clamp(toInt(v, 50), 0, 100);
    if (n <= 10) { return 'very close to ' + leftName; }
    if (n < 40) { return 'toward ' + leftName; }
    if (n <= 60) { return middleName ? middleName : 'in the middle'; }
    if (n < 90) { return 'toward ' + rightName; }
    return 'very close to ' + rightName;
  }

  const t = touchedRange(input, refresh);
  function refresh() {
    const on = t.isTouched();
    input.classList.toggle('is-unset', !on);
    readout.classList.toggle('is-unset', !on);
    const text = on ? describe(input.value) : '\u2013';
    readout.textContent = on ? text.charAt(0).toUpperCase() + text.slice(1) : text;
    input.setAttribute('aria-valuetext', on ? input.value + ', ' + text : 'not chosen yet');
    hint.textContent = on ? 'You can move it again until you send' : HINT;
    onChange();
  }

  wrap.append(label, readout, poles, input, hint);
  return {
    element: wrap,
    value: () => (t.isTouched() ? clamp(toInt(input.value, 50), 0, 100) : undefined),
    restore(v) {
      const n = Number(v);
      if (!isFinite(n)) { return; }
      input.value = String(clamp(Math.round(n), 0, 100));
      t.setTouched(true);
      refresh();
    },
    setDisabled(d) { input.disabled = d; },
    describe: describe
  };
}
