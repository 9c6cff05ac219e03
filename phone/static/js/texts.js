/* The few page texts the server does not send (the server sends titles, prompts, refusals
 * and the sentence for a pass).  Each control keeps its own hints in its module.
 */

export const TEXT = Object.freeze({
  confirmation: 'Thank you \u2014 you can change your answer until the facilitator closes it.',
  passConfirmation: "Passed \u2014 that's always fine. You can still answer until the facilitator closes it.",
  unknownSession: "We couldn't find a session with that code. Please check it and try again.",
  ended: 'This session has ended.',
  offlinePending: "No connection \u2014 your answer will be sent as soon as you're back online.",
  reconnecting: 'Connection lost. Reconnecting\u2026',
  sending: 'Sending\u2026',
  notSent: 'Your answer could not be sent.',
  typeCode: 'Please type the code shown in the room.',
  typeRoomCode: 'Please type the 4 digits shown on the screen.',
  passed: 'You passed on this one.',
  sent: 'You sent: ',
  stepOf: (n, total) => 'Step ' + n + ' of ' + total,
  pauseAsked: 'Thank you. The facilitator sees that someone would like a pause, not who.',
  pauseNotSent: 'That did not reach the facilitator. Please try again.',
  pauseOffline: 'No connection right now. Please try again in a moment.',
  unsupported: "This kind of question can't be answered on this phone. You can pass."
});
