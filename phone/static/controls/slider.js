/* A range slider that counts as unanswered until the participant touches it (scale, spectrum). */

export function touchedRange(input, onTouch) {
  let touched = false;
  function touch() {
    if (input.disabled) { return; }
    touched = true;
    onTouch();
  }
  input.addEventListener('input', touch);
  input.addEventListener('change', touch);
  input.addEventListener('click', touch);
  // A tap right on the thumb changes no value and, on touch screens, fires no
  // click: count a press that ends where it started.  A swipe (someone
  // scrolling the page) does not count as an answer.
  let press = null;
  input.addEventListener('pointerdown', (e) => { press = { x: e.clientX, y: e.clientY }; });
  input.addEventListener('pointercancel', () => { press = null; });
  input.addEventListener('pointerup', (e) => {
    if (press && Math.abs(e.clientX - press.x) < 12 && Math.abs(e.clientY - press.y) < 12) { touch(); }
    press = null;
  });
  input.addEventListener('keydown', (e) => {
    if (/^(Arrow|Home|End|Page)/.test(e.key)) { touch(); }
  });
  return {
    isTouched: () => touched,
    setTouched: (v) => { touched = !!v; }
  };
}
