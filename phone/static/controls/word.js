/* A word or a few (workshop/questions/word.py): Enter sends it. */

import { el, withId } from '../js/dom.js';
import { CONTROL } from '../js/ids.js';
import { clamp, str, toInt } from '../js/values.js';

function countWords(text) {
  const t = text.trim();
  return t ? t.split(/\s+/).length : 0;
}

export function create(settings, { onChange, onSubmit }) {
  const maxWords = clamp(toInt(settings.max_words, 1), 1, 3);
  const maxChars = clamp(toInt(settings.max_chars, 40), 1, 1000);  // the server's limit (workshop/questions/word.py)
  const wrap = el('div', { className: 'control control-word' });
  const labelText = maxWords === 1 ? 'One word' : 'Up to ' + maxWords + ' words';
  const label = el('label', { className: 'field-label', for: CONTROL.wordInput }, labelText);
  const input = withId('input', CONTROL.wordInput, {
    className: 'text-field', type: 'text', maxlength: maxChars, autocomplete: 'off',
    autocapitalize: 'none', spellcheck: 'true', enterkeyhint: 'send',
    'aria-describedby': CONTROL.wordHint
  });
  const hint = withId('p', CONTROL.wordHint, { className: 'hint control-hint', 'aria-live': 'polite' },
    maxWords === 1 ? 'A single word, up to ' + maxChars + ' characters'
      : 'At most ' + maxWords + ' words, up to ' + maxChars + ' characters');
  const defaultHint = hint.textContent;

  function valid() {
    const n = countWords(input.value);
    return n >= 1 && n <= maxWords;
  }
  function refresh() {
    const n = countWords(input.value);
    const tooMany = n > maxWords;
    input.setAttribute('aria-invalid', tooMany ? 'true' : 'false');
    hint.classList.toggle('is-error', tooMany);
    hint.textContent = tooMany
      ? (maxWords === 1 ? 'Please use just one word.' : 'Please use at most ' + maxWords + ' words.')
      : defaultHint;
    onChange();
  }
  input.addEventListener('input', refresh);
  input.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      if (valid()) { onSubmit(); }
    }
  });

  wrap.append(label, input, hint);
  return {
    element: wrap,
    value: () => (valid() ? input.value.trim().replace(/\s+/g, ' ') : undefined),
    restore(v) { input.value = str(v).slice(0, maxChars); refresh(); },
    setDisabled(d) { input.disabled = d; },
    describe: (v) => '\u201c' + str(v) + '\u201d'
  };
}
