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
  roles: Role[];
}

function withRoles(db: Db, row: Omit<UserRow, 'roles'> | undefined): UserRow | undefined {
  if (!row) return undefined;
  const roles = db
    .prepare('SELECT role FROM user_roles WHERE user_id = ? ORDER BY role')
    .pluck()
    .all(row.id) as Role[];
  return { ...row, roles };
}

export const getUserById = (db: Db, id: number) =>
  withRoles(db, db.prepare('SELECT * FROM users WHERE id = ?').get(id) as Omit<UserRow, 'roles'> | undefined);

export const getUserByUsername = (db: Db, username: string) =>
  withRoles(db, db.prepare('SELECT * FROM users WHERE username = ?').get(username) as Omit<UserRow, 'roles'> | undefined);

export const listUsers = (db: Db): UserRow[] =>
  (db.prepare('SELECT * FROM users ORDER BY id').all() as Omit<UserRow, 'roles'>[]).map((r) => withRoles(db, r)!);

export const countUsers = (db: Db): number => db.prepare('SELECT COUNT(*) FROM users').pluck().get() as number;

export interface NewUser {
  username: string;
  displayName: string;
  passwordHash: string;
  roles: Role[];
  certNo?: string | null;
  certExpiry?: string | null;
  qualificationNo?: string | null;
}

export function insertUser(db: Db, u: NewUser, at: string): number {
  const id = db
    .prepare(
      `INSERT INTO users (username, display_name, password_hash, cert_no, cert_expiry, qualification_no, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(u.username, u.displayName, u.passwordHash, u.certNo ?? null, u.certExpiry ?? null, u.qualificationNo ?? null, at)
    .lastInsertRowid as number;
  setRoles(db, id, u.roles);
  return id;
}

export function setRoles(db: Db, userId: number, roles: Role[]): void {
  db.prepare('DELETE FROM user_roles WHERE user_id = ?').run(userId);
  const ins = db.prepare('INSERT INTO user_roles (user_id, role) VALUES (?, ?)');
  for (const r of new Set(roles)) ins.run(userId, r);
}

export function updateUserFields(
  db: Db,
  userId: number,
  f: Partial<{ display_name: string; password_hash: string; active: number; cert_no: string | null; cert_expiry: string | null; qualification_no: string | null }>,
): void {
  const keys = Object.keys(f) as (keyof typeof f)[];
  if (keys.length === 0) return;
  const set = keys.map((k) => `${k} = @${k}`).join(', ');
  db.prepare(`UPDATE users SET ${set} WHERE id = @id`).run({ ...f, id: userId });
}
