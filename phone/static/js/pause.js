/* "I need a pause": a private signal; only a count reaches the facilitator. */

import { requestJSON } from './api.js';
import { byId } from './dom.js';
import { identity } from './follow.js';
import { PAGE } from './ids.js';
import { setStatus } from './screen.js';
import { TEXT } from './texts.js';

const PAUSE_COOLDOWN_MS = 60000;

export function askForPause() {
  const button = byId(PAGE.pauseButton);
  button.disabled = true;
  const who = identity();
  requestJSON('POST', '/api/pause', { code: who.code, token: who.token }, { timeout: 10000 })
    .then((res) => {
      if (res.ok) {
        setStatus(TEXT.pauseAsked, 'ok');
        setTimeout(() => { button.disabled = false; }, PAUSE_COOLDOWN_MS);
      } else {
        button.disabled = false;
        setStatus(res.data.error || TEXT.pauseNotSent, 'error');
      }
    }, () => {
      button.disabled = false;
      setStatus(TEXT.pauseOffline, 'error');
    });
}
