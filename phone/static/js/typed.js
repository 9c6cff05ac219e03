/* Words and texts as they were typed.
 *
 * The server stores a word case-folded ("Tired" -> "tired") so equal words
 * count together, and a text with its line breaks and runs of spaces collapsed.
 * The person's own phone shows it as they typed it: the typed form stays in this
 * tab's sessionStorage (never sent again, gone when the tab closes or the session
 * ends), one per step, and is shown after a reload only while the server's answer
 * is the same word.
 */

import { typedForms } from './token.js';
import { str } from './values.js';

/** The kinds whose answers come back to their own phone as typed. */
export const TYPED_KINDS = Object.freeze({ word: true, text: true });

function typedWords(code) {
  const raw = typedForms.get(code);
  if (!raw) { return {}; }
  try {
    const map = JSON.parse(raw);
    return (map && typeof map === 'object' && !Array.isArray(map)) ? map : {};
  } catch (e) { return {}; }
}

/** Keep (or, with `typed` undefined, drop) the typed form of the answer to one step. */
export function rememberTyped(code, stepKey, typed) {
  const map = typedWords(code);
  if (typed === undefined) { delete map[stepKey]; } else { map[stepKey] = String(typed); }
  if (Object.keys(map).length) { typedForms.set(code, JSON.stringify(map)); } else { typedForms.remove(code); }
}

/** The session ended: nothing typed is kept. */
export function forgetTyped(code) { typedForms.remove(code); }

const INVISIBLE = (function () {
  try { return new RegExp('[\\p{Cc}\\p{Cf}\\p{Cs}]', 'gu'); } catch (e) { return /[\u0000-\u001f\u007f-\u009f]/g; }
}());

/** Roughly the server's normalise_word: invisible characters out, spaces
 *  collapsed, case folded (upper then lower also folds \u00df to "ss"). */
function foldWord(text) {
  return str(text).replace(INVISIBLE, (ch) => (/\s/.test(ch) ? ch : ''))
    .replace(/\s+/g, ' ').trim().toUpperCase().toLowerCase();
}

/** What to show for the phone's own stored word or text: the typed form if it is the same. */
export function asTyped(code, stepKey, stored) {
  const typed = typedWords(code)[stepKey];
  if (typeof typed === 'string' && typeof stored === 'string' && foldWord(typed) === foldWord(stored)) {
    return typed;
  }
  return stored;
}
