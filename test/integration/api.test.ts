// The bridge as the renderer sees it: Results with stable codes and Chinese messages, never a throw.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { dispatch, type Session } from '../../main/core/api';
import { openCore, closeCore, type Core } from '../../main/core/services/core';
import { CHANNELS } from '../../preload/contract';
import { tempDir } from '../helpers/fixture';

let core: Core;
let dir: string;
afterEach(async () => {
  await closeCore(core);
  fs.rmSync(dir, { recursive: true, force: true });
});
const fresh = async () => {
  dir = tempDir();
  core = await openCore({ dbPath: path.join(dir, 'db.sqlite') });
  return { userId: null } as Session;
};

describe('api dispatch', () => {
  it('first run: status, setup, then setup again is refused', async () => {
    const s = await fresh();
    expect(await dispatch(core, s, 'app.status', {})).toMatchObject({ ok: true, value: { setupDone: false } });
    expect(await dispatch(core, s, 'auth.signIn', { username: 'a', password: 'b' })).toMatchObject({ ok: false, error: { code: 'SETUP_REQUIRED' } });
    const r = await dispatch(core, s, 'app.setup', { agencyName: '某局', docPrefix: '某罚', admin: { username: 'admin', displayName: '管理员', password: 'longenough' } });
    expect(r).toMatchObject({ ok: true, value: { user: { username: 'admin', roles: ['admin'] } } });
    expect(s.userId).not.toBeNull();
    expect(await dispatch(core, s, 'app.setup', { agencyName: '某局', docPrefix: '某罚', admin: { username: 'x2', displayName: '管理员', password: 'longenough' } })).toMatchObject({ ok: false, error: { code: 'SETUP_DONE' } });
  });

  it('unknown channels, bad input and signed-out calls come back as Chinese errors', async () => {
    const s = await fresh();
    await dispatch(core, s, 'app.setup', { agencyName: '某局', docPrefix: '某罚', admin: { username: 'admin', displayName: '管理员', password: 'longenough' } });
    expect(await dispatch(core, s, 'fs.readFile', {})).toMatchObject({ ok: false, error: { code: 'VALIDATION', message: expect.stringContaining('未知的操作') } });
    const bad = await dispatch(core, s, 'users.create', { username: '空 格', displayName: '', password: '1', roles: [] });
    expect(bad).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(!bad.ok && bad.error.message).toMatch(/[\u4e00-\u9fa5]/);
    await dispatch(core, s, 'auth.signOut', {});
    expect(await dispatch(core, s, 'cases.queue', {})).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED', message: '请先登录。' } });
    expect(await dispatch(core, s, 'auth.signIn', { username: 'admin', password: 'wrong-password' })).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
    expect(await dispatch(core, s, 'auth.signIn', { username: 'admin', password: 'longenough' })).toMatchObject({ ok: true });
  });

  it('every channel has a handler', async () => {
    const { handlers } = await import('../../main/core/api');
    for (const c of CHANNELS) expect(typeof handlers[c], c).toBe('function');
  });

  it('an unexpected failure is reported without internals', async () => {
    const s = await fresh();
    core.db.close();
    const r = await dispatch(core, s, 'app.status', {});
    expect(r).toEqual({ ok: false, error: { code: 'INTERNAL', message: expect.stringContaining('系统内部错误') } });
    core = await openCore({ dbPath: path.join(dir, 'db.sqlite') });
  });
});
