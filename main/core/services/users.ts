// Accounts. 三员分立 (GB/T 22239, issue 10 point 6): 系统管理员 creates accounts, 安全管理员 grants roles,
// resets passwords and ends locks; nobody acts on their own account; every change is an event.
import { AppError, fieldError } from '../domain/errors';
import type { UserView } from '../domain/views';
import { getUserById, getUserByUsername, insertUser, listUsers as listUserRows, setRoles, updateUserFields, type UserRow } from '../db/repos/users';
import { ResetPasswordInput, UnlockInput, UserInput, UserRolesInput, UserUpdateInput } from '../../../preload/contract';
import { randomInt } from 'node:crypto';
import { hasPermission } from '../domain/permissions';
import { ROLE_LABELS, type Role } from '../domain/types';
import { adminRolesOf, authSettings, settleAdminSplit } from './security';
import { appendEvent } from './audit';
import { allExemptions } from '../db/repos/gate';
import { hashPassword, requirePermission } from './auth';
import { type Actor, type Core, nowIso, parseInput, tx } from './core';

export const toUserView = (u: UserRow): UserView => ({
  id: u.id,
  username: u.username,
  displayName: u.display_name,
  roles: u.roles,
  active: u.active === 1,
  certNo: u.cert_no,
  certExpiry: u.cert_expiry,
  qualificationNo: u.qualification_no,
  lockedUntil: u.locked_until,
  failedAttempts: u.failed_attempts,
  mustChangePassword: u.must_change_password === 1,
});

export async function listUsers(core: Core, actor: Actor): Promise<UserView[]> {
  requirePermission(actor, 'users.list');
  // 行政处罚法 第五十八条 exemptions recorded by the security administrator (services/reviewers.ts).
  const exempt = new Map((await allExemptions(core.db)).map((e) => [e.user_id, { note: e.note, by: e.recorded_by_name, at: e.recorded_at }]));
  // Locks and pending password changes are the administrators' business (and one's own), not colleagues'.
  const seesSecurity = hasPermission(actor.roles, 'users.manage') || hasPermission(actor.roles, 'users.unlock');
  return (await listUserRows(core.db)).map((u) => {
    const v = { ...toUserView(u), reviewerExemption: exempt.get(u.id) ?? null };
    return seesSecurity || u.id === actor.id ? v : { ...v, lockedUntil: null, failedAttempts: 0, mustChangePassword: false };
  });
}

/** 三员分立 and the administrator roles that must stay held: checked on every role change and deactivation. */
async function checkAdminRoles(core: Core, target: UserRow | null, after: readonly Role[], active: boolean): Promise<void> {
  const { adminSplit } = await authSettings(core);
  const held = adminRolesOf(after);
  if (adminSplit && held.length > 1) {
    throw new AppError(
      'ADMIN_SPLIT',
      `三员分立（GB/T 22239）：系统管理员、安全管理员、审计管理员须由不同账号担任，一个账号不能兼任${held.map((r) => ROLE_LABELS[r]).join('和')}。`,
    );
  }
  if (!target) return;
  const lost = adminRolesOf(target.roles).filter((r) => target.active === 1 && (!active || !after.includes(r)));
  if (lost.length === 0) return;
  const others = (await listUserRows(core.db)).filter((x) => x.id !== target.id && x.active === 1);
  for (const r of lost) {
    if (!others.some((x) => x.roles.includes(r))) throw new AppError('CONFLICT', `至少须保留一名在用的${ROLE_LABELS[r]}：请先为其他账号授予该角色。`);
  }
}

const notOwnAccount = (actor: Actor, userId: number, what: string): void => {
  if (actor.id === userId) {
    throw new AppError('SEPARATION_OF_DUTIES', `不能${what}：须由另一名管理员办理（三员分立，任何人不得为自己的账号授权或改变其权限）。`);
  }
};

/**
 * The 法律职业资格 number decides whether a reviewer may take penalty cases (行政处罚法 第五十八条): a power,
 * so only the 安全管理员 records it (as they record the exemption), never the 系统管理员 alone.
 */
function assertMayRecordQualification(actor: Actor): void {
  if (!hasPermission(actor.roles, 'reviewer.exempt')) {
    throw new AppError('FORBIDDEN', '法律职业资格证号决定能否审核行政处罚案件（行政处罚法第五十八条），须由安全管理员登记或修改。');
  }
}

async function userOr404(core: Core, userId: number): Promise<UserRow> {
  const u = await getUserById(core.db, userId);
  if (!u) throw new AppError('NOT_FOUND', '用户不存在。');
  return u;
}

/**
 * The 系统管理员 creates accounts; an account is created with roles only by someone who may grant them
 * (安全管理员): nobody creates an account with powers they could not grant. The first administrator
 * holds both until the other administrators exist.
 */
export async function createUser(core: Core, actor: Actor, input: unknown): Promise<UserView> {
  requirePermission(actor, 'users.manage');
  const u = parseInput(UserInput, input);
  // Both field refusals at once (the username is checked again under the transaction, for a race).
  const issues = [
    ...(u.certNo && !u.certExpiry ? [{ path: 'certExpiry', message: '填写执法证号时须同时填写有效期。' }] : []),
    ...((await getUserByUsername(core.db, u.username)) ? [{ path: 'username', message: `用户名“${u.username}”已存在。` }] : []),
  ];
  if (issues.length) throw fieldError(issues.some((i) => i.path === 'username') ? 'CONFLICT' : 'VALIDATION', issues.map((i) => i.message).join(''), issues);
  if (u.roles.length > 0 && !hasPermission(actor.roles, 'roles.manage')) {
    throw new AppError(
      'FORBIDDEN',
      '不能创建带有角色的账号：角色须由安全管理员授予（三员分立，账号不得带有创建者无权授予的权限）。请先不选角色创建账号，再由安全管理员调整角色。',
    );
  }
  if (u.qualificationNo) assertMayRecordQualification(actor);
  await checkAdminRoles(core, null, u.roles, true);
  const passwordHash = await hashPassword(u.password);
  return await tx(core, async () => {
    if (await getUserByUsername(core.db, u.username)) throw fieldError('CONFLICT', `用户名“${u.username}”已存在。`, 'username');
    const id = await insertUser(core.db, { ...u, passwordHash }, nowIso(core));
    const { password: _omit, ...logged } = u;
    await appendEvent(core, actor, 'user.create', null, { userId: id, ...logged });
    await settleAdminSplit(core);
    return toUserView((await getUserById(core.db, id))!);
  });
}

/** Name, certificates and whether the account is in use (系统管理员). Roles and passwords have their own paths. */
export async function updateUser(core: Core, actor: Actor, input: unknown): Promise<UserView> {
  requirePermission(actor, 'users.manage');
  const u = parseInput(UserUpdateInput, input);
  if (u.active === false) notOwnAccount(actor, u.userId, '停用自己的账号');
  return await tx(core, async () => {
    const before = await userOr404(core, u.userId);
    if (u.qualificationNo !== undefined && (u.qualificationNo || null) !== before.qualification_no) {
      assertMayRecordQualification(actor);
      notOwnAccount(actor, u.userId, '登记自己的法律职业资格证号');
    }
    if (u.active === false) await checkAdminRoles(core, before, before.roles, false);
    await updateUserFields(core.db, u.userId, {
      ...(u.displayName !== undefined && { display_name: u.displayName }),
      ...(u.active !== undefined && { active: u.active ? 1 : 0 }),
      ...(u.certNo !== undefined && { cert_no: u.certNo || null }),
      ...(u.certExpiry !== undefined && { cert_expiry: u.certExpiry || null }),
      ...(u.qualificationNo !== undefined && { qualification_no: u.qualificationNo || null }),
    });
    await appendEvent(core, actor, 'user.update', null, u);
    await settleAdminSplit(core);
    return toUserView((await getUserById(core.db, u.userId))!);
  });
}

/** The 安全管理员 grants and removes roles — never on their own account; the event names who and what. */
export async function setUserRoles(core: Core, actor: Actor, input: unknown): Promise<UserView> {
  requirePermission(actor, 'roles.manage');
  const { userId, roles } = parseInput(UserRolesInput, input);
  notOwnAccount(actor, userId, '为自己的账号授予或撤销角色');
  const after = [...new Set(roles)].sort() as Role[];
  return await tx(core, async () => {
    const before = await userOr404(core, userId);
    await checkAdminRoles(core, before, after, before.active === 1);
    await setRoles(core.db, userId, after);
    await appendEvent(core, actor, 'user.roles', null, {
      userId,
      username: before.username,
      before: before.roles,
      after,
      added: after.filter((r) => !before.roles.includes(r)),
      removed: before.roles.filter((r) => !after.includes(r)),
    });
    await settleAdminSplit(core);
    return toUserView((await getUserById(core.db, userId))!);
  });
}

const TEMP_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789';
const temporaryPassword = (): string => Array.from({ length: 12 }, () => TEMP_ALPHABET[randomInt(TEMP_ALPHABET.length)]).join('');

/**
 * The 安全管理员 resets another user's password (also ending a lock). The owner must change it at the
 * next sign-in, which tells them who reset it and when; until then every other request is refused.
 */
export async function resetPassword(core: Core, actor: Actor, input: unknown): Promise<{ user: UserView; temporaryPassword: string }> {
  requirePermission(actor, 'users.resetPassword');
  const p = parseInput(ResetPasswordInput, input);
  notOwnAccount(actor, p.userId, '重置自己的密码（请用“修改密码”）');
  const password = p.password ?? temporaryPassword();
  const passwordHash = await hashPassword(password);
  return await tx(core, async () => {
    const before = await userOr404(core, p.userId);
    const at = nowIso(core);
    await updateUserFields(core.db, p.userId, {
      password_hash: passwordHash,
      must_change_password: 1,
      password_reset_by: actor.id,
      password_reset_at: at,
      failed_attempts: 0,
      locked_until: null,
    });
    await appendEvent(core, actor, 'user.password_reset', null, {
      userId: p.userId,
      username: before.username,
      generated: !p.password,
      endedLock: before.locked_until,
      failures: before.failed_attempts,
    });
    return { user: toUserView((await getUserById(core.db, p.userId))!), temporaryPassword: password };
  });
}

/** The 安全管理员 ends a lock before its time; the event carries the failures it had counted. */
export async function unlockUser(core: Core, actor: Actor, input: unknown): Promise<UserView> {
  requirePermission(actor, 'users.unlock');
  const { userId } = parseInput(UnlockInput, input);
  notOwnAccount(actor, userId, '为自己的账号解除锁定');
  return await tx(core, async () => {
    const before = await userOr404(core, userId);
    if (!before.locked_until || before.locked_until <= nowIso(core)) throw new AppError('BAD_STATE', `账号“${before.username}”未被锁定。`);
    await updateUserFields(core.db, userId, { failed_attempts: 0, locked_until: null });
    await appendEvent(core, actor, 'user.unlock', null, { userId, username: before.username, failures: before.failed_attempts, lockedUntil: before.locked_until });
    return toUserView((await getUserById(core.db, userId))!);
  });
}
