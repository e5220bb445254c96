// The handler table that implements the bridge contract. Electron's ipcMain, the E2E test harness
// and anything else that speaks the contract call `dispatch`; each request is validated here and
// by the service it reaches, and every outcome is a Result (never a thrown error or a stack trace).
import type { ZodType } from 'zod';
import { channels, type Channel, type Outputs, type Result } from '../../preload/contract';
import { AppError, toErrorPayload } from './domain/errors';
import { verifyChainAs } from './services/audit';
import { refreshActor, signIn } from './services/auth';
import { caseDetail, closeCase, queue, search, submitCase, resubmitCase } from './services/cases';
import { type Actor, type Core, parseInput } from './services/core';
import { currentCatalog } from './db/repos/catalog';
import { clearDraft, loadDraft, saveDraft } from './db/repos/drafts';
import { getAgency } from './db/repos/agency';
import { decide } from './services/approvals';
import { getDraft, issueReview, saveDraft as saveReviewDraft, takeCase } from './services/reviews';
import { appStatus, requireSetup, setup } from './services/setup';
import { beginUpload, finishUpload, uploadChunk } from './services/uploads';
import { createUser, listUsers, toUserView, updateUser } from './services/users';
import { getUserById } from './db/repos/users';
import { nowIso } from './services/core';
import {
  calendarShow,
  completeCaseClock,
  computeDeadline,
  deadlineSettings,
  extendReview,
  importCalendarYear,
  lastDayReviews,
  overdueReviews,
  startHourClock,
  updateDeadlineSettings,
} from './services/deadlines';
import { updateWorkflowSettings, workflowSettings } from './services/settings';
import {
  compareDocumentDocx,
  createClause,
  diffCaseSubmissions,
  diffDocumentVersions,
  documentVersions,
  finalizeDocument,
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
import { createTrialIdentityFor, downloadIssued, importIdentity, issueDocument, myIdentities, retireMyIdentity, setSeal, verifyUpload } from './services/issue';
import { escalate, requestRereview } from './services/dissent';
import {
  addMeetingItem,
  amendMeeting,
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
}

type Handler<C extends Channel> = (core: Core, session: Session, input: any) => Outputs[C] | Promise<Outputs[C]>;

async function actorOf(core: Core, session: Session): Promise<Actor> {
  await requireSetup(core);
  if (session.userId === null) throw new AppError('UNAUTHENTICATED', '请先登录。');
  return await refreshActor(core, session.userId);
}

async function sessionView(core: Core, actor: Actor) {
  return { user: toUserView((await getUserById(core.db, actor.id))!), agencyName: (await getAgency(core.db))?.name ?? '' };
}

const signedIn =
  <C extends Channel>(fn: (core: Core, actor: Actor, input: any) => Outputs[C] | Promise<Outputs[C]>): Handler<C> =>
  async (core, session, input) =>
    fn(core, await actorOf(core, session), input);

export const handlers: { [C in Channel]: Handler<C> } = {
  'app.status': async (core) => await appStatus(core),
  'app.setup': async (core, session, input) => {
    const actor = await setup(core, input);
    session.userId = actor.id;
    await core.db.setActingUser(actor.id);
    return await sessionView(core, actor);
  },
  'auth.signIn': async (core, session, input) => {
    await requireSetup(core);
    const actor = await signIn(core, input);
    session.userId = actor.id;
    await core.db.setActingUser(actor.id);
    return await sessionView(core, actor);
  },
  'auth.signOut': async (_core, session) => {
    session.userId = null;
    return null;
  },
  'auth.me': async (core, session) => {
    if (session.userId === null || !await getAgency(core.db)) return null;
    try {
      return await sessionView(core, await refreshActor(core, session.userId));
    } catch {
      session.userId = null;
      return null;
    }
  },
  'users.list': signedIn(async (core, a) => await listUsers(core, a)),
  'users.create': signedIn(async (core, a, i) => await createUser(core, a, i)),
  'users.update': signedIn(async (core, a, i) => await updateUser(core, a, i)),
  'catalog.current': signedIn(async (core) => (await currentCatalog(core.db))!),
  'cases.submit': signedIn(async (core, a, i) => await submitCase(core, a, i)),
  'cases.resubmit': signedIn(async (core, a, i) => await resubmitCase(core, a, i)),
  'cases.get': signedIn(async (core, a, i) => await caseDetail(core, a, i.caseId)),
  'cases.search': signedIn(async (core, a, i) => await search(core, a, i)),
  'cases.queue': signedIn(async (core, a) => await queue(core, a)),
  'cases.close': signedIn(async (core, a, i) => await closeCase(core, a, i.caseId)),
  'reviews.take': signedIn(async (core, a, i) => await takeCase(core, a, i.caseId)),
  'reviews.saveDraft': signedIn(async (core, a, i) => await saveReviewDraft(core, a, i)),
  'reviews.getDraft': signedIn(async (core, a, i) => await getDraft(core, a, i.caseId)),
  'reviews.issue': signedIn(async (core, a, i) => await issueReview(core, a, i)),
  'approvals.decide': signedIn(async (core, a, i) => await decide(core, a, i)),
  'audit.verify': signedIn(async (core, a) => await verifyChainAs(core, a)),
  'uploads.begin': signedIn(async (core, a, i) => beginUpload(core, a, i.name, i.size)),
  'uploads.chunk': signedIn(async (core, a, i) => uploadChunk(core, a, i.uploadId, i.base64)),
  'uploads.finish': signedIn(async (core, a, i) => await finishUpload(core, a, i.uploadId)),
  'drafts.save': signedIn(async (core, a, i) => {
    const at = nowIso(core);
    await saveDraft(core.db, a.id, i.key, i.json, at);
    return { savedAt: at };
  }),
  'drafts.load': signedIn(async (core, a, i) => await loadDraft(core.db, a.id, i.key) ?? null),
  'drafts.clear': signedIn(async (core, a, i) => {
    await clearDraft(core.db, a.id, i.key);
    return null;
  }),
  'deadlines.extend': signedIn(async (core, a, i) => await extendReview(core, a, i)),
  'deadlines.overdue': signedIn(async (core, a) => await overdueReviews(core, a)),
  'deadlines.lastDay': signedIn(async (core, a) => await lastDayReviews(core, a)),
  'deadlines.compute': signedIn(async (core, _a, i) => await computeDeadline(core, i)),
  'deadlines.settings': signedIn(async (core) => await deadlineSettings(core)),
  'deadlines.updateSettings': signedIn(async (core, a, i) => await updateDeadlineSettings(core, a, i)),
  'calendar.show': signedIn(async (core, _a, i) => await calendarShow(core, i.year)),
  'calendar.import': signedIn(async (core, a, i) => await importCalendarYear(core, a, i)),
  'clocks.start': signedIn(async (core, a, i) => await startHourClock(core, a, i)),
  'clocks.complete': signedIn(async (core, a, i) => await completeCaseClock(core, a, i)),
  'settings.workflow': signedIn(async (core) => await workflowSettings(core)),
  'settings.updateWorkflow': signedIn(async (core, a, i) => await updateWorkflowSettings(core, a, i)),
  'rereview.request': signedIn(async (core, a, i) => await requestRereview(core, a, i)),
  'cases.escalate': signedIn(async (core, a, i) => await escalate(core, a, i)),
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
  'templates.fields': signedIn(async () => templateFields()),
  'documents.list': signedIn(async (core, a, i) => await listDocuments(core, a, i.caseId)),
  'documents.preview': signedIn(async (core, a, i) => await previewDocument(core, a, i)),
  'documents.save': signedIn(async (core, a, i) => await saveDocument(core, a, i)),
  'documents.finalize': signedIn(async (core, a, i) => await finalizeDocument(core, a, i)),
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
  'documents.download': signedIn(async (core, a, i) => await downloadIssued(core, a, i.issuedId)),
  'documents.verify': signedIn(async (core, _a, i) => await verifyUpload(core, i)),
  'settings.fonts': signedIn(async (core) => await fontReport(core)),
  'settings.updateFonts': signedIn(async (core, a, i) => await setFontOrder(core, a, i)),
};

/** Validates the channel and its input against the contract, runs the handler, and wraps the outcome. */
export async function dispatch(core: Core, session: Session, channel: string, input: unknown): Promise<Result<unknown>> {
  try {
    if (!Object.hasOwn(channels, channel)) throw new AppError('VALIDATION', `未知的操作：${channel}`);
    const c = channel as Channel;
    const parsed = parseInput(channels[c] as ZodType<unknown>, input ?? {});
    // Every request runs as its signed-in user, so PostgreSQL's row-level security applies to it too.
    const value = await core.db.actingAs(session.userId, async () => await (handlers[c] as Handler<Channel>)(core, session, parsed));
    return { ok: true, value };
  } catch (err) {
    if (!(err instanceof AppError)) console.error(`[lrw] ${channel} failed:`, err);
    return { ok: false, error: toErrorPayload(err) };
  }
}
