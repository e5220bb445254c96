// Stale writes refused by version (issue 14, point 4). Records two people at different desks can edit
// at once — a case's materials, a review draft, a meeting's record, a document, a settings page —
// carry a version in their view; a write that names the version it was based on (`expectedVersion`)
// is refused with STALE when someone changed the record since, naming who and when, and changes
// nothing. Versions of record rows come from the chain: appendEvent stamps every row its transaction
// wrote with the event's seq (migration 015, row_versions), so no use case can forget to move one.
import { AppError } from '../domain/errors';
import { getUserById } from '../db/repos/users';
import { latestDocumentVersionOf, meetingRowsVersionOf, type RowVersion, rowVersionOf } from '../db/repos/versions';
import type { Core } from './core';

/** The version a view shows and a write names; who made it and when (null: no write since versions began). */
export interface VersionStamp {
  version: number;
  actorId: number | null;
  at: string | null;
}

const stamp = (v: RowVersion | undefined): VersionStamp =>
  v ? { version: Number(v.seq), actorId: v.actor_id === null ? null : Number(v.actor_id), at: v.at } : { version: 0, actorId: null, at: null };

export const caseVersion = async (core: Core, caseId: number): Promise<VersionStamp> => stamp(await rowVersionOf(core.db, 'cases', String(caseId)));
export const settingVersion = async (core: Core, key: string): Promise<VersionStamp> => stamp(await rowVersionOf(core.db, 'settings', key));
export const meetingVersion = async (core: Core, meetingId: number): Promise<VersionStamp> => stamp(await meetingRowsVersionOf(core.db, meetingId));
/** A document's version is the number of its latest saved version (第N版). */
export async function documentVersion(core: Core, caseId: number, templateId: string): Promise<VersionStamp> {
  const v = await latestDocumentVersionOf(core.db, caseId, templateId);
  return v ? { version: Number(v.version), actorId: Number(v.saved_by), at: v.saved_at } : { version: 0, actorId: null, at: null };
}

/** “2026年12月01日 18:40”, in China Standard Time (the agency's clock). */
export const cstMinute = (iso: string): string =>
  new Date(new Date(iso).getTime() + 8 * 3600_000).toISOString().replace(/^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}).*$/, '$1年$2月$3日 $4:$5');

/**
 * Refuses a write based on an older version of the record (nothing has been written yet: call it
 * inside the use case's transaction, before its first write). `expected` undefined: the caller did
 * not say which version it read (lrw, automation) and the write is not checked.
 * `what` names the record (“该案件”), `verb` what happened to it (“更新”, “在另一处保存”).
 */
export async function assertFresh(core: Core, what: string, expected: number | undefined, current: VersionStamp, verb = '更新'): Promise<void> {
  if (expected === undefined || expected === current.version) return;
  throw await staleError(core, what, expected, current, verb);
}

/** The STALE refusal: who changed the record and when, in the words a user reads. */
export async function staleError(core: Core, what: string, expected: number, current: VersionStamp, verb = '更新'): Promise<AppError> {
  const who = current.actorId === null ? (current.at ? '系统' : '他人') : ((await getUserById(core.db, current.actorId))?.display_name ?? `用户${current.actorId}`);
  const when = current.at ? `于${cstMinute(current.at)}` : '';
  return new AppError('STALE', `${what}已被${who}${when}${verb}，请刷新后再修改。`, {
    expectedVersion: expected,
    currentVersion: current.version,
    by: who,
    at: current.at,
  });
}
