// The bridge as the renderer sees it: Results with stable codes and Chinese messages, never a throw.
import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { dispatch, type Session } from '../../main/core/api';
import { openCore, closeCore, type Core } from '../../main/core/services/core';
import { CHANNELS } from '../../preload/contract';
import { tempDir } from '../helpers/fixture';
import { freshTarget } from '../helpers/engine';

let core: Core | undefined;
let dir: string;
let store: Awaited<ReturnType<typeof freshTarget>> | undefined;
afterEach(async () => {
  if (core) await closeCore(core);
  await store?.drop();
  if (store) fs.rmSync(dir, { recursive: true, force: true });
  core = undefined;
  store = undefined;
});
const fresh = async () => {
  dir = tempDir();
  store = await freshTarget(dir, 'db.sqlite');
  core = await openCore({ dbPath: store.target, filesDir: store.filesDir });
  return { userId: null } as Session;
};

describe('api dispatch', () => {
  it('first run: status, setup, then setup again is refused', async () => {
    const s = await fresh();
    expect(await dispatch(core!, s, 'app.status', {})).toMatchObject({ ok: true, value: { setupDone: false } });
    expect(await dispatch(core!, s, 'auth.signIn', { username: 'a', password: 'b' })).toMatchObject({ ok: false, error: { code: 'SETUP_REQUIRED' } });
    const r = await dispatch(core!, s, 'app.setup', { agencyName: '某局', docPrefix: '某罚', admin: { username: 'admin', displayName: '管理员', password: 'longenough' } });
    expect(r).toMatchObject({ ok: true, value: { user: { username: 'admin', roles: ['audit_admin', 'sec_admin', 'sys_admin'] } } });
    expect(s.userId).not.toBeNull();
    expect(await dispatch(core!, s, 'app.setup', { agencyName: '某局', docPrefix: '某罚', admin: { username: 'x2', displayName: '管理员', password: 'longenough' } })).toMatchObject({ ok: false, error: { code: 'SETUP_DONE' } });
  });

  it('unknown channels, bad input and signed-out calls come back as Chinese errors', async () => {
    const s = await fresh();
    await dispatch(core!, s, 'app.setup', { agencyName: '某局', docPrefix: '某罚', admin: { username: 'admin', displayName: '管理员', password: 'longenough' } });
    expect(await dispatch(core!, s, 'fs.readFile', {})).toMatchObject({ ok: false, error: { code: 'VALIDATION', message: expect.stringContaining('未知的操作') } });
    const bad = await dispatch(core!, s, 'users.create', { username: '空 格', displayName: '', password: '1', roles: [] });
    expect(bad).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(!bad.ok && bad.error.message).toMatch(/[\u4e00-\u9fa5]/);
    // The field is named once (it read "机关名称不能为空（机关名称）"); a nested one keeps what is around it.
    const empty = await dispatch(core!, s, 'app.setup', { agencyName: ' ', docPrefix: '某罚', admin: { username: 'admin2', displayName: '管理员', password: 'longenough' } });
    expect(empty).toMatchObject({ ok: false, error: { code: 'VALIDATION', message: '输入有误：机关名称不能为空' } });
    const nested = await dispatch(core!, s, 'app.setup', { agencyName: '某局', docPrefix: '某罚', admin: { username: 'admin2', displayName: '', password: 'longenough' } });
    expect(!nested.ok && nested.error.message).toMatch(/^输入有误：[^（]+（[^）]+）$/);
    expect(!nested.ok && nested.error.details).toMatchObject({ issues: [expect.objectContaining({ path: 'admin.displayName' })] });
    await dispatch(core!, s, 'auth.signOut', {});
    expect(await dispatch(core!, s, 'cases.queue', {})).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED', message: '请先登录。' } });
    expect(await dispatch(core!, s, 'auth.signIn', { username: 'admin', password: 'wrong-password' })).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
    expect(await dispatch(core!, s, 'auth.signIn', { username: 'admin', password: 'longenough' })).toMatchObject({ ok: true });
  });

  it('every channel has a handler', async () => {
    const { handlers } = await import('../../main/core/api');
    for (const c of CHANNELS) expect(typeof handlers[c], c).toBe('function');
  });

  it('an unexpected failure is reported without internals', async () => {
    const s = await fresh();
    await core!.db.close();
    const r = await dispatch(core!, s, 'app.status', {});
    expect(r).toEqual({ ok: false, error: { code: 'INTERNAL', message: expect.stringContaining('系统内部错误') } });
    core = await openCore({ dbPath: store!.target, filesDir: store!.filesDir });
  });

  it('an autosaved draft comes back with its time (drafts.save → drafts.load → drafts.clear)', async () => {
    const s = await fresh();
    await dispatch(core!, s, 'app.setup', { agencyName: '某局', docPrefix: '某罚', admin: { username: 'admin', displayName: '管理员', password: 'longenough' } });
    const saved = await dispatch(core!, s, 'drafts.save', { key: 'submit', json: '{"title":"半成品"}' });
    expect(saved).toMatchObject({ ok: true, value: { savedAt: expect.any(String) } });
    const loaded = await dispatch(core!, s, 'drafts.load', { key: 'submit' });
    expect(loaded).toEqual({ ok: true, value: { json: '{"title":"半成品"}', savedAt: (saved as { value: { savedAt: string } }).value.savedAt } });
    await dispatch(core!, s, 'drafts.clear', { key: 'submit' });
    expect(await dispatch(core!, s, 'drafts.load', { key: 'submit' })).toEqual({ ok: true, value: null });
  });
});
