/* A short text (workshop/questions/text.py), with a counter toward its limit. */

import { el, withId } from '../js/dom.js';
import { CONTROL } from '../js/ids.js';
import { clamp, str, toInt } from '../js/values.js';

export function create(settings, { onChange }) {
  const limit = clamp(toInt(settings.max_chars, 280), 1, 5000);  // the server's limit (workshop/questions/text.py)
  const wrap = el('div', { className: 'control control-text' });
  const label = el('label', { className: 'field-label', for: CONTROL.textInput }, 'Your answer');
  const input = withId('textarea', CONTROL.textInput, {
    className: 'text-field text-area', maxlength: limit, rows: 4, autocomplete: 'off',
    'aria-describedby': CONTROL.textCounter
  });
  const counter = withId('p', CONTROL.textCounter, { className: 'hint counter' }, '0 / ' + limit);
  function refresh() {
    const n = input.value.length;
    counter.textContent = n + ' / ' + limit;
    counter.classList.toggle('is-near', n >= limit - 20);
    onChange();
  }
  input.addEventListener('input', refresh);
  wrap.append(label, input, counter);
  return {
    element: wrap,
    value() {
      const v = input.value.trim();
      return v ? v.slice(0, limit) : undefined;
    },
    restore(v) { input.value = str(v).slice(0, limit); refresh(); },
    setDisabled(d) { input.disabled = d; },
    describe: (v) => '\u201c' + str(v) + '\u201d'
  };
}
