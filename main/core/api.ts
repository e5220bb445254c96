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

function actorOf(core: Core, session: Session): Actor {
  requireSetup(core);
  if (session.userId === null) throw new AppError('UNAUTHENTICATED', '请先登录。');
  return refreshActor(core, session.userId);
}

function sessionView(core: Core, actor: Actor) {
  return { user: toUserView(getUserById(core.db, actor.id)!), agencyName: getAgency(core.db)?.name ?? '' };
}

const signedIn =
  <C extends Channel>(fn: (core: Core, actor: Actor, input: any) => Outputs[C] | Promise<Outputs[C]>): Handler<C> =>
  (core, session, input) =>
    fn(core, actorOf(core, session), input);

export const handlers: { [C in Channel]: Handler<C> } = {
  'app.status': (core) => appStatus(core),
  'app.setup': (core, session, input) => {
    const actor = setup(core, input);
    session.userId = actor.id;
    return sessionView(core, actor);
  },
  'auth.signIn': (core, session, input) => {
    requireSetup(core);
    const actor = signIn(core, input);
    session.userId = actor.id;
    return sessionView(core, actor);
  },
  'auth.signOut': (_core, session) => {
    session.userId = null;
    return null;
  },
  'auth.me': (core, session) => {
    if (session.userId === null || !getAgency(core.db)) return null;
    try {
      return sessionView(core, refreshActor(core, session.userId));
    } catch {
      session.userId = null;
      return null;
    }
  },
  'users.list': signedIn((core, a) => listUsers(core, a)),
  'users.create': signedIn((core, a, i) => createUser(core, a, i)),
  'users.update': signedIn((core, a, i) => updateUser(core, a, i)),
  'catalog.current': signedIn((core) => currentCatalog(core.db)!),
  'cases.submit': signedIn((core, a, i) => submitCase(core, a, i)),
  'cases.resubmit': signedIn((core, a, i) => resubmitCase(core, a, i)),
  'cases.get': signedIn((core, a, i) => caseDetail(core, a, i.caseId)),
  'cases.search': signedIn((core, a, i) => search(core, a, i)),
  'cases.queue': signedIn((core, a) => queue(core, a)),
  'cases.close': signedIn((core, a, i) => closeCase(core, a, i.caseId)),
  'reviews.take': signedIn((core, a, i) => takeCase(core, a, i.caseId)),
  'reviews.saveDraft': signedIn((core, a, i) => saveReviewDraft(core, a, i)),
  'reviews.getDraft': signedIn((core, a, i) => getDraft(core, a, i.caseId)),
  'reviews.issue': signedIn((core, a, i) => issueReview(core, a, i)),
  'approvals.decide': signedIn((core, a, i) => decide(core, a, i)),
  'audit.verify': signedIn((core, a) => verifyChainAs(core, a)),
  'uploads.begin': signedIn((core, a, i) => beginUpload(core, a, i.name, i.size)),
  'uploads.chunk': signedIn((core, a, i) => uploadChunk(core, a, i.uploadId, i.base64)),
  'uploads.finish': signedIn((core, a, i) => finishUpload(core, a, i.uploadId)),
  'drafts.save': signedIn((core, a, i) => {
    const at = nowIso(core);
    saveDraft(core.db, a.id, i.key, i.json, at);
    return { savedAt: at };
  }),
  'drafts.load': signedIn((core, a, i) => loadDraft(core.db, a.id, i.key) ?? null),
  'drafts.clear': signedIn((core, a, i) => {
    clearDraft(core.db, a.id, i.key);
    return null;
  }),
  'deadlines.extend': signedIn((core, a, i) => extendReview(core, a, i)),
  'deadlines.overdue': signedIn((core, a) => overdueReviews(core, a)),
  'deadlines.lastDay': signedIn((core, a) => lastDayReviews(core, a)),
  'deadlines.compute': signedIn((core, _a, i) => computeDeadline(core, i)),
  'deadlines.settings': signedIn((core) => deadlineSettings(core)),
  'deadlines.updateSettings': signedIn((core, a, i) => updateDeadlineSettings(core, a, i)),
  'calendar.show': signedIn((core, _a, i) => calendarShow(core, i.year)),
  'calendar.import': signedIn((core, a, i) => importCalendarYear(core, a, i)),
  'clocks.start': signedIn((core, a, i) => startHourClock(core, a, i)),
  'clocks.complete': signedIn((core, a, i) => completeCaseClock(core, a, i)),
  'settings.workflow': signedIn((core) => workflowSettings(core)),
  'settings.updateWorkflow': signedIn((core, a, i) => updateWorkflowSettings(core, a, i)),
  'rereview.request': signedIn((core, a, i) => requestRereview(core, a, i)),
  'cases.escalate': signedIn((core, a, i) => escalate(core, a, i)),
  'meetings.list': signedIn((core, a) => listMeetings(core, a)),
  'meetings.get': signedIn((core, a, i) => meetingView(core, a, i.meetingId)),
  'meetings.create': signedIn((core, a, i) => createMeeting(core, a, i)),
  'meetings.addItem': signedIn((core, a, i) => addMeetingItem(core, a, i)),
  'meetings.start': signedIn((core, a, i) => startMeeting(core, a, i.meetingId)),
  'meetings.save': signedIn((core, a, i) => saveRecord(core, a, i)),
  'meetings.decide': signedIn((core, a, i) => decideItem(core, a, i)),
  'meetings.lock': signedIn((core, a, i) => lockMeeting(core, a, i.meetingId)),
  'meetings.amend': signedIn((core, a, i) => amendMeeting(core, a, i)),
  'templates.list': signedIn((core, a) => listTemplates(core, a)),
  'templates.get': signedIn((core, a, i) => getTemplate(core, a, i.templateId)),
  'templates.save': signedIn((core, a, i) => saveTemplate(core, a, i)),
  'templates.fields': signedIn(() => templateFields()),
  'documents.list': signedIn((core, a, i) => listDocuments(core, a, i.caseId)),
  'documents.preview': signedIn((core, a, i) => previewDocument(core, a, i)),
  'documents.save': signedIn((core, a, i) => saveDocument(core, a, i)),
  'documents.finalize': signedIn((core, a, i) => finalizeDocument(core, a, i)),
  'documents.versions': signedIn((core, a, i) => documentVersions(core, a, i)),
  'documents.diff': signedIn((core, a, i) => diffDocumentVersions(core, a, i)),
  'documents.compareDocx': signedIn((core, a, i) => compareDocumentDocx(core, a, i)),
  'cases.diffSubmissions': signedIn((core, a, i) => diffCaseSubmissions(core, a, i)),
  'clauses.list': signedIn((core) => listClauses(core)),
  'clauses.create': signedIn((core, a, i) => createClause(core, a, i)),
  'clauses.retire': signedIn((core, a, i) => retireClauseById(core, a, i.clauseId)),
  'signing.identities': signedIn((core, a) => myIdentities(core, a)),
  'signing.createTrial': signedIn((core, a) => createTrialIdentityFor(core, a)),
  'signing.import': signedIn((core, a, i) => importIdentity(core, a, i)),
  'signing.setSeal': signedIn((core, a, i) => setSeal(core, a, i)),
  'signing.retire': signedIn((core, a, i) => retireMyIdentity(core, a, i.fingerprint)),
  'documents.issue': signedIn((core, a, i) => issueDocument(core, a, i)),
  'documents.download': signedIn((core, a, i) => downloadIssued(core, a, i.issuedId)),
  'documents.verify': signedIn((core, _a, i) => verifyUpload(core, i)),
  'settings.fonts': signedIn((core) => fontReport(core)),
  'settings.updateFonts': signedIn((core, a, i) => setFontOrder(core, a, i)),
};

/** Validates the channel and its input against the contract, runs the handler, and wraps the outcome. */
export async function dispatch(core: Core, session: Session, channel: string, input: unknown): Promise<Result<unknown>> {
  try {
    if (!Object.hasOwn(channels, channel)) throw new AppError('VALIDATION', `未知的操作：${channel}`);
    const c = channel as Channel;
    const parsed = parseInput(channels[c] as ZodType<unknown>, input ?? {});
    const value = await (handlers[c] as Handler<Channel>)(core, session, parsed);
    return { ok: true, value };
  } catch (err) {
    if (!(err instanceof AppError)) console.error(`[lrw] ${channel} failed:`, err);
    return { ok: false, error: toErrorPayload(err) };
  }
}
