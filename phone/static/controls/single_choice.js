/* One option (workshop/questions/choice.py, SingleChoice): see choice.js. */

import { createChoices } from './choice.js';

export function create(settings, callbacks) { return createChoices(settings, callbacks, false); }
