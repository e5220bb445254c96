// The handler table that implements the bridge contract. Electron's ipcMain, the E2E test harness
// and anything else that speaks the contract call `dispatch`; each request is validated here and
// by the service it reaches, and every outcome is a Result (never a thrown error or a stack trace).
import { setTemplateLayout } from './services/documentLayout';
import { completeIssue, prepareIssue, registerCertificate } from './services/deskSigning';
import type { ZodType } from 'zod';
import { channels, type Channel, type Outputs, type Result } from '../../preload/contract';
import { AppError, toErrorPayload } from './domain/errors';
import { listEvents, verifyChainAs } from './services/audit';
import { acknowledgeAlarm, listAlarms, raiseAlarmIfFailed } from './services/alarms';
import { startVerifyJob, verifyJobStatus } from './services/verifyJobs';
import { changeOwnPassword, recordIdleSignOut, refreshActor, signIn } from './services/auth';
import { authSettings, authSettingsView, updateAuthSettings } from './services/security';
import { caseDetail, closeCase, queue, search, submitCase, resubmitCase, validateSubmission } from './services/cases';
import { caseReport } from './services/caseReport';
import { caseIdOfNumber, usersByUsername } from './services/lookups';
import { renderDraftFile, signUploadedFile } from './services/fileExports';
import { type Actor, type Core, parseInput } from './services/core';
import { catalogAdminView, catalogInForce, correctCatalogFiling, fileCatalog, proposeCatalog, respondCatalogFiling } from './services/catalog';
import { correctFiling, filingPackageFile, filingSettingsView, recordFiling, respondFiling, updateFilingSettings } from './services/filings';
import { clearOwnDraft, loadOwnDraft, saveOwnDraft } from './services/drafts';
import { sessionView } from './services/sessionView';
import { decide } from './services/approvals';
import { getDraft, issueReview, saveDraft as saveReviewDraft, takeCase } from './services/reviews';
import { appStatus, isSetUp, requireSetup, setup } from './services/setup';
import { beginUpload, finishUpload, updateUploadSettings, uploadChunk, uploadSettingsView } from './services/uploads';
import { addExpertOpinion, checkExpertOpinion } from './services/experts';
import { createUser, listUsers, resetPassword, setUserRoles, unlockUser, updateUser } from './services/users';
import {
  calendarShow,
  completeCaseClock,
  computeDeadline,
  deadlineSettingsView,
  extendReview,
  importCalendarYear,
  lastDayReviews,
  overdueReviews,
  startHourClock,
  updateDeadlineSettings,
} from './services/deadlines';
import { updateWorkflowSettings, workflowSettingsView } from './services/settings';
import {
  compareDocumentDocx,
  createClause,
  diffCaseSubmissions,
  diffDocumentVersions,
  documentVersions,
  finalizeDocument,
  finalizeCheck,
  getTemplate,
  listClauses,
  listDocuments,
  listTemplates,
  previewDocument,
  retireClauseById,
  saveDocument,
  saveTemplate,
  templateFields,
} from './services/documents';
import { fontReport, setFontOrder } from './services/fonts';
import { reviewSettingsView, updateReviewSettings } from './services/reviewSettings';
import { decideExtension, requestExtension } from './services/extensions';
import { exemptReviewer } from './services/reviewers';
import { createTrialIdentityFor, downloadIssued, importIdentity, issueDocument, myIdentities, retireMyIdentity, setSeal, verifyUpload } from './services/issue';
import { escalate, propose, requestRereview } from './services/dissent';
import { decideEnding, proposeEnding, reviewEnding, reviseCase } from './services/endings';
import { decideReferral, reportReferral, transferReferral } from './services/referrals';
import { checkExecutionRecord, checkServiceRecord, recordExecution, recordService } from './services/enforcement';
import { statistics } from './services/stats';
import { inspectableCases, recordInspection, replyInspection } from './services/inspections';
import { addSupplement, archiveCase, caseFileChunk, caseFileExport, checkSupplement, custodians, receiveCaseFile } from './services/caseFiles';
import {
  addMeetingItem,
  amendMeeting,
  confirmAgenda,
  recuse,
  createMeeting,
  decideItem,
  listMeetings,
  lockMeeting,
  meetingView,
  saveRecord,
  startMeeting,
} from './services/meetings';

/** Per-window (or per-harness) sign-in state. */
export interface Session {
  userId: number | null;
  /** core.now() of the last request that counts as activity (ms); the idle rule is in dispatch. */
  lastActivity?: number;
}

/** Requests that do not keep a session alive: background polls and the window asking who is signed in. */
// The alarm banner's poll and a running verification's progress poll are passive too.
const PASSIVE_CHANNELS: ReadonlySet<string> = new Set(['auth.me', 'app.status', 'deadlines.lastDay', 'audit.alarms', 'audit.verifyStatus']);

/**
 * Idle sessions end (issue 10, point 7; agency setting, default 30 minutes) in every client, since
 * every client goes through dispatch: after the idle time the session is signed out, recorded, and
 * the request refused.
 */
async function endIdleSession(core: Core, session: Session, channel: string): Promise<void> {
  if (session.userId === null) return;
  const now = core.now().getTime();
  const { idleMinutes } = await authSettings(core);
  if (session.lastActivity !== undefined && now - session.lastActivity > idleMinutes * 60_000) {
    const userId = session.userId;
    session.userId = null;
    session.lastActivity = undefined;
    await recordIdleSignOut(core, userId, idleMinutes);
    if (channel === 'auth.me' || channel === 'auth.signIn' || channel === 'auth.signOut' || channel === 'app.status') return;
    throw new AppError('UNAUTHENTICATED', `登录已超时（${idleMinutes}分钟未操作），请重新登录。`);
  }
  if (!PASSIVE_CHANNELS.has(channel)) session.lastActivity = now;
}

type Handler<C extends Channel> = (core: Core, session: Session, input: any) => Outputs[C] | Promise<Outputs[C]>;

async function actorOf(core: Core, session: Session): Promise<Actor> {
  await requireSetup(core);
  if (session.userId === null) throw new AppError('UNAUTHENTICATED', '请先登录。');
  return await refreshActor(core, session.userId);
}

const startSession = (core: Core, session: Session, userId: number): void => {
  session.userId = userId;
  session.lastActivity = core.now().getTime();
};

const signedIn =
  <C extends Channel>(fn: (core: Core, actor: Actor, input: any) => Outputs[C] | Promise<Outputs[C]>): Handler<C> =>
  async (core, session, input) =>
    fn(core, await actorOf(core, session), input);

export const handlers: { [C in Channel]: Handler<C> } = {
  'app.status': async (core) => await appStatus(core),
  'app.setup': async (core, session, input) => {
    const actor = await setup(core, input);
    startSession(core, session, actor.id);
    await core.db.setActingUser(actor.id);
    return await sessionView(core, actor);
  },
  'auth.signIn': async (core, session, input) => {
    await requireSetup(core);
    const { actor } = await signIn(core, input);
    startSession(core, session, actor.id);
    await core.db.setActingUser(actor.id);
    return await sessionView(core, actor);
  },
  'auth.signOut': async (_core, session) => {
    session.userId = null;
    session.lastActivity = undefined;
    return null;
  },
  // A reset password still to be changed: the only channel that accepts it besides auth.me.
  'auth.changePassword': async (core, session, input) => {
    await requireSetup(core);
    if (session.userId === null) throw new AppError('UNAUTHENTICATED', '请先登录。');
    return await sessionView(core, await changeOwnPassword(core, session.userId, input));
  },
  'auth.me': async (core, session) => {
    if (session.userId === null || !await isSetUp(core)) return null;
    try {
      return await sessionView(core, await refreshActor(core, session.userId, { allowPendingChange: true }));
    } catch {
      session.userId = null;
      return null;
    }
  },
  'users.list': signedIn(async (core, a) => await listUsers(core, a)),
  'users.create': signedIn(async (core, a, i) => await createUser(core, a, i)),
  'users.update': signedIn(async (core, a, i) => await updateUser(core, a, i)),
  'users.setRoles': signedIn(async (core, a, i) => await setUserRoles(core, a, i)),
  'users.resetPassword': signedIn(async (core, a, i) => await resetPassword(core, a, i)),
  'users.unlock': signedIn(async (core, a, i) => await unlockUser(core, a, i)),
  'settings.auth': signedIn(async (core) => await authSettingsView(core)),
  'audit.events': signedIn(async (core, a, i) => await listEvents(core, a, i)),
  'settings.updateAuth': signedIn(async (core, a, i) => await updateAuthSettings(core, a, i)),
  'catalog.current': signedIn(async (core) => await catalogInForce(core)),
  'cases.submit': signedIn(async (core, a, i) => await submitCase(core, a, i)),
  'cases.resubmit': signedIn(async (core, a, i) => await resubmitCase(core, a, i)),
  'cases.get': signedIn(async (core, a, i) => await caseDetail(core, a, i.caseId)),
  'cases.search': signedIn(async (core, a, i) => await search(core, a, i)),
  'cases.queue': signedIn(async (core, a) => await queue(core, a)),
  'cases.report': signedIn(async (core, a, i) => await caseReport(core, a, i)),
  'cases.close': signedIn(async (core, a, i) => await closeCase(core, a, i.caseId)),
  'reviews.take': signedIn(async (core, a, i) => await takeCase(core, a, i.caseId)),
  'reviews.saveDraft': signedIn(async (core, a, i) => await saveReviewDraft(core, a, i)),
  'reviews.getDraft': signedIn(async (core, a, i) => await getDraft(core, a, i.caseId)),
  'reviews.issue': signedIn(async (core, a, i) => await issueReview(core, a, i)),
  'approvals.decide': signedIn(async (core, a, i) => await decide(core, a, i)),
  'audit.verify': signedIn(async (core, a) => {
    const v = await verifyChainAs(core, a);
    await raiseAlarmIfFailed(core, a, v, { through: 'app', quick: false });
    return v;
  }),
  'audit.verifyStart': signedIn(async (core, a, i) => startVerifyJob(core, a, i)),
  'audit.verifyStatus': signedIn(async (core, a, i) => verifyJobStatus(core, a, i)),
  'audit.alarms': signedIn(async (core, a, i) => await listAlarms(core, a, i)),
  'audit.alarmAck': signedIn(async (core, a, i) => await acknowledgeAlarm(core, a, i)),
  'uploads.begin': signedIn(async (core, a, i) => await beginUpload(core, a, i.name, i.size)),
  'uploads.chunk': signedIn(async (core, a, i) => await uploadChunk(core, a, i.uploadId, i.base64, i.offset)),
  'uploads.finish': signedIn(async (core, a, i) => await finishUpload(core, a, i.uploadId)),
  'drafts.save': signedIn(async (core, a, i) => await saveOwnDraft(core, a, i)),
  'drafts.load': signedIn(async (core, a, i) => await loadOwnDraft(core, a, i)),
  'drafts.clear': signedIn(async (core, a, i) => await clearOwnDraft(core, a, i)),
  'deadlines.extend': signedIn(async (core, a, i) => await extendReview(core, a, i)),
  'deadlines.overdue': signedIn(async (core, a) => await overdueReviews(core, a)),
  'deadlines.lastDay': signedIn(async (core, a) => await lastDayReviews(core, a)),
  // Public reckoning (the statutory calendar, a deadline, the fonts a PDF embeds, whether a signature holds):
  // answered signed out too, as `lrw deadline`, `lrw calendar show`, `lrw fonts show` and `lrw verify` always did.
  'deadlines.compute': async (core, _s, i) => await computeDeadline(core, i),
  'deadlines.settings': signedIn(async (core) => await deadlineSettingsView(core)),
  'deadlines.updateSettings': signedIn(async (core, a, i) => await updateDeadlineSettings(core, a, i)),
  'calendar.show': async (core, _s, i) => await calendarShow(core, i.year),
  'calendar.import': signedIn(async (core, a, i) => await importCalendarYear(core, a, i)),
  'clocks.start': signedIn(async (core, a, i) => await startHourClock(core, a, i)),
  'clocks.complete': signedIn(async (core, a, i) => await completeCaseClock(core, a, i)),
  'settings.workflow': signedIn(async (core) => await workflowSettingsView(core)),
  'settings.updateWorkflow': signedIn(async (core, a, i) => await updateWorkflowSettings(core, a, i)),
  'rereview.request': signedIn(async (core, a, i) => await requestRereview(core, a, i)),
  'cases.escalate': signedIn(async (core, a, i) => await escalate(core, a, i)),
  'cases.propose': signedIn(async (core, a, i) => await propose(core, a, i)),
  'cases.revise': signedIn(async (core, a, i) => await reviseCase(core, a, i)),
  'cases.proposeEnding': signedIn(async (core, a, i) => await proposeEnding(core, a, i)),
  'cases.reviewEnding': signedIn(async (core, a, i) => await reviewEnding(core, a, i)),
  'cases.decideEnding': signedIn(async (core, a, i) => await decideEnding(core, a, i)),
  'referrals.report': signedIn(async (core, a, i) => await reportReferral(core, a, i)),
  'referrals.decide': signedIn(async (core, a, i) => await decideReferral(core, a, i)),
  'referrals.transfer': signedIn(async (core, a, i) => await transferReferral(core, a, i)),
  'enforcement.service': signedIn(async (core, a, i) => await recordService(core, a, i)),
  'enforcement.execution': signedIn(async (core, a, i) => await recordExecution(core, a, i)),
  // Dry runs for lrw: every rule checked before the files are stored.
  'enforcement.checkService': signedIn(async (core, a, i) => {
    await checkServiceRecord(core, a, i);
    return null;
  }),
  'enforcement.checkExecution': signedIn(async (core, a, i) => {
    await checkExecutionRecord(core, a, i);
    return null;
  }),
  'archive.custodians': signedIn(async (core, a) => await custodians(core, a)),
  'archive.transfer': signedIn(async (core, a, i) => await archiveCase(core, a, i)),
  'archive.receive': signedIn(async (core, a, i) => await receiveCaseFile(core, a, i)),
  'archive.supplement': signedIn(async (core, a, i) => await addSupplement(core, a, i)),
  'archive.checkSupplement': signedIn(async (core, a, i) => await checkSupplement(core, a, i)),
  'casefile.manifest': signedIn(async (core, a, i) => await caseFileExport(core, a, i.caseId)),
  'casefile.chunk': signedIn(async (core, a, i) => await caseFileChunk(core, a, i)),
  'stats.show': signedIn(async (core, a, i) => await statistics(core, a, i)),
  'inspections.record': signedIn(async (core, a, i) => await recordInspection(core, a, i)),
  'inspections.reply': signedIn(async (core, a, i) => await replyInspection(core, a, i)),
  'inspections.cases': signedIn(async (core, a) => await inspectableCases(core, a)),
  'filings.record': signedIn(async (core, a, i) => await recordFiling(core, a, i)),
  'filings.respond': signedIn(async (core, a, i) => await respondFiling(core, a, i)),
  'filings.correct': signedIn(async (core, a, i) => await correctFiling(core, a, i)),
  'filings.package': signedIn(async (core, a, i) => await filingPackageFile(core, a, i.caseId)),
  'filings.settings': signedIn(async (core) => await filingSettingsView(core)),
  'filings.updateSettings': signedIn(async (core, a, i) => await updateFilingSettings(core, a, i)),
  'catalog.versions': signedIn(async (core, a) => await catalogAdminView(core, a)),
  'catalog.propose': signedIn(async (core, a, i) => await proposeCatalog(core, a, i)),
  'catalog.file': signedIn(async (core, a, i) => await fileCatalog(core, a, i)),
  'catalog.respond': signedIn(async (core, a, i) => await respondCatalogFiling(core, a, i)),
  'catalog.correct': signedIn(async (core, a, i) => await correctCatalogFiling(core, a, i)),
  'meetings.confirmAgenda': signedIn(async (core, a, i) => await confirmAgenda(core, a, i)),
  'meetings.recuse': signedIn(async (core, a, i) => await recuse(core, a, i)),
  'meetings.list': signedIn(async (core, a) => await listMeetings(core, a)),
  'meetings.get': signedIn(async (core, a, i) => await meetingView(core, a, i.meetingId)),
  'meetings.create': signedIn(async (core, a, i) => await createMeeting(core, a, i)),
  'meetings.addItem': signedIn(async (core, a, i) => await addMeetingItem(core, a, i)),
  'meetings.start': signedIn(async (core, a, i) => await startMeeting(core, a, i.meetingId)),
  'meetings.save': signedIn(async (core, a, i) => await saveRecord(core, a, i)),
  'meetings.decide': signedIn(async (core, a, i) => await decideItem(core, a, i)),
  'meetings.lock': signedIn(async (core, a, i) => await lockMeeting(core, a, i.meetingId)),
  'meetings.amend': signedIn(async (core, a, i) => await amendMeeting(core, a, i)),
  'templates.list': signedIn(async (core, a) => listTemplates(core, a)),
  'templates.get': signedIn(async (core, a, i) => await getTemplate(core, a, i.templateId)),
  'templates.save': signedIn(async (core, a, i) => await saveTemplate(core, a, i)),
  'templates.setLayout': signedIn(async (core, a, i) => await setTemplateLayout(core, a, i)),
  'templates.fields': signedIn(async () => templateFields()),
  'documents.list': signedIn(async (core, a, i) => await listDocuments(core, a, i.caseId)),
  'documents.preview': signedIn(async (core, a, i) => await previewDocument(core, a, i)),
  'documents.save': signedIn(async (core, a, i) => await saveDocument(core, a, i)),
  'documents.finalize': signedIn(async (core, a, i) => await finalizeDocument(core, a, i)),
  'documents.finalizeCheck': signedIn(async (core, a, i) => await finalizeCheck(core, a, i)),
  'documents.versions': signedIn(async (core, a, i) => await documentVersions(core, a, i)),
  'documents.diff': signedIn(async (core, a, i) => await diffDocumentVersions(core, a, i)),
  'documents.compareDocx': signedIn(async (core, a, i) => await compareDocumentDocx(core, a, i)),
  'cases.diffSubmissions': signedIn(async (core, a, i) => await diffCaseSubmissions(core, a, i)),
  'clauses.list': signedIn(async (core) => await listClauses(core)),
  'clauses.create': signedIn(async (core, a, i) => await createClause(core, a, i)),
  'clauses.retire': signedIn(async (core, a, i) => await retireClauseById(core, a, i.clauseId)),
  'signing.identities': signedIn(async (core, a) => await myIdentities(core, a)),
  'signing.createTrial': signedIn(async (core, a) => await createTrialIdentityFor(core, a)),
  'signing.import': signedIn(async (core, a, i) => await importIdentity(core, a, i)),
  'signing.setSeal': signedIn(async (core, a, i) => await setSeal(core, a, i)),
  'signing.retire': signedIn(async (core, a, i) => await retireMyIdentity(core, a, i.fingerprint)),
  'documents.issue': signedIn(async (core, a, i) => await issueDocument(core, a, i)),
  'signing.register': signedIn(async (core, a, i) => await registerCertificate(core, a, i)),
  'documents.prepareIssue': signedIn(async (core, a, i) => await prepareIssue(core, a, i)),
  'documents.completeIssue': signedIn(async (core, a, i) => await completeIssue(core, a, i)),
  'documents.download': signedIn(async (core, a, i) => await downloadIssued(core, a, i.issuedId)),
  // The case behind a file issued here is named only to a signed-in user who may read it.
  'documents.verify': async (core, session, i) => await verifyUpload(core, i, session.userId === null ? undefined : await actorOf(core, session)),
  'settings.fonts': async (core) => await fontReport(core),
  'settings.updateFonts': signedIn(async (core, a, i) => await setFontOrder(core, a, i)),
  'settings.review': signedIn(async (core) => await reviewSettingsView(core)),
  'settings.updateReview': signedIn(async (core, a, i) => await updateReviewSettings(core, a, i)),
  'deadlines.requestExtension': signedIn(async (core, a, i) => await requestExtension(core, a, i)),
  'deadlines.decideExtension': signedIn(async (core, a, i) => await decideExtension(core, a, i)),
  'users.exemptReviewer': signedIn(async (core, a, i) => await exemptReviewer(core, a, i)),
  'experts.add': signedIn(async (core, a, i) => await addExpertOpinion(core, a, i)),
  'settings.uploads': signedIn(async (core) => await uploadSettingsView(core)),
  'settings.updateUploads': signedIn(async (core, a, i) => await updateUploadSettings(core, a, i)),
  'cases.byNo': signedIn(async (core, a, i) => await caseIdOfNumber(core, a, i)),
  'cases.check': signedIn(async (core, a, i) => {
    await validateSubmission(core, a, i);
    return null;
  }),
  'users.byName': signedIn(async (core, a, i) => await usersByUsername(core, a, i)),
  'experts.check': signedIn(async (core, a, i) => {
    await checkExpertOpinion(core, a, i);
    return null;
  }),
  'documents.render': signedIn(async (core, a, i) => await renderDraftFile(core, a, i)),
  'files.sign': signedIn(async (core, a, i) => await signUploadedFile(core, a, i)),
};

/** Validates the channel and its input against the contract, runs the handler, and wraps the outcome. */
export async function dispatch(core: Core, session: Session, channel: string, input: unknown): Promise<Result<unknown>> {
  try {
    if (!Object.hasOwn(channels, channel)) throw new AppError('VALIDATION', `未知的操作：${channel}`);
    const c = channel as Channel;
    const parsed = parseInput(channels[c] as ZodType<unknown>, input ?? {});
    await endIdleSession(core, session, c);
    // Every request runs as its signed-in user, so PostgreSQL's row-level security applies to it too.
    const value = await core.db.actingAs(session.userId, async () => await (handlers[c] as Handler<Channel>)(core, session, parsed));
    return { ok: true, value };
  } catch (err) {
    if (!(err instanceof AppError)) console.error(`[lrw] ${channel} failed:`, err);
    return { ok: false, error: toErrorPayload(err) };
  }
}
