/* Every element id the phone page uses, in one place: the ids written in phone.html (PAGE)
 * and the ids the controls create (CONTROL).  Browser tests find elements by these ids
 * (each also its data-testid), so they do not change.  tests/phone/test_modules.py checks
 * that phone.html and PAGE name the same ids.
 */

export const PAGE = Object.freeze({
  app: 'app',
  sessionTitle: 'session-title',
  connectionStatus: 'connection-status',
  main: 'main',
  loading: 'loading',
  loadingHeading: 'loading-heading',
  join: 'join',
  joinHeading: 'join-heading',
  joinForm: 'join-form',
  codeInput: 'code-input',
  codeHelp: 'code-help',
  joinButton: 'join-button',
  roomCode: 'room-code',
  roomCodeHeading: 'room-code-heading',
  roomCodeForm: 'room-code-form',
  roomCodeInput: 'room-code-input',
  roomCodeHelp: 'room-code-help',
  roomCodeButton: 'room-code-button',
  admission: 'admission',
  admissionHeading: 'admission-heading',
  admissionMessage: 'admission-message',
  welcome: 'welcome',
  welcomeHeading: 'welcome-heading',
  startButton: 'start-button',
  waiting: 'waiting',
  waitingHeading: 'waiting-heading',
  exercise: 'exercise',
  domainLabel: 'domain-label',
  stepCounter: 'step-counter',
  contentNote: 'content-note',
  prompt: 'prompt',
  closedMessage: 'closed-message',
  answerArea: 'answer-area',
  actions: 'actions',
  submitButton: 'submit-button',
  passButton: 'pass-button',
  sentSummary: 'sent-summary',
  groupResults: 'group-results',
  groupHeading: 'group-heading',
  groupSummary: 'group-summary',
  groupRows: 'group-rows',
  ended: 'ended',
  endedHeading: 'ended-heading',
  statusMessage: 'status-message',
  pauseArea: 'pause-area',
  pauseButton: 'pause-button',
  pauseHint: 'pause-hint'
});

/** The screens, one shown at a time (its name is also body[data-screen]). */
export const SCREENS = Object.freeze([PAGE.loading, PAGE.join, PAGE.roomCode, PAGE.admission,
  PAGE.welcome, PAGE.waiting, PAGE.exercise, PAGE.ended]);

/** Ids the controls create inside #answer-area: one control is on the page at a time. */
export const CONTROL = Object.freeze({
  scaleInput: 'scale-input',
  scaleValue: 'scale-value',
  scaleHint: 'scale-hint',
  scaleMinLabel: 'scale-min-label',
  scaleMaxLabel: 'scale-max-label',
  choiceHint: 'choice-hint',
  options: 'options',
  optionPrefix: 'option-',        // option-0, option-1, ...
  wordInput: 'word-input',
  wordHint: 'word-hint',
  textInput: 'text-input',
  textCounter: 'text-counter',
  spectrumInput: 'spectrum-input',
  spectrumValue: 'spectrum-value',
  spectrumLeft: 'spectrum-left',
  spectrumMiddle: 'spectrum-middle',
  spectrumRight: 'spectrum-right',
  spectrumHint: 'spectrum-hint',
  fieldLabel: 'field-label',
  field: 'field',
  fieldTop: 'field-y-top',
  fieldBottom: 'field-y-bottom',
  fieldLeft: 'field-x-left',
  fieldRight: 'field-x-right',
  fieldDot: 'field-dot',
  fieldKeys: 'field-keys',
  fieldReadout: 'field-readout',
  windowHint: 'window-hint',
  windowBands: 'window-bands',
  windowBandPrefix: 'window-band-',  // window-band-above, window-band-inside, window-band-below
  windowPlace: 'window-place',
  windowPlaceHint: 'window-place-hint',
  pointsLeft: 'points-left',
  pointsItems: 'points-items',
  pointsNamePrefix: 'points-name-',   // points-name-0, points-name-1, ...
  pointsLessPrefix: 'points-less-',
  pointsValuePrefix: 'points-value-',
  pointsMorePrefix: 'points-more-',
  rankingHint: 'ranking-hint',
  rankingList: 'ranking-list',
  rankingKeep: 'ranking-keep',
  rankingItemPrefix: 'ranking-item-',  // ranking-item-0 ... by the item's place in the settings
  rankingUpPrefix: 'ranking-up-',
  rankingDownPrefix: 'ranking-down-',
  moodHint: 'mood-hint',
  moodWords: 'mood-words',
  moodWordPrefix: 'mood-word-',       // mood-word-0 ... in the quadrant's own order
  statementsHint: 'statements-hint',
  statementsKey: 'statements-key',
  statementsRows: 'statements-rows',
  statementsRowPrefix: 'statements-row-',      // statements-row-0 ... by the statement's place
  statementsTextPrefix: 'statements-text-',
  statementsPassPrefix: 'statements-pass-',
  statementsLevelPrefix: 'statements-level-'   // statements-level-0-1: statement 0, level 1
});
