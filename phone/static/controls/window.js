/* A window of tolerance check-in (workshop/questions/window.py): three bands stacked as the
 * window is drawn, above it, inside it, below it, each a large button with its name and a few
 * words (never colour alone); when the exercise asks, a slider for where in that band. */

import { el, srLabel, withId } from '../js/dom.js';
import { CONTROL, PAGE } from '../js/ids.js';
import { clamp, str, toInt } from '../js/values.js';
import { touchedRange } from './slider.js';

const BANDS = ['above', 'inside', 'below'];
const NAMES = { above: 'Above my window', inside: 'Inside my window', below: 'Below my window' };
const HINT = 'Tap the band that fits you now';
const PLACE_HINT = 'If you like, show where in the band: you can send without it';

export function create(settings, { onChange }) {
  const names = {};
  BANDS.forEach((band) => { names[band] = str(settings[band]) || NAMES[band]; });
  const askPlace = settings.position === true;
  let band = null;
  let disabled = false;

  const wrap = el('div', { className: 'control control-window' });
  const hint = withId('p', CONTROL.windowHint, { className: 'hint control-hint', 'aria-live': 'polite' }, HINT);
  const group = withId('div', CONTROL.windowBands, {
    className: 'window-bands', role: 'group', 'aria-labelledby': PAGE.prompt, 'aria-describedby': CONTROL.windowHint
  });
  const buttons = BANDS.map((name) => {
    const b = withId('button', CONTROL.windowBandPrefix + name,
      { className: 'window-band window-band-' + name, type: 'button', 'aria-pressed': 'false' });
    b.appendChild(el('span', { className: 'option-mark', 'aria-hidden': 'true' }));
    const words = el('span', { className: 'window-band-text' });
    words.appendChild(el('span', { className: 'window-band-name' }, names[name]));
    const more = str(settings[name + '_words']);
    if (more) { words.appendChild(el('span', { className: 'window-band-words' }, more)); }
    b.appendChild(words);
    b.addEventListener('click', () => { choose(name); });
    group.appendChild(b);
    return b;
  });

  const place = el('div', { className: 'window-place' });
  const input = withId('input', CONTROL.windowPlace, {
    className: 'range is-unset', type: 'range', min: 0, max: 100, step: 1, value: 50,
    'aria-describedby': CONTROL.windowPlaceHint, 'aria-valuetext': 'not chosen'
  });
  const placeHint = withId('p', CONTROL.windowPlaceHint, { className: 'hint' }, PLACE_HINT);
  const t = touchedRange(input, refresh);
  if (askPlace) {
    const ends = el('div', { className: 'ends' });
    ends.appendChild(el('span', { className: 'end end-left' }, 'Lower in the band'));
    ends.appendChild(el('span', { className: 'end end-right' }, 'Higher in the band'));
    place.append(srLabel(CONTROL.windowPlace, 'Where in the band'), input, ends, placeHint);
    place.hidden = true;
  }

  function placeWords(v) {
    const n = clamp(toInt(v, 50), 0, 100);
    if (n < 34) { return 'low in the band'; }
    if (n <= 66) { return 'in the middle of the band'; }
    return 'high in the band';
  }

  function refresh() {
    buttons.forEach((b, i) => {
      const on = BANDS[i] === band;
      b.setAttribute('aria-pressed', on ? 'true' : 'false');
      b.classList.toggle('is-selected', on);
      b.disabled = disabled;
    });
    input.disabled = disabled;
    place.hidden = !askPlace || band === null;
    const touched = t.isTouched();
    input.classList.toggle('is-unset', !touched);
    input.setAttribute('aria-valuetext', touched ? placeWords(input.value) : 'not chosen');
    hint.textContent = band === null ? HINT : 'Your answer: ' + describe(value());
    onChange();
  }

  function choose(name) {
    if (disabled) { return; }
    band = name;
    refresh();
  }

  function value() {
    if (band === null) { return undefined; }
    return askPlace && t.isTouched() ? { band: band, position: clamp(toInt(input.value, 50), 0, 100) } : { band: band };
  }

  function describe(v) {
    const chosen = v && BANDS.indexOf(v.band) !== -1 ? names[v.band] : '';
    if (!chosen) { return str(v); }
    return v.position === undefined || v.position === null ? chosen : chosen + ', ' + placeWords(v.position);
  }

  wrap.append(hint, group, place);
  return {
    element: wrap,
    value: value,
    restore(v) {
      if (!v || BANDS.indexOf(v.band) === -1) { return; }
      band = v.band;
      const n = Number(v.position);
      if (askPlace && v.position !== undefined && v.position !== null && isFinite(n)) {
        input.value = String(clamp(Math.round(n), 0, 100));
        t.setTouched(true);
      }
      refresh();
    },
    setDisabled(d) { disabled = d; refresh(); },
    describe: describe
  };
}
