// Accounts (issue 10, points 6–7): 三员分立 and sign-in like a bank's.
// - The single `admin` role is split into sys_admin, sec_admin and audit_admin (GB/T 22239). Every
//   holder of `admin` gets all three — the bootstrap state the first administrator of a new agency is
//   in too — until a distinct 安全管理员 and 审计管理员 exist (services/users.ts settleAdminSplit).
//   `admin` is gone from stored roles and from the CHECK constraint.
// - users gain the sign-in counters: consecutive failures (a column, not an event each: the chain
//   gets one event per lock, with the count), the lock's end, and the forced password change after a
//   reset (who reset it and when, shown at the next sign-in).
export const version = 7;
export const name = 'accounts';

const ROLE_CHECK = "role IN ('handler','reviewer','legal_head','agency_head','secretary','sys_admin','sec_admin','audit_admin')";

// password_reset_by names a user without a foreign key: rows of users are copied in id order
// (lrw db copy), and a reset may be by a later account; the reset event is the record of it.
const userColumns = `
ALTER TABLE users ADD COLUMN failed_attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN locked_until TEXT;
ALTER TABLE users ADD COLUMN must_change_password INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN password_reset_by INTEGER;
ALTER TABLE users ADD COLUMN password_reset_at TEXT;
`;

const splitAdmin = (table: string) => `
INSERT INTO ${table} (user_id, role) SELECT user_id, 'sys_admin' FROM user_roles WHERE role = 'admin';
INSERT INTO ${table} (user_id, role) SELECT user_id, 'sec_admin' FROM user_roles WHERE role = 'admin';
INSERT INTO ${table} (user_id, role) SELECT user_id, 'audit_admin' FROM user_roles WHERE role = 'admin';`;

export const sqlite = `
${userColumns}
CREATE TABLE user_roles_v7 (
  user_id INTEGER NOT NULL REFERENCES users(id),
  role TEXT NOT NULL CHECK (${ROLE_CHECK}),
  PRIMARY KEY (user_id, role)
);
INSERT INTO user_roles_v7 (user_id, role) SELECT user_id, role FROM user_roles WHERE role NOT IN ('admin', 'sys_admin', 'sec_admin', 'audit_admin');
${splitAdmin('user_roles_v7')}
DROP TABLE user_roles;
ALTER TABLE user_roles_v7 RENAME TO user_roles;
`;

export const postgres = `
${userColumns}
ALTER TABLE user_roles DROP CONSTRAINT IF EXISTS user_roles_role_check;
${splitAdmin('user_roles')}
DELETE FROM user_roles WHERE role = 'admin';
ALTER TABLE user_roles ADD CONSTRAINT user_roles_role_check CHECK (${ROLE_CHECK});
`;
