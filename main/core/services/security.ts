// Sign-in and administration settings of the agency (issue 10, points 6–7), kept by the 安全管理员:
// the lockout (failures, minutes), the idle time after which a session ends, and whether the three
// administrator roles must be held by three accounts (三员分立, GB/T 22239; a small office may turn
// it off, which is recorded and shown on the status page).
import { AuthSettingsInput } from '../../../preload/contract';
import { getSetting, setSetting } from '../db/repos/deadlines';
import { ADMIN_ROLES, type AdminRole } from '../domain/types';
import type { AdminSplitView } from '../domain/views';
import { listUsers, setRoles, type UserRow } from '../db/repos/users';
import { appendEvent } from './audit';
import { requirePermission } from './auth';
import { type Actor, type Core, nowIso, parseInput, tx } from './core';
import { assertFresh, settingVersion } from './versions';

export interface AuthSettings {
  /** Consecutive wrong passwords that lock an account. */
  maxFailures: number;
  /** How long a lock lasts. */
  lockMinutes: number;
  /** A session with no request for this long ends (every client: the rule is in api.ts dispatch). */
  idleMinutes: number;
  /** 三员分立: no account holds two of sys_admin, sec_admin, audit_admin. */
  adminSplit: boolean;
}

export const DEFAULT_AUTH_SETTINGS: AuthSettings = { maxFailures: 5, lockMinutes: 15, idleMinutes: 30, adminSplit: true };

export async function authSettings(core: Core): Promise<AuthSettings> {
  return { ...DEFAULT_AUTH_SETTINGS, ...await getSetting<Partial<AuthSettings>>(core.db, 'auth') };
}

/** The settings page's view: the settings and their version (services/versions.ts). */
export async function authSettingsView(core: Core): Promise<AuthSettings & { version: number }> {
  return { ...await authSettings(core), version: (await settingVersion(core, 'auth')).version };
}

export async function updateAuthSettings(core: Core, actor: Actor, input: unknown): Promise<AuthSettings & { version: number }> {
  requirePermission(actor, 'security.manage');
  const { expectedVersion, ...s } = parseInput(AuthSettingsInput, input);
  await tx(core, async () => {
    await assertFresh(core, '登录与安全设置', expectedVersion, await settingVersion(core, 'auth'));
    const before = await authSettings(core);
    await setSetting(core.db, 'auth', s, nowIso(core));
    await appendEvent(core, actor, 'settings.auth', null, { ...s, before });
    if (before.adminSplit !== s.adminSplit) {
      await appendEvent(core, actor, 'settings.admin_split', null, {
        enabled: s.adminSplit,
        note: s.adminSplit ? '启用三员分立：系统管理员、安全管理员、审计管理员由不同账号担任' : '关闭三员分立：允许一个账号兼任多个管理员角色',
      });
    }
    await settleAdminSplit(core);
  });
  return await authSettingsView(core);
}

const isAdminRole = (r: string): r is AdminRole => (ADMIN_ROLES as readonly string[]).includes(r);
export const adminRolesOf = (roles: readonly string[]): AdminRole[] => roles.filter(isAdminRole);
const soleAdmin = (u: UserRow, r: AdminRole) => u.active === 1 && adminRolesOf(u.roles).length === 1 && u.roles.includes(r);

/**
 * The first administrator holds all three roles until a distinct 安全管理员 and 审计管理员 exist; then
 * that account keeps 系统管理员 only. Runs inside the use case's transaction after every change of
 * roles, accounts or the setting; each drop is an event of the system naming the rule.
 */
export async function settleAdminSplit(core: Core): Promise<void> {
  if (!(await authSettings(core)).adminSplit) return;
  const users = await listUsers(core.db);
  if (!users.some((u) => soleAdmin(u, 'sec_admin')) || !users.some((u) => soleAdmin(u, 'audit_admin'))) return;
  for (const u of users) {
    if (u.active !== 1 || adminRolesOf(u.roles).length < 2 || !u.roles.includes('sys_admin')) continue;
    const after = u.roles.filter((r) => r !== 'sec_admin' && r !== 'audit_admin');
    await setRoles(core.db, u.id, after);
    await appendEvent(core, null, 'user.roles', null, {
      userId: u.id,
      username: u.username,
      before: u.roles,
      after,
      reason: '三员分立：安全管理员、审计管理员已由其他账号担任，首位管理员兼任的安全管理员、审计管理员角色自动撤销',
    });
  }
}

/** Where the agency stands on 三员分立, for the status page and the first-run hint. */
export async function adminSplitStatus(core: Core): Promise<AdminSplitView> {
  const { adminSplit } = await authSettings(core);
  const users = (await listUsers(core.db)).filter((u) => u.active === 1);
  const combined = users.filter((u) => adminRolesOf(u.roles).length > 1);
  // 安全管理员 and 审计管理员 are in place when an account holds one as its only administrator role;
  // the first administrator becomes the 系统管理员 once they are.
  const missing = ADMIN_ROLES.filter((r) => (r === 'sys_admin' ? !users.some((u) => u.roles.includes(r)) : !users.some((u) => soleAdmin(u, r))));
  return {
    enabled: adminSplit,
    complete: !adminSplit || (missing.length === 0 && combined.length === 0),
    missing: adminSplit ? missing : [],
    combined: combined.map((u) => ({ username: u.username, displayName: u.display_name, roles: adminRolesOf(u.roles) })),
  };
}
