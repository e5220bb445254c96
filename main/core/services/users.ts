import { AppError } from '../domain/errors';
import type { UserView } from '../domain/views';
import { getUserById, getUserByUsername, insertUser, listUsers as listUserRows, setRoles, updateUserFields, type UserRow } from '../db/repos/users';
import { UserInput, UserUpdateInput } from '../../../preload/contract';
import { appendEvent } from './audit';
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
});

export async function listUsers(core: Core, actor: Actor): Promise<UserView[]> {
  requirePermission(actor, 'users.list');
  return (await listUserRows(core.db)).map(toUserView);
}

export async function createUser(core: Core, actor: Actor, input: unknown): Promise<UserView> {
  requirePermission(actor, 'users.manage');
  const u = parseInput(UserInput, input);
  if (u.certNo && !u.certExpiry) throw new AppError('VALIDATION', '填写执法证号时须同时填写有效期。');
  const passwordHash = hashPassword(u.password);
  return await tx(core, async () => {
    if (await getUserByUsername(core.db, u.username)) throw new AppError('CONFLICT', `用户名“${u.username}”已存在。`);
    const id = await insertUser(core.db, { ...u, passwordHash }, nowIso(core));
    const { password: _omit, ...logged } = u;
    await appendEvent(core, actor, 'user.create', null, { userId: id, ...logged });
    return toUserView((await getUserById(core.db, id))!);
  });
}

export async function updateUser(core: Core, actor: Actor, input: unknown): Promise<UserView> {
  requirePermission(actor, 'users.manage');
  const u = parseInput(UserUpdateInput, input);
  const passwordHash = u.password ? hashPassword(u.password) : undefined;
  return await tx(core, async () => {
    const before = await getUserById(core.db, u.userId);
    if (!before) throw new AppError('NOT_FOUND', '用户不存在。');
    const losesAdmin = (u.roles && !u.roles.includes('admin')) || u.active === false;
    if (before.roles.includes('admin') && losesAdmin) {
      const otherAdmins = (await listUserRows(core.db)).filter((x) => x.id !== before.id && x.active === 1 && x.roles.includes('admin'));
      if (otherAdmins.length === 0) throw new AppError('CONFLICT', '至少须保留一名在用的管理员。');
    }
    await updateUserFields(core.db, u.userId, {
      ...(u.displayName !== undefined && { display_name: u.displayName }),
      ...(passwordHash && { password_hash: passwordHash }),
      ...(u.active !== undefined && { active: u.active ? 1 : 0 }),
      ...(u.certNo !== undefined && { cert_no: u.certNo || null }),
      ...(u.certExpiry !== undefined && { cert_expiry: u.certExpiry || null }),
      ...(u.qualificationNo !== undefined && { qualification_no: u.qualificationNo || null }),
    });
    if (u.roles) await setRoles(core.db, u.userId, u.roles);
    const { password, ...logged } = u;
    await appendEvent(core, actor, 'user.update', null, { ...logged, passwordChanged: !!password });
    return toUserView((await getUserById(core.db, u.userId))!);
  });
}
