/* A mood map (workshop/questions/mood.py): the 2-D field of position2d.js, pleasantness left
 * to right and energy bottom to top, then, if the person likes, one word from the quadrant
 * the dot is in.  The value is {point: [x, y]} with `word` when one is chosen. */

import { el, withId } from '../js/dom.js';
import { CONTROL } from '../js/ids.js';
import { str } from '../js/values.js';
import { create as createField } from './position2d.js';

const CORNERS = ['top_left', 'top_right', 'bottom_left', 'bottom_right'];

/** The quadrant of a point: the middle lines belong to the top and the right (as mood.py). */
function quadrant(point) {
  return (point[1] >= 50 ? 'top' : 'bottom') + '_' + (point[0] >= 50 ? 'right' : 'left');
}

export function create(settings, { onChange, onSubmit }) {
  const names = {};
  const wordsOf = {};
  CORNERS.forEach((c) => {
    names[c] = str(settings[c]) || c.replace('_', ' ');
    wordsOf[c] = Array.isArray(settings[c + '_words']) ? settings[c + '_words'].map(str) : [];
  });
  let corner = null;
  let word = null;
  let disabled = false;

  const wrap = el('div', { className: 'control control-mood' });
  const hint = withId('p', CONTROL.moodHint, { className: 'hint mood-hint', 'aria-live': 'polite' });
  const chips = withId('div', CONTROL.moodWords, { className: 'mood-words', role: 'group', 'aria-labelledby': CONTROL.moodHint });
  const field = createField(settings, { onChange: fieldChanged, onSubmit: onSubmit });

  function showWords() {
    while (chips.firstChild) { chips.removeChild(chips.firstChild); }
    const words = corner ? wordsOf[corner] : [];
    hint.hidden = chips.hidden = !words.length;
    hint.textContent = corner ? names[corner] + ': a word, if one fits (tap again to leave it out)' : '';
    words.forEach((w, i) => {
      const chip = withId('button', CONTROL.moodWordPrefix + i,
        { className: 'mood-word', type: 'button', 'aria-pressed': w === word ? 'true' : 'false' }, w);
      chip.classList.toggle('is-selected', w === word);
      chip.disabled = disabled;
      chip.addEventListener('click', () => {
        if (disabled) { return; }
        word = word === w ? null : w;
        showWords();
        onChange();
      });
      chips.appendChild(chip);
    });
  }

  function fieldChanged() {
    const point = field.value();
    const now = point ? quadrant(point) : null;
    if (now !== corner) {
      corner = now;
      if (!corner || wordsOf[corner].indexOf(word) === -1) { word = null; }
      showWords();
    }
    onChange();
  }

  wrap.append(field.element, hint, chips);
  showWords();
  return {
    element: wrap,
    value() {
      const point = field.value();
      if (!point) { return undefined; }
      return word ? { point: point, word: word } : { point: point };
    },
    restore(v) {
      if (!v || !Array.isArray(v.point)) { return; }
      field.restore(v.point);
      const point = field.value();
      corner = point ? quadrant(point) : null;
      word = corner && wordsOf[corner].indexOf(str(v.word)) !== -1 ? str(v.word) : null;
      showWords();
    },
    setDisabled(d) { disabled = d; field.setDisabled(d); showWords(); },
    describe(v) {
      if (!v || !Array.isArray(v.point)) { return str(v); }
      const where = names[quadrant(v.point)];
      return v.word ? where + ', ' + str(v.word) : where;
    }
  };
}
