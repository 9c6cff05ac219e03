/* Options to tap (workshop/questions/choice.py): one (single_choice.js) or several, up to
 * max_choices (multiple_choice.js).  Both kinds are this one builder. */

import { el, withId } from '../js/dom.js';
import { CONTROL, PAGE } from '../js/ids.js';
import { str, toInt } from '../js/values.js';

export function createChoices(settings, { onChange }, multiple) {
  const options = Array.isArray(settings.options) ? settings.options.map(str) : [];
  let maxChoices = multiple ? toInt(settings.max_choices, options.length) : 1;
  if (!(maxChoices >= 1)) { maxChoices = options.length; }
  maxChoices = Math.min(maxChoices, options.length) || 1;
  let selected = [];
  let disabled = false;

  const wrap = el('div', { className: 'control control-choices' + (multiple ? ' is-multiple' : '') });
  const hintText = multiple
    ? (maxChoices < options.length ? 'Choose up to ' + maxChoices : 'Choose all that fit')
    : 'Choose one';
  const hint = withId('p', CONTROL.choiceHint, { className: 'hint control-hint', 'aria-live': 'polite' }, hintText);
  const short = options.every((o) => o.length <= 14);
  const group = withId('div', CONTROL.options, {
    className: 'options' + (options.length > 4 ? ' is-many' : '') + (short && options.length > 4 ? ' is-two-col' : ''),
    role: 'group', 'aria-labelledby': PAGE.prompt, 'aria-describedby': CONTROL.choiceHint
  });
  const buttons = options.map((text, i) => {
    const b = withId('button', CONTROL.optionPrefix + i, { className: 'option', type: 'button', 'aria-pressed': 'false' });
    b.appendChild(el('span', { className: 'option-mark', 'aria-hidden': 'true' }));
    b.appendChild(el('span', { className: 'option-text' }, text));
    b.addEventListener('click', () => { toggle(i); });
    group.appendChild(b);
    return b;
  });

  function refresh() {
    buttons.forEach((b, i) => {
      const on = selected.indexOf(i) !== -1;
      b.setAttribute('aria-pressed', on ? 'true' : 'false');
      b.classList.toggle('is-selected', on);
      const full = multiple && !on && selected.length >= maxChoices;
      b.classList.toggle('is-full', full);
      b.disabled = disabled;
    });
    onChange();
  }

  function toggle(i) {
    if (disabled) { return; }
    const at = selected.indexOf(i);
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
    selected.sort((a, b) => a - b);
    refresh();
  }

  wrap.append(hint, group);
  return {
    element: wrap,
    value() {
      if (!selected.length) { return undefined; }
      if (!multiple) { return options[selected[0]]; }
      return selected.map((i) => options[i]);
    },
    restore(v) {
      const wanted = Array.isArray(v) ? v.map(str) : [str(v)];
      selected = [];
      options.forEach((o, i) => {
        if (wanted.indexOf(o) !== -1 && selected.length < maxChoices) { selected.push(i); }
      });
      if (!multiple) { selected = selected.slice(0, 1); }
      refresh();
    },
    setDisabled(d) { disabled = d; refresh(); },
    describe: (v) => (Array.isArray(v) ? v.map(str).join(', ') : str(v))
  };
}
