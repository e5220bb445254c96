// The desktop's first start and mode (main/electron/deskHost.ts, what main.ts and ipc.ts run): no
// team.json → nothing is open and the renderer asks; 单机使用 opens the local core; 连接本单位服务器
// probes the real agency server (TLS, self-signed), pins the confirmed fingerprint, and from then on
// every contract channel goes to the server; a restart reads the choice back; the choice is made once.
import fs from 'node:fs';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { dispatch } from '../../main/core/api';
import type { Core } from '../../main/core/services/core';
import { DeskController, hasExplicitDb, type Backend, type WindowSession } from '../../main/electron/deskHost';
import { teamConfigPath } from '../../main/electron/teamConfig';
import type { DeskStatus } from '../../preload/desk';
import { startServer, type RunningServer } from '../../main/server/server';
import { makeFixture, PASSWORD, tempDir, type Fixture } from '../helpers/fixture';
import { selfSignedCert, type TestCert } from '../helpers/tlsCerts';

let f: Fixture;
let cert: TestCert;
let dir: string;
let server: RunningServer | null = null;
const controllers: DeskController[] = [];

beforeAll(() => {
  cert = selfSignedCert();
});
beforeEach(async () => {
  f = await makeFixture();
  dir = tempDir('lrw-deskhost-');
}, 60_000);
afterEach(async () => {
  for (const c of controllers.splice(0)) c.close();
  await server?.close();
  server = null;
  await f.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function controller(explicitLocalDb = false) {
  const log: { backends: (Backend | null)[]; statuses: DeskStatus[]; opened: number } = { backends: [], statuses: [], opened: 0 };
  const c = new DeskController({
    userDataDir: dir,
    explicitLocalDb,
    openLocal: async (): Promise<Core> => {
      log.opened++;
      return f.core;
    },
    setBackend: (b) => log.backends.push(b),
    onStatus: (s) => log.statuses.push(s),
    retryMs: 100,
  });
  controllers.push(c);
  return { c, log };
}
const win = (): WindowSession => ({ userId: null, token: null });

describe('first start', () => {
  it('with no choice yet nothing is open; a bad choice is refused and stores nothing', async () => {
    const { c, log } = controller();
    expect(await c.start()).toBeNull();
    expect(log.opened).toBe(0);
    expect(await c.handle('desk.config', {}, win())).toEqual({ ok: true, value: null });
    expect(await c.handle('desk.status', {}, win())).toEqual({ ok: true, value: { mode: 'unset' } });
    const bad = await c.handle('desk.choose', { mode: 'server', url: 'http://lrw.agency.local', fingerprint: 'ab'.repeat(32) }, win());
    expect(bad).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(!bad.ok && bad.error.message).toContain('https://');
    expect(fs.existsSync(teamConfigPath(dir))).toBe(false);
  });

  it('单机使用 opens the local core, is kept, and cannot be changed from the window', async () => {
    const { c, log } = controller();
    await c.start();
    expect(await c.handle('desk.choose', { mode: 'local' }, win())).toMatchObject({ ok: true, value: { mode: 'local' } });
    expect(log.opened).toBe(1);
    expect(log.backends.at(-1)).toMatchObject({ kind: 'local' });
    expect(await c.handle('desk.choose', { mode: 'local' }, win())).toMatchObject({ ok: false, error: { code: 'BAD_STATE' } });
    // A restart reads it back and opens the local core at once.
    const again = controller();
    expect(await again.c.start()).toMatchObject({ kind: 'local' });
    expect(await again.c.handle('desk.config', {}, win())).toMatchObject({ ok: true, value: { mode: 'local' } });
  });

  it('a database named with --db or LRW_DB means 单机使用 without asking (npm start, the Electron E2E launch)', async () => {
    expect(hasExplicitDb(['electron', 'dist/main/electron.js'], { LRW_DB: '/tmp/x.sqlite' })).toBe(true);
    expect(hasExplicitDb(['electron', '.', '--db', '/tmp/x.sqlite'], {})).toBe(true);
    expect(hasExplicitDb(['electron', '.', '--db=/tmp/x.sqlite'], {})).toBe(true);
    expect(hasExplicitDb(['electron', '.', '--', '--db', 'x'], {})).toBe(false);
    expect(hasExplicitDb(['electron', '.'], {})).toBe(false);
    const { c, log } = controller(true);
    expect(await c.start()).toMatchObject({ kind: 'local' });
    expect(log.opened).toBe(1);
    expect(fs.existsSync(teamConfigPath(dir))).toBe(false);
    expect(await c.handle('desk.config', {}, win())).toMatchObject({ ok: true, value: { mode: 'local' } });
  });

  it('连接本单位服务器: the probe shows the fingerprint, the confirmed one is pinned, and the contract goes to the server', async () => {
    server = await startServer({ db: f.dbPath, files: `${f.dbPath}-files`, tls: { cert: cert.certPem, key: cert.keyPem }, accessLog: () => undefined });
    const { c, log } = controller();
    await c.start();
    const probed = await c.handle('desk.probe', { url: server.url }, win());
    expect(probed).toMatchObject({ ok: true, value: { fingerprint: cert.fingerprint } });
    const chosen = await c.handle('desk.choose', { mode: 'server', url: server.url, fingerprint: (probed as { value: { fingerprintDisplay: string } }).value.fingerprintDisplay }, win());
    expect(chosen).toMatchObject({ ok: true, value: { mode: 'server', url: server.url, fingerprint: cert.fingerprint, trust: 'fingerprint' } });
    expect(log.opened).toBe(0);
    const b = log.backends.at(-1);
    expect(b?.kind).toBe('server');
    if (b?.kind !== 'server') return;
    const w = win();
    expect(await b.client.handle(w, 'auth.signIn', { username: 'reviewer', password: PASSWORD })).toMatchObject({ ok: true, value: { user: { username: 'reviewer' } } });
    // What the desk wrote is on the server: the server's own core answers it.
    expect((await b.client.handle(w, 'drafts.save', { key: 'review:notes', json: '"服务器上"' })).ok).toBe(true);
    const direct = await dispatch(server.core, { userId: f.reviewer.id }, 'drafts.load', { key: 'review:notes' });
    expect(direct).toMatchObject({ ok: true, value: { json: '"服务器上"' } });
    expect(await c.handle('desk.status', {}, w)).toMatchObject({ ok: true, value: { mode: 'server', reachable: true, unsent: 0 } });
    expect(await c.handle('desk.queue', {}, w)).toEqual({ ok: true, value: [] });

    // Restart: the pinned server is used again, without asking.
    const again = controller();
    expect(await again.c.start()).toMatchObject({ kind: 'server' });
    expect(await again.c.handle('desk.config', {}, win())).toMatchObject({ ok: true, value: { mode: 'server', fingerprint: cert.fingerprint } });
  });

  it('the server then presents another certificate: refused, and the banner is told why', async () => {
    const other = selfSignedCert();
    server = await startServer({ db: f.dbPath, files: `${f.dbPath}-files`, tls: { cert: other.certPem, key: other.keyPem }, accessLog: () => undefined });
    const { c, log } = controller();
    await c.start();
    expect((await c.handle('desk.choose', { mode: 'server', url: server.url, fingerprint: cert.fingerprint }, win())).ok).toBe(true);
    const deadline = Date.now() + 5000;
    while (Date.now() < deadline && !log.statuses.some((s) => s.mode === 'server' && s.reachable === false)) await new Promise((r) => setTimeout(r, 50));
    const st = log.statuses.at(-1)!;
    expect(st).toMatchObject({ mode: 'server', reachable: false });
    expect(st.mode === 'server' && st.message).toContain('证书指纹不一致');
    const b = log.backends.at(-1);
    if (b?.kind !== 'server') throw new Error('not server');
    expect(await b.client.handle(win(), 'auth.signIn', { username: 'reviewer', password: PASSWORD })).toMatchObject({ ok: false, error: { code: 'CERT_MISMATCH' } });
  });
});
