// When the 待办 is worth reading again: kept apart from queueStore.ts so that api.ts can use it without an import cycle.

/**
 * The channels whose success moves work from one person to another (or ticks a first-run step): after
 * one of them the shell reads the queue again, so the menu counts follow the user's own actions also on
 * a desktop alone (team mode pushes the others'). Autosaves and reads are not among them.
 */
export const QUEUE_CHANGING: ReadonlySet<string> = new Set([
  'cases.submit', 'cases.resubmit', 'cases.revise', 'cases.close', 'cases.escalate', 'cases.propose',
  'cases.proposeEnding', 'cases.reviewEnding', 'cases.decideEnding', 'reviews.take', 'reviews.issue',
  'referrals.report', 'referrals.decide', 'referrals.transfer', 'enforcement.service', 'enforcement.execution', 'archive.transfer', 'archive.receive', 'archive.supplement', 'inspections.record', 'inspections.reply',
  'approvals.decide', 'rereview.request', 'deadlines.extend', 'deadlines.requestExtension', 'deadlines.decideExtension',
  'meetings.create', 'meetings.addItem', 'meetings.confirmAgenda', 'meetings.recuse', 'meetings.decide', 'meetings.lock',
  'users.create', 'users.update', 'users.setRoles', 'settings.updateAuth', 'calendar.import',
  'signing.setSeal', 'signing.createTrial', 'signing.import', 'signing.register', 'signing.retire',
]);

/** Fired (on window) after a successful call of a QUEUE_CHANGING channel. */
export const QUEUE_STALE_EVENT = 'lrw:queue-stale';
