import { idChunks } from '../store';
import type { Role } from '../../domain/types';
import type { Db } from '../open';

export interface UserRow {
  id: number;
  username: string;
  display_name: string;
  password_hash: string;
  active: number;
  cert_no: string | null;
  cert_expiry: string | null;
  qualification_no: string | null;
  /** Consecutive failed sign-ins since the last success or unlock (migration 007). */
  failed_attempts: number;
  /** While in the future, sign-in is refused whatever the password (ISO time). */
  locked_until: string | null;
  /** 1 after a reset: the next sign-in must set a new password before anything else. */
  must_change_password: number;
  password_reset_by: number | null;
  password_reset_at: string | null;
  roles: Role[];
}

async function withRoles(
  db: Db, row: Omit<UserRow, 'roles'> | undefined): Promise<UserRow | undefined> {
  if (!row) return undefined;
  const roles = await db.column('SELECT role FROM user_roles WHERE user_id = ? ORDER BY role', [row.id]) as Role[];
  return { ...row, roles };
}

/** One user with their roles in one statement (every request reads its actor afresh). */
export async function getUserById(db: Db, id: number): Promise<UserRow | undefined> {
  const rows = await db.all<Omit<UserRow, 'roles'> & { role_of_user: Role | null }>(
    'SELECT u.*, r.role AS role_of_user FROM users u LEFT JOIN user_roles r ON r.user_id = u.id WHERE u.id = ? ORDER BY r.role',
    [id],
  );
  if (!rows.length) return undefined;
  const { role_of_user: _r, ...user } = rows[0];
  return { ...user, roles: rows.flatMap((x) => (x.role_of_user === null ? [] : [x.role_of_user])) };
}

export interface UserCard {
  id: number;
  display_name: string;
  active: number;
  cert_no: string | null;
  cert_expiry: string | null;
}

/** Names, state and enforcement certificates of many users in one statement per chunk (no roles). */
export async function userCardsOf(db: Db, ids: readonly number[]): Promise<Map<number, UserCard>> {
  const out = new Map<number, UserCard>();
  for (const { marks, params } of idChunks([...new Set(ids)])) {
    for (const r of await db.all<UserCard>(`SELECT id, display_name, active, cert_no, cert_expiry FROM users WHERE id IN (${marks})`, params)) out.set(r.id, r);
  }
  return out;
}

export const getUserByUsername = async (db: Db, username: string) =>
  withRoles(db, await db.get('SELECT * FROM users WHERE lower(username) = lower(?)', [username]) as Omit<UserRow, 'roles'> | undefined);

/** Every user with their roles: two statements, whatever the number of users. */
export async function listUsers(db: Db): Promise<UserRow[]> {
  const rows = await db.all('SELECT * FROM users ORDER BY id') as Omit<UserRow, 'roles'>[];
  const roles = new Map<number, Role[]>();
  for (const r of await db.all<{ user_id: number; role: Role }>('SELECT user_id, role FROM user_roles ORDER BY role')) {
    const id = Number(r.user_id);
    roles.set(id, [...(roles.get(id) ?? []), r.role]);
  }
  return rows.map((r) => ({ ...r, roles: roles.get(Number(r.id)) ?? [] }));
}

export const countUsers = async (db: Db): Promise<number> => await db.value('SELECT COUNT(*) FROM users') as number;

export interface NewUser {
  username: string;
  displayName: string;
  passwordHash: string;
  roles: Role[];
  certNo?: string | null;
  certExpiry?: string | null;
  qualificationNo?: string | null;
}

export async function insertUser(
  db: Db, u: NewUser, at: string): Promise<number> {
  const id = await db.insert(`INSERT INTO users (username, display_name, password_hash, cert_no, cert_expiry, qualification_no, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`, [u.username, u.displayName, u.passwordHash, u.certNo ?? null, u.certExpiry ?? null, u.qualificationNo ?? null, at]) as number;
  await setRoles(db, id, u.roles);
  return id;
}

export async function setRoles(
  db: Db, userId: number, roles: Role[]): Promise<void> {
  await db.run('DELETE FROM user_roles WHERE user_id = ?', [userId]);
  for (const r of new Set(roles)) await db.run('INSERT INTO user_roles (user_id, role) VALUES (?, ?)', [userId, r]);
}

export async function updateUserFields(
  db: Db,
  userId: number,
  f: Partial<{
    display_name: string; password_hash: string; active: number; cert_no: string | null; cert_expiry: string | null; qualification_no: string | null;
    failed_attempts: number; locked_until: string | null; must_change_password: number; password_reset_by: number | null; password_reset_at: string | null;
  }>,
): Promise<void> {
  const keys = Object.keys(f) as (keyof typeof f)[];
  if (keys.length === 0) return;
  const set = keys.map((k) => `${k} = @${k}`).join(', ');
  await db.run(`UPDATE users SET ${set} WHERE id = @id`, { ...f, id: userId });
}
