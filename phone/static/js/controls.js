/* The controls: one ES module per question kind, ../controls/<kind>.js, named as the kind
 * is in workshop/questions (KINDS), with its CSS in ../controls/<kind>.css when it has rules
 * of its own (shared pieces: slider.js/.css for scale and spectrum, choice.js/.css for both
 * choice kinds).  phone/assets.py joins every module and style sheet into the page, so a
 * new kind needs no edit there; it does need its line in CONTROLS below.
 *
 * The contract.  Each module exports
 *
 *   create(settings, { onChange, onSubmit }) -> control
 *
 *   settings   the exercise's phone settings from /api/live (the kind's phone_settings:
 *              limits, labels, options); anything may be missing, so each has a default
 *   onChange() call whenever the value may have changed (the page updates Send)
 *   onSubmit() call when the participant sends from inside the control (Enter)
 *
 * and the control is
 *
 *   element           the control's root element, put in #answer-area
 *   value()           what to send as the answer, or undefined while there is nothing to send
 *   restore(value)    show this phone's stored answer (after a reload or a re-join)
 *   setDisabled(bool) answering was closed (true) or opened again (false)
 *   describe(value)   the answer in words, for "You sent: ..."
 *
 * Controls build their elements with textContent / setAttribute only (never innerHTML), take
 * their ids from ids.js (CONTROL), and keep their state to themselves.
 */

import * as mood from '../controls/mood.js';
import * as multipleChoice from '../controls/multiple_choice.js';
import * as points from '../controls/points.js';
import * as position2d from '../controls/position2d.js';
import * as ranking from '../controls/ranking.js';
import * as scale from '../controls/scale.js';
import * as singleChoice from '../controls/single_choice.js';
import * as spectrum from '../controls/spectrum.js';
import * as statements from '../controls/statements.js';
import * as text from '../controls/text.js';
import * as windowOfTolerance from '../controls/window.js';
import * as word from '../controls/word.js';
import { el } from './dom.js';
import { TEXT } from './texts.js';
import { str } from './values.js';

const CONTROLS = Object.freeze({
  scale: scale,
  single_choice: singleChoice,
  multiple_choice: multipleChoice,
  word: word,
  text: text,
  spectrum: spectrum,
  position2d: position2d,
  window: windowOfTolerance,
  points: points,
  ranking: ranking,
  mood: mood,
  statements: statements
});

/** A kind this page does not know (a newer server): nothing to answer, passing still works. */
function unsupported() {
  const wrap = el('div', { className: 'control control-unsupported' });
  wrap.appendChild(el('p', { className: 'hint' }, TEXT.unsupported));
  return {
    element: wrap,
    value: () => undefined,
    restore() {},
    setDisabled() {},
    describe: str
  };
}

/** The `create` of the kind's control. */
export function controlFor(kind) {
  const module = Object.prototype.hasOwnProperty.call(CONTROLS, kind) ? CONTROLS[kind] : null;
  return module ? module.create : unsupported;
}
