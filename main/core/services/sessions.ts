// Sessions of the agency server, kept in the store (issue 14) so any server process answers any
// request. A client holds a random token; the store holds only its SHA-256, the user, and when the
// session was last active (the idle rule itself stays in api.ts's dispatch, for every client alike).
import { createHash, randomBytes } from 'node:crypto';
import type { Core } from './core';
import type { Session } from '../api';
import { nowIso } from './core';
import { getUserById } from '../db/repos/users';
import { authSettings } from './security';

export type SessionKind = 'cookie' | 'bearer';

export interface StoredSession {
  tokenHash: string;
  userId: number;
  username: string;
  kind: SessionKind;
  /** The browser's anti-forgery token bound to this session (cookie sessions only). */
  csrf: string | null;
  lastActivity: number;
}

const hashToken = (token: string): string => createHash('sha256').update(token, 'utf8').digest('base64url');
/** 32 random bytes, URL-safe: a token or a CSRF value. */
export const newSecret = (): string => randomBytes(32).toString('base64url');

const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

/** The session a token names, or null (unknown, ended, or not a token at all). */
export async function findSession(core: Core, token: string | undefined): Promise<StoredSession | null> {
  if (!token || !TOKEN_SHAPE.test(token)) return null;
  const row = await core.db.get<{ token_hash: string; user_id: number; username: string; kind: SessionKind; csrf: string | null; last_activity_ms: number | string }>(
    'SELECT token_hash, user_id, username, kind, csrf, last_activity_ms FROM sessions WHERE token_hash = ?',
    [hashToken(token)],
  );
  if (!row) return null;
  return { tokenHash: row.token_hash, userId: row.user_id, username: row.username, kind: row.kind, csrf: row.csrf, lastActivity: Number(row.last_activity_ms) };
}

export interface OpenedSession {
  token: string;
  csrf: string | null;
  username: string;
}

/** A new session for a user who has just signed in (a fresh token each time: no session fixation). */
export async function openSession(core: Core, userId: number, kind: SessionKind, lastActivity: number, meta: { address?: string; userAgent?: string } = {}): Promise<OpenedSession> {
  const token = newSecret();
  const csrf = kind === 'cookie' ? newSecret() : null;
  const username = (await getUserById(core.db, userId))?.username ?? String(userId);
  await core.db.run(
    `INSERT INTO sessions (token_hash, user_id, username, kind, csrf, created_at, last_activity_ms, address, user_agent)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [hashToken(token), userId, username, kind, csrf, nowIso(core), lastActivity, (meta.address ?? '').slice(0, 100), (meta.userAgent ?? '').slice(0, 300)],
  );
  return { token, csrf, username };
}

/**
 * Activity is written when it moved on by this much: a write per request would cost a commit (a WAL
 * flush on PostgreSQL) for every click, and the idle timeout is counted in minutes. A session may so end
 * up to this much before its idle time is exactly over.
 */
export const ACTIVITY_GRANULARITY_MS = 10_000;

export async function touchSession(core: Core, s: StoredSession, lastActivity: number): Promise<void> {
  if (lastActivity - s.lastActivity < ACTIVITY_GRANULARITY_MS) return;
  await core.db.run('UPDATE sessions SET last_activity_ms = ? WHERE token_hash = ?', [lastActivity, s.tokenHash]);
}

export async function endSession(core: Core, s: StoredSession): Promise<void> {
  await core.db.run('DELETE FROM sessions WHERE token_hash = ?', [s.tokenHash]);
}

/** Every session of a user ends (the account was disabled, or its password reset). */
export async function endSessionsOf(core: Core, userId: number): Promise<void> {
  await core.db.run('DELETE FROM sessions WHERE user_id = ?', [userId]);
}

/**
 * Sessions idle past the agency's timeout are dead (dispatch would end them at their next request):
 * their rows go, so the table holds only live sessions. Returns how many went.
 */
export async function sweepIdleSessions(core: Core): Promise<number> {
  const { idleMinutes } = await authSettings(core);
  return await core.db.run('DELETE FROM sessions WHERE last_activity_ms < ?', [core.now().getTime() - idleMinutes * 60_000]);
}

export type SessionChange =
  | { kind: 'none' }
  | { kind: 'touched' }
  | { kind: 'ended' }
  | { kind: 'opened'; opened: OpenedSession };

/**
 * Runs one request's dispatch on the session a token names and writes back what it changed: a
 * sign-in opens a new session (ending the one it replaces), a sign-out or idle timeout ends it, any
 * other request records its activity.
 */
export async function withStoredSession<T>(
  core: Core,
  stored: StoredSession | null,
  kind: SessionKind,
  meta: { address?: string; userAgent?: string },
  run: (session: Session) => Promise<T>,
): Promise<{ result: T; change: SessionChange; userId: number | null }> {
  const session: Session = stored ? { userId: stored.userId, lastActivity: stored.lastActivity } : { userId: null };
  const result = await run(session);
  let change: SessionChange = { kind: 'none' };
  if (stored && session.userId !== stored.userId) {
    await endSession(core, stored);
    change = { kind: 'ended' };
  }
  if (session.userId !== null && (!stored || session.userId !== stored.userId)) {
    change = { kind: 'opened', opened: await openSession(core, session.userId, kind, session.lastActivity ?? core.now().getTime(), meta) };
  } else if (stored && session.userId === stored.userId && session.lastActivity !== undefined) {
    await touchSession(core, stored, session.lastActivity);
    change = { kind: 'touched' };
  }
  return { result, change, userId: session.userId };
}
