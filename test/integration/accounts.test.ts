// Issue 10, points 6–7: 三员分立 administration and sign-in like a bank's. Each bypass the issue
// reproduced on the old main is a test here (it passed before the fix: the old core let an
// administrator grant themselves agency_head, let a reset password act at once, never locked, hashed a
// 50 MB password and kept sessions forever).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { dispatch, type Session } from '../../main/core/api';
import { authenticate } from '../../main/core/services/auth';
import { caseDetail, search, submitCase } from '../../main/core/services/cases';
import { listEvents, verifyChainAs } from '../../main/core/services/audit';
import { decide } from '../../main/core/services/approvals';
import { adminSplitStatus, updateAuthSettings } from '../../main/core/services/security';
import { appStatus } from '../../main/core/services/setup';
import { createUser, listUsers, resetPassword, setUserRoles, unlockUser, updateUser } from '../../main/core/services/users';
import { getUserByUsername } from '../../main/core/db/repos/users';
import { toActor } from '../../main/core/services/auth';
import type { Actor } from '../../main/core/services/core';
import { caseInput, makeFixture, PASSWORD, type Fixture } from '../helpers/fixture';
import { refused } from '../helpers/refuse';
import { onPostgres } from '../helpers/engine';

vi.setConfig({ testTimeout: 120_000 });

let f: Fixture;
beforeEach(async () => {
  f = await makeFixture();
});
afterEach(async () => f.close());

const events = async (action: string) =>
  (await f.core.db.all('SELECT actor_name AS "actorName", payload_json AS payload FROM events WHERE action = ? ORDER BY seq', [action])) as {
    actorName: string;
    payload: string;
  }[];
const row = async (username: string) => (await getUserByUsername(f.core.db, username))!;
const sign = (s: Session, username: string, password: string) => dispatch(f.core, s, 'auth.signIn', { username, password });

/** A distinct 安全管理员 and 审计管理员, created by the bootstrap administrator (who holds all three). */
async function splitAdmins(): Promise<{ sec: Actor; audit: Actor }> {
  await createUser(f.core, f.admin, { username: 'anquan', displayName: '钱安全', password: PASSWORD, roles: ['sec_admin'] });
  await createUser(f.core, f.admin, { username: 'shenji', displayName: '孙审计', password: PASSWORD, roles: ['audit_admin'] });
  return { sec: toActor(await row('anquan')), audit: toActor(await row('shenji')) };
}

describe(`三员分立 (${onPostgres ? 'PostgreSQL' : 'SQLite'})`, () => {
  it('an administrator cannot grant themselves agency_head (and then approve)', async () => {
    expect(f.admin.roles).toEqual(['audit_admin', 'sec_admin', 'sys_admin']);
    const msg = await refused(() => setUserRoles(f.core, f.admin, { userId: f.admin.id, roles: [...f.admin.roles, 'agency_head'] }), 'SEPARATION_OF_DUTIES');
    expect(msg).toContain('自己的账号');
    expect((await row('admin')).roles).not.toContain('agency_head');
    // The old path (users.update with roles) is closed too, with a message saying where roles are changed.
    const r = await dispatch(f.core, { userId: f.admin.id }, 'users.update', { userId: f.admin.id, roles: ['agency_head'] });
    expect(r).toMatchObject({ ok: false, error: { code: 'VALIDATION', message: expect.stringContaining('安全管理员') } });
    expect((await row('admin')).roles).not.toContain('agency_head');
  });

  it('the first administrator holds all three until a distinct 安全管理员 and 审计管理员 exist; then only 系统管理员, recorded', async () => {
    const before = (await appStatus(f.core)).adminSplit!;
    expect(before).toMatchObject({ enabled: true, complete: false, missing: ['sec_admin', 'audit_admin'] });
    expect(before.combined.map((c) => c.username)).toEqual(['admin']);
    await createUser(f.core, f.admin, { username: 'anquan', displayName: '钱安全', password: PASSWORD, roles: ['sec_admin'] });
    expect((await row('admin')).roles).toEqual(['audit_admin', 'sec_admin', 'sys_admin']);
    await createUser(f.core, f.admin, { username: 'shenji', displayName: '孙审计', password: PASSWORD, roles: ['audit_admin'] });
    expect((await row('admin')).roles).toEqual(['sys_admin']);
    expect(await adminSplitStatus(f.core)).toMatchObject({ enabled: true, complete: true, missing: [], combined: [] });
    const dropped = (await events('user.roles')).at(-1)!;
    expect(dropped.actorName).toBe('系统');
    expect(JSON.parse(dropped.payload)).toMatchObject({ username: 'admin', after: ['sys_admin'], reason: expect.stringContaining('三员分立') });
  });

  it('no account holds two administrator roles; sys_admin creates accounts without roles, sec_admin grants them', async () => {
    await refused(() => createUser(f.core, f.admin, { username: 'two', displayName: '兼任', password: PASSWORD, roles: ['sec_admin', 'audit_admin'] }), 'ADMIN_SPLIT');
    const { sec } = await splitAdmins();
    const sys = toActor(await row('admin'));
    // The 系统管理员 may not create an account with powers they could not grant.
    const msg = await refused(() => createUser(f.core, sys, { username: 'boss2', displayName: '假局长', password: PASSWORD, roles: ['agency_head'] }), 'FORBIDDEN');
    expect(msg).toContain('安全管理员');
    expect(await getUserByUsername(f.core.db, 'boss2')).toBeUndefined();
    const plain = await createUser(f.core, sys, { username: 'newbie', displayName: '新承办', password: PASSWORD });
    expect(plain.roles).toEqual([]);
    await refused(() => setUserRoles(f.core, sys, { userId: plain.id, roles: ['handler'] }), 'FORBIDDEN');
    await refused(() => setUserRoles(f.core, sec, { userId: f.head.id, roles: ['agency_head', 'sys_admin', 'audit_admin'] }), 'ADMIN_SPLIT');
    const granted = await setUserRoles(f.core, sec, { userId: plain.id, roles: ['handler'] });
    expect(granted.roles).toEqual(['handler']);
    const ev = (await events('user.roles')).at(-1)!;
    expect(ev.actorName).toBe('钱安全（anquan）');
    expect(JSON.parse(ev.payload)).toMatchObject({ username: 'newbie', before: [], after: ['handler'], added: ['handler'] });
    // The last holder of an administrator role keeps it.
    await refused(() => setUserRoles(f.core, sec, { userId: sys.id, roles: [] }), 'CONFLICT');
    await refused(() => updateUser(f.core, sys, { userId: sec.id, active: false }), 'CONFLICT');
  });

  it('an office may turn the split off: recorded and shown on the status page', async () => {
    const { sec } = await splitAdmins();
    await updateAuthSettings(f.core, sec, { maxFailures: 5, lockMinutes: 15, idleMinutes: 30, adminSplit: false });
    expect((await appStatus(f.core)).adminSplit).toMatchObject({ enabled: false, complete: true });
    expect(JSON.parse((await events('settings.admin_split')).at(-1)!.payload)).toMatchObject({ enabled: false });
    const two = await setUserRoles(f.core, sec, { userId: (await row('shenji')).id, roles: ['audit_admin', 'sys_admin'] });
    expect(two.roles).toEqual(['audit_admin', 'sys_admin']);
    const sys = toActor(await row('admin'));
    await refused(() => updateAuthSettings(f.core, sys, { maxFailures: 5, lockMinutes: 15, idleMinutes: 30, adminSplit: true }), 'FORBIDDEN');
  });

  it('administrators do not read case contents; the 审计管理员 verifies the record, the 系统管理员 does not', async () => {
    const c = await submitCase(f.core, f.handler, caseInput(f));
    const { sec, audit } = await splitAdmins();
    const sys = toActor(await row('admin'));
    for (const a of [sys, sec, audit]) {
      await refused(() => caseDetail(f.core, a, c.id), 'FORBIDDEN');
      expect((await search(f.core, a, { query: '' })).total).toBe(0);
    }
    expect((await verifyChainAs(f.core, audit)).ok).toBe(true);
    await refused(() => verifyChainAs(f.core, sys), 'FORBIDDEN');
    // The 审计管理员 reads the record itself (identifiers and digests, not case materials); nobody else does.
    const log = await listEvents(f.core, audit, { action: 'user.', limit: 10 });
    expect(log.length).toBeGreaterThan(0);
    expect(log.every((e) => e.action.startsWith('user.'))).toBe(true);
    expect(log[0].seq).toBeGreaterThan(log[log.length - 1].seq);
    expect((await listEvents(f.core, audit, { limit: 200 })).some((e) => e.action === 'case.submit' && e.caseId === c.id)).toBe(true);
    for (const a of [sys, sec, f.legalHead, f.head]) await refused(() => listEvents(f.core, a, {}), 'FORBIDDEN');
  });
});

describe(`password reset (${onPostgres ? 'PostgreSQL' : 'SQLite'})`, () => {
  it('an administrator resets the head’s password: signing in as the head must change it first, and is told who and when', async () => {
    const { user, temporaryPassword } = await resetPassword(f.core, f.admin, { userId: f.head.id });
    expect(user.mustChangePassword).toBe(true);
    const ev = (await events('user.password_reset')).at(-1)!;
    expect(ev.actorName).toBe('管理员甲（admin）');
    expect(JSON.parse(ev.payload)).toMatchObject({ userId: f.head.id, username: 'head' });

    const s: Session = { userId: null };
    const signed = await sign(s, 'head', temporaryPassword);
    expect(signed).toMatchObject({ ok: true, value: { passwordReset: { by: '管理员甲（admin）', at: f.clock.now.toISOString() } } });
    // Every other channel, and lrw (authenticate), refuse until the password is changed.
    const queue = await dispatch(f.core, s, 'cases.queue', {});
    expect(queue).toMatchObject({ ok: false, error: { code: 'PASSWORD_CHANGE_REQUIRED', message: expect.stringMatching(/您的密码已由管理员甲（admin）于2026年11月23日 10:00重置/) } });
    const approve = await dispatch(f.core, s, 'approvals.decide', { caseId: 1, decision: 'approve', opinion: '同意' });
    expect(approve).toMatchObject({ ok: false, error: { code: 'PASSWORD_CHANGE_REQUIRED' } });
    await refused(() => authenticate(f.core, { username: 'head', password: temporaryPassword }), 'PASSWORD_CHANGE_REQUIRED');

    expect(await dispatch(f.core, s, 'auth.changePassword', { currentPassword: temporaryPassword, newPassword: temporaryPassword })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(await dispatch(f.core, s, 'auth.changePassword', { currentPassword: temporaryPassword, newPassword: 'Head#2026new' })).toMatchObject({ ok: true, value: { passwordReset: null } });
    expect(await dispatch(f.core, s, 'cases.queue', {})).toMatchObject({ ok: true });
    expect((await authenticate(f.core, { username: 'head', password: 'Head#2026new' })).id).toBe(f.head.id);
    expect(JSON.parse((await events('user.password_change')).at(-1)!.payload)).toEqual({ afterReset: true });
  });

  it('nobody resets their own password this way, and only the 安全管理员 resets', async () => {
    await refused(() => resetPassword(f.core, f.admin, { userId: f.admin.id }), 'SEPARATION_OF_DUTIES');
    await refused(() => resetPassword(f.core, f.head, { userId: f.handler.id }), 'FORBIDDEN');
    void decide;
  });
});

describe(`sign-in lockout (${onPostgres ? 'PostgreSQL' : 'SQLite'})`, () => {
  it('100 wrong passwords, then the right one: locked, one event for the lock, failures counted in a column', async () => {
    const s: Session = { userId: null };
    const codes = new Set<string>();
    for (let i = 0; i < 100; i++) {
      const r = await sign(s, 'head', `wrong-${i}`);
      codes.add(r.ok ? 'ok' : r.error.code);
    }
    expect([...codes].sort()).toEqual(['ACCOUNT_LOCKED', 'UNAUTHENTICATED']);
    const right = await sign(s, 'head', PASSWORD);
    expect(right).toMatchObject({ ok: false, error: { code: 'ACCOUNT_LOCKED', message: expect.stringContaining('连续5次密码错误已被锁定') } });
    expect(s.userId).toBeNull();
    expect((await row('head')).failed_attempts).toBe(101);
    const locks = await events('user.locked');
    expect(locks).toHaveLength(1);
    expect(JSON.parse(locks[0].payload)).toMatchObject({ username: 'head', failures: 5, lockMinutes: 15 });
    expect(await events('user.signin_failed')).toHaveLength(0);
    // lrw authenticates the same way.
    await refused(() => authenticate(f.core, { username: 'head', password: PASSWORD }), 'ACCOUNT_LOCKED');

    // 15 minutes later the lock has run out; the success records how many failures there were.
    f.clock.now = new Date(f.clock.now.getTime() + 15 * 60_000 + 1000);
    expect(await sign(s, 'head', PASSWORD)).toMatchObject({ ok: true });
    expect(JSON.parse((await events('user.failures_cleared')).at(-1)!.payload)).toMatchObject({ failures: 102 });
    expect((await row('head')).failed_attempts).toBe(0);
  });

  it('four failures then the right password: no lock, no event per failure; the 安全管理员 unlocks a lock early', async () => {
    for (let i = 0; i < 4; i++) await refused(() => authenticate(f.core, { username: 'handler', password: 'nope-nope' }), 'UNAUTHENTICATED');
    expect((await row('handler')).failed_attempts).toBe(4);
    expect((await authenticate(f.core, { username: 'handler', password: PASSWORD })).id).toBe(f.handler.id);
    expect(await events('user.locked')).toHaveLength(0);

    for (let i = 0; i < 5; i++) await refusedAny(() => authenticate(f.core, { username: 'handler', password: 'nope-nope' }));
    await refused(() => authenticate(f.core, { username: 'handler', password: PASSWORD }), 'ACCOUNT_LOCKED');
    expect((await listUsers(f.core, f.admin)).find((u) => u.username === 'handler')!.lockedUntil).not.toBeNull();
    expect((await listUsers(f.core, f.head)).find((u) => u.username === 'handler')!.lockedUntil).toBeNull();
    await refused(() => unlockUser(f.core, f.head, { userId: f.handler.id }), 'FORBIDDEN');
    await unlockUser(f.core, f.admin, { userId: f.handler.id });
    const ev = (await events('user.unlock')).at(-1)!;
    expect(ev.actorName).toBe('管理员甲（admin）');
    expect(JSON.parse(ev.payload)).toMatchObject({ username: 'handler', failures: 6 });
    expect((await authenticate(f.core, { username: 'handler', password: PASSWORD })).id).toBe(f.handler.id);
    await refused(() => unlockUser(f.core, f.admin, { userId: f.handler.id }), 'BAD_STATE');
  });

  it('the lockout numbers are agency settings of the 安全管理员', async () => {
    await updateAuthSettings(f.core, f.admin, { maxFailures: 3, lockMinutes: 60, idleMinutes: 30, adminSplit: true });
    for (let i = 0; i < 3; i++) await refusedAny(() => authenticate(f.core, { username: 'reviewer', password: 'nope-nope' }));
    f.clock.now = new Date(f.clock.now.getTime() + 59 * 60_000);
    const msg = await refused(() => authenticate(f.core, { username: 'reviewer', password: PASSWORD }), 'ACCOUNT_LOCKED');
    expect(msg).toContain('连续3次');
    await refused(() => updateAuthSettings(f.core, f.head, { maxFailures: 3, lockMinutes: 60, idleMinutes: 30, adminSplit: true }), 'FORBIDDEN');
  });

  it('a 50 MB password and an overlong username are refused before hashing, and count as nothing', async () => {
    const huge = 'x'.repeat(50 * 1024 * 1024);
    const t0 = Date.now();
    const r = await sign({ userId: null }, 'head', huge);
    expect(r).toMatchObject({ ok: false, error: { code: 'VALIDATION', message: expect.stringContaining('密码不能超过1024个字符') } });
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(await sign({ userId: null }, 'h'.repeat(65), PASSWORD)).toMatchObject({ ok: false, error: { code: 'VALIDATION', message: expect.stringContaining('用户名不能超过64个字符') } });
    expect((await row('head')).failed_attempts).toBe(0);
    expect(await sign({ userId: null }, 'head', 'y'.repeat(1024))).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
  });

  it('an unknown username gets the same refusal as a wrong password', async () => {
    const unknown = await sign({ userId: null }, 'nobody', 'whatever1');
    const known = await sign({ userId: null }, 'head', 'whatever1');
    expect(unknown).toEqual(known);
  });
});

describe(`idle sessions (${onPostgres ? 'PostgreSQL' : 'SQLite'})`, () => {
  it('a session idle for 31 minutes is signed out by the core; activity keeps it alive', async () => {
    const s: Session = { userId: null };
    expect(await sign(s, 'handler', PASSWORD)).toMatchObject({ ok: true });
    f.clock.now = new Date(f.clock.now.getTime() + 29 * 60_000);
    expect(await dispatch(f.core, s, 'cases.queue', {})).toMatchObject({ ok: true });
    f.clock.now = new Date(f.clock.now.getTime() + 29 * 60_000);
    expect(await dispatch(f.core, s, 'cases.queue', {})).toMatchObject({ ok: true });
    // Background polls do not count as activity.
    f.clock.now = new Date(f.clock.now.getTime() + 20 * 60_000);
    expect(await dispatch(f.core, s, 'auth.me', {})).toMatchObject({ ok: true, value: { user: { username: 'handler' } } });
    f.clock.now = new Date(f.clock.now.getTime() + 11 * 60_000);
    const r = await dispatch(f.core, s, 'cases.queue', {});
    expect(r).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED', message: '登录已超时（30分钟未操作），请重新登录。' } });
    expect(s.userId).toBeNull();
    expect(await dispatch(f.core, s, 'cases.queue', {})).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED', message: '请先登录。' } });
    expect(JSON.parse((await events('user.signout')).at(-1)!.payload)).toEqual({ reason: 'idle', idleMinutes: 30 });
  });
});

async function refusedAny(fn: () => unknown): Promise<void> {
  await expect(Promise.resolve().then(fn)).rejects.toThrow();
}
