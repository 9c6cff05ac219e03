/* Several options, up to max_choices (workshop/questions/choice.py, MultipleChoice): see choice.js. */

import { createChoices } from './choice.js';

export function create(settings, callbacks) { return createChoices(settings, callbacks, true); }
