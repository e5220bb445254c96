// Passwords are stored only as scrypt hashes with a per-user salt; comparison is constant-time.
// Sign-in like a bank's (issue 10, point 7): lockout, equal cost for unknown users, input caps.
// Hashing runs in libuv's thread pool (crypto.scrypt, not scryptSync), so a server answering other
// requests is never blocked for the ~100 ms one hash takes.
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { AppError, fieldError } from '../domain/errors';
import { hasPermission, type Permission, PERMISSION_LABELS, PERMISSIONS } from '../domain/permissions';
import { ROLE_LABELS } from '../domain/types';
import { getUserById, getUserByUsername, updateUserFields, type UserRow } from '../db/repos/users';
import { appendEvent } from './audit';
import { type Actor, type Core, nowIso, parseInput, tx } from './core';
import { authSettings } from './security';
import { ChangePasswordInput, SignInInput } from '../../../preload/contract';

const N = 2 ** 15;
const R = 8;
const P = 1;
const KEYLEN = 32;
const MAXMEM = 64 * 1024 * 1024;

/** crypto.scrypt as a promise (the thread pool does the work; the event loop goes on). */
const scryptAsync = (password: string, salt: Buffer, keylen: number, opts: ScryptOptions): Promise<Buffer> =>
  new Promise((resolve, reject) => scrypt(password, salt, keylen, opts, (err, key) => (err ? reject(err) : resolve(key))));

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(password, salt, KEYLEN, { N, r: R, p: P, maxmem: MAXMEM });
  return `scrypt$${N}$${R}$${P}$${salt.toString('base64')}$${key.toString('base64')}`;
}

/**
 * True when the password matches the stored hash: the full scrypt of the stored parameters, then a
 * constant-time comparison. A stored value that is not a scrypt hash matches nothing.
 */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [alg, n, r, p, saltB64, keyB64] = stored.split('$');
  if (alg !== 'scrypt') return false;
  const expected = Buffer.from(keyB64, 'base64');
  const key = await scryptAsync(password, Buffer.from(saltB64, 'base64'), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    maxmem: MAXMEM,
  });
  return timingSafeEqual(key, expected);
}

export const toActor = (u: UserRow): Actor => ({ id: u.id, username: u.username, displayName: u.display_name, roles: u.roles });

/**
 * A hash of a random password with the same parameters as every stored one: an unknown username is
 * checked against it, so it costs the same scrypt time as a known one (no enumeration by timing).
 */
let dummyHash: Promise<string> | null = null;
const dummy = (): Promise<string> => (dummyHash ??= hashPassword(randomBytes(18).toString('base64')).catch((err) => {
  dummyHash = null;
  throw err;
}));

const cst = (iso: string): string =>
  new Date(new Date(iso).getTime() + 8 * 3600_000).toISOString().replace(/^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}).*$/, '$1年$2月$3日 $4:$5');

const lockedMessage = (until: string, max: number): string =>
  `该账号因连续${max}次密码错误已被锁定，请于${cst(until)}后再试，或请安全管理员解除锁定。`;

/** Who reset a user's password and when (for the forced change and the message at sign-in). */
export async function passwordResetOf(core: Core, u: UserRow): Promise<{ by: string; at: string } | null> {
  if (u.must_change_password !== 1) return null;
  const by = u.password_reset_by ? await getUserById(core.db, u.password_reset_by) : undefined;
  return { by: by ? `${by.display_name}（${by.username}）` : '系统', at: u.password_reset_at ?? '' };
}

const changeRequired = (r: { by: string; at: string }): AppError =>
  new AppError('PASSWORD_CHANGE_REQUIRED', `您的密码已由${r.by}于${r.at ? cst(r.at) : '—'}重置，须先修改密码，才能进行其他操作。`);

export interface AuthenticateOptions {
  /** Sign-in and the password change itself accept a reset password still to be changed. */
  allowPendingChange?: boolean;
}

/**
 * Checks a username and password like a bank: the input is capped before hashing (SignInInput); an
 * unknown user costs the same hash; a wrong password adds to the account's failure count (a column,
 * no event), and the failure that reaches the limit locks the account for the set time (one event,
 * with the count). While locked, every attempt is refused — the right password too — and counted.
 * A success after failures clears them and records how many there were. The message never says
 * whether the username exists, except that a locked account says it is locked.
 */
export async function authenticate(core: Core, input: unknown, opts: AuthenticateOptions = {}): Promise<Actor> {
  const { username, password } = parseInput(SignInInput, input);
  // The dummy is made once per process and awaited by every attempt, so even the first attempt costs
  // the same whether the username exists or not.
  const fallback = await dummy();
  const user = await getUserByUsername(core.db, username);
  const hashOk = await verifyPassword(password, user?.password_hash ?? fallback);
  const generic = new AppError('UNAUTHENTICATED', '用户名或密码不正确，或该账号已停用。');
  if (!user || user.active !== 1) throw generic;
  const settings = await authSettings(core);
  const now = nowIso(core);
  const outcome = await tx(core, async () => {
    const u = (await getUserById(core.db, user.id))!;
    const locked = !!u.locked_until && u.locked_until > now;
    if (locked) {
      await updateUserFields(core.db, u.id, { failed_attempts: u.failed_attempts + 1 });
      return { ok: false as const, until: u.locked_until! };
    }
    // A lock that has run out starts a fresh count.
    const prior = u.locked_until ? 0 : u.failed_attempts;
    if (!hashOk) {
      const failures = prior + 1;
      if (failures >= settings.maxFailures) {
        const until = new Date(core.now().getTime() + settings.lockMinutes * 60_000).toISOString();
        await updateUserFields(core.db, u.id, { failed_attempts: failures, locked_until: until });
        await appendEvent(core, null, 'user.locked', null, { userId: u.id, username: u.username, failures, until, lockMinutes: settings.lockMinutes });
        return { ok: false as const, until };
      }
      await updateUserFields(core.db, u.id, { failed_attempts: failures, locked_until: null });
      return { ok: false as const, until: null };
    }
    if (u.failed_attempts > 0 || u.locked_until) {
      await updateUserFields(core.db, u.id, { failed_attempts: 0, locked_until: null });
      await appendEvent(core, toActor(u), 'user.failures_cleared', null, { failures: u.failed_attempts, lockExpired: u.locked_until });
    }
    return { ok: true as const, user: u };
  });
  if (!outcome.ok) throw outcome.until ? new AppError('ACCOUNT_LOCKED', lockedMessage(outcome.until, settings.maxFailures)) : generic;
  if (!opts.allowPendingChange) {
    const reset = await passwordResetOf(core, outcome.user);
    if (reset) throw changeRequired(reset);
  }
  return toActor(outcome.user);
}

export interface SignedIn {
  actor: Actor;
  /** Set when the password was reset: the user is told who did it and when, and must change it. */
  passwordReset: { by: string; at: string } | null;
}

export async function signIn(core: Core, input: unknown): Promise<SignedIn> {
  const actor = await authenticate(core, input, { allowPendingChange: true });
  const passwordReset = await passwordResetOf(core, (await getUserById(core.db, actor.id))!);
  await tx(core, async () => await appendEvent(core, actor, 'user.signin', null, passwordReset ? { passwordChangeRequired: true, resetBy: passwordReset.by, resetAt: passwordReset.at } : {}));
  return { actor, passwordReset };
}

/**
 * Reloads the actor from the database so a role removed by an administrator takes effect at once;
 * a user whose password was reset may do nothing but change it (every channel, every client).
 */
export async function refreshActor(core: Core, userId: number, opts: AuthenticateOptions = {}): Promise<Actor> {
  const u = await getUserById(core.db, userId);
  if (!u || u.active !== 1) throw new AppError('UNAUTHENTICATED', '登录已失效，请重新登录。');
  if (!opts.allowPendingChange) {
    const reset = await passwordResetOf(core, u);
    if (reset) throw changeRequired(reset);
  }
  return toActor(u);
}

/** Records that an idle session was ended by the core (dispatch's idle rule); nothing when the user is gone. */
export async function recordIdleSignOut(core: Core, userId: number, idleMinutes: number): Promise<void> {
  const u = await getUserById(core.db, userId);
  if (u) await tx(core, async () => await appendEvent(core, toActor(u), 'user.signout', null, { reason: 'idle', idleMinutes }));
}

/** The user replaces their own password; after a reset this is the only thing they may do. */
export async function changeOwnPassword(core: Core, userId: number, input: unknown): Promise<Actor> {
  const { currentPassword, newPassword } = parseInput(ChangePasswordInput, input);
  const u = await getUserById(core.db, userId);
  if (!u || u.active !== 1) throw new AppError('UNAUTHENTICATED', '登录已失效，请重新登录。');
  if (!await verifyPassword(currentPassword, u.password_hash)) throw fieldError('UNAUTHENTICATED', '当前密码不正确，密码未修改。', 'currentPassword');
  if (newPassword === currentPassword) throw fieldError('VALIDATION', '新密码不能与当前密码相同。', 'newPassword');
  const passwordHash = await hashPassword(newPassword);
  return await tx(core, async () => {
    await updateUserFields(core.db, u.id, { password_hash: passwordHash, must_change_password: 0 });
    await appendEvent(core, toActor(u), 'user.password_change', null, { afterReset: u.must_change_password === 1 });
    return toActor(u);
  });
}

export function requirePermission(actor: Actor, p: Permission): void {
  if (!hasPermission(actor.roles, p)) {
    const roles = (PERMISSIONS[p] as readonly (keyof typeof ROLE_LABELS)[]).map((r) => ROLE_LABELS[r]).join('、');
    throw new AppError('FORBIDDEN', `无权${PERMISSION_LABELS[p]}：此操作仅限${roles}。`);
  }
}
