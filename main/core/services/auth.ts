// Passwords are stored only as scrypt hashes with a per-user salt; comparison is constant-time.
import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import { AppError } from '../domain/errors';
import { hasPermission, type Permission, PERMISSION_LABELS, PERMISSIONS } from '../domain/permissions';
import { ROLE_LABELS } from '../domain/types';
import { getUserById, getUserByUsername, type UserRow } from '../db/repos/users';
import { appendEvent } from './audit';
import { type Actor, type Core, parseInput, tx } from './core';
import { SignInInput } from '../../../preload/contract';

const N = 2 ** 15;
const R = 8;
const P = 1;
const KEYLEN = 32;
const MAXMEM = 64 * 1024 * 1024;

export function hashPassword(password: string): string {
  const salt = randomBytes(16);
  const key = scryptSync(password, salt, KEYLEN, { N, r: R, p: P, maxmem: MAXMEM });
  return `scrypt$${N}$${R}$${P}$${salt.toString('base64')}$${key.toString('base64')}`;
}

export function verifyPassword(password: string, stored: string): boolean {
  const [alg, n, r, p, saltB64, keyB64] = stored.split('$');
  if (alg !== 'scrypt') return false;
  const expected = Buffer.from(keyB64, 'base64');
  const key = scryptSync(password, Buffer.from(saltB64, 'base64'), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    maxmem: MAXMEM,
  });
  return timingSafeEqual(key, expected);
}

export const toActor = (u: UserRow): Actor => ({ id: u.id, username: u.username, displayName: u.display_name, roles: u.roles });

/** Checks a username and password; a wrong one is logged and refused with the same message either way. */
export async function authenticate(core: Core, input: unknown): Promise<Actor> {
  const { username, password } = parseInput(SignInInput, input);
  const user = await getUserByUsername(core.db, username);
  const ok = !!user && user.active === 1 && verifyPassword(password, user.password_hash);
  if (!ok) {
    if (user) await tx(core, async () => await appendEvent(core, null, 'user.signin_failed', null, { username }));
    throw new AppError('UNAUTHENTICATED', '用户名或密码不正确，或该账号已停用。');
  }
  return toActor(user);
}

export async function signIn(core: Core, input: unknown): Promise<Actor> {
  const actor = await authenticate(core, input);
  await tx(core, async () => await appendEvent(core, actor, 'user.signin', null, {}));
  return actor;
}

/** Reloads the actor from the database so a role removed by an administrator takes effect at once. */
export async function refreshActor(core: Core, userId: number): Promise<Actor> {
  const u = await getUserById(core.db, userId);
  if (!u || u.active !== 1) throw new AppError('UNAUTHENTICATED', '登录已失效，请重新登录。');
  return toActor(u);
}

export function requirePermission(actor: Actor, p: Permission): void {
  if (!hasPermission(actor.roles, p)) {
    const roles = (PERMISSIONS[p] as readonly (keyof typeof ROLE_LABELS)[]).map((r) => ROLE_LABELS[r]).join('、');
    throw new AppError('FORBIDDEN', `无权${PERMISSION_LABELS[p]}：此操作仅限${roles}。`);
  }
}
