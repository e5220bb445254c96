// The desktop in server mode against the real agency server (main/server/server.ts over TLS with a
// self-signed certificate on 127.0.0.1, on the fixture's database): the contract is forwarded with a
// bearer token; when the server goes away, autosaves are kept on the desk with the desk's time and
// answered as saved offline; the queue survives a restart of the desktop's queue module; when the
// server is back they are replayed in order, and the server's receipt time is recorded.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../main/server/server';
import { OfflineQueue } from '../../main/electron/offlineQueue';
import { RemoteCaller } from '../../main/electron/remote';
import { TeamClient, type ConnectionStatus, type DeskSession } from '../../main/electron/teamClient';
import { caseInput, makeFixture, PASSWORD, tempDir, type Fixture } from '../helpers/fixture';
import { selfSignedCert, type TestCert } from '../helpers/tlsCerts';

let f: Fixture;
let cert: TestCert;
let dir: string;
let server: RunningServer | null = null;
const serverClock = { now: new Date('2026-11-23T02:00:00Z') };
const deskClock = { now: new Date('2026-11-23T09:59:00+08:00') };
const clients: TeamClient[] = [];
/** The server's access log: one JSON line per request it received. */
let accessLog: string[] = [];

async function serve(port = 0): Promise<RunningServer> {
  server = await startServer({
    db: f.dbPath,
    files: `${f.dbPath}-files`,
    listen: { host: '127.0.0.1', port },
    tls: { cert: cert.certPem, key: cert.keyPem },
    now: () => serverClock.now,
    accessLog: (line) => accessLog.push(line),
    pushPollMs: 200,
  });
  return server;
}

/** A desktop; each has its own queue file (`name`), the same name standing for the same desktop restarted. */
function desk(url: string, statuses: ConnectionStatus[] = [], name = 'offline-queue.json'): TeamClient {
  let client: TeamClient;
  const caller = new RemoteCaller({ url, trust: { fingerprint: cert.fingerprint }, timeoutMs: 3000, onReachability: (r, e) => client.reachabilityChanged(r, e) });
  client = new TeamClient({ caller, queue: OfflineQueue.open(path.join(dir, name), () => deskClock.now), retryMs: 100, onStatus: (s) => statuses.push(s) });
  clients.push(client);
  return client;
}

const newSession = (): DeskSession => ({ token: null, userId: null });

async function signIn(client: TeamClient, s: DeskSession, username = 'handler') {
  const r = await client.handle(s, 'auth.signIn', { username, password: PASSWORD });
  expect(r.ok).toBe(true);
  return r;
}

beforeAll(() => {
  cert = selfSignedCert();
});

// The first fixture of a file builds the template database (one scrypt hash per user): give it time.
beforeEach(async () => {
  f = await makeFixture();
  dir = tempDir('lrw-desk-');
  accessLog = [];
}, 60_000);

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await server?.close();
  server = null;
  await f.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('desktop in server mode', () => {
  it('forwards the contract with a bearer token: sign in, save and load a draft on the server', async () => {
    const srv = await serve();
    const client = desk(srv.url);
    const s = newSession();
    expect(await client.handle(s, 'auth.me', {})).toEqual({ ok: true, value: null });
    await signIn(client, s);
    expect(s.token).toBeTruthy();
    expect(s.userId).toBe(f.handler.id);
    const saved = await client.handle(s, 'drafts.save', { key: 'submit:new', json: '{"t":"在线"}' });
    expect(saved).toEqual({ ok: true, value: { savedAt: serverClock.now.toISOString() } });
    expect(await client.handle(s, 'drafts.load', { key: 'submit:new' })).toMatchObject({ ok: true, value: { json: '{"t":"在线"}' } });
    // A refusal of the core comes back as the core's Result.
    const bad = await client.handle(s, 'cases.get', { caseId: 999999 });
    expect(bad).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await client.handle(s, 'auth.signOut', {})).toEqual({ ok: true, value: null });
    expect(s.token).toBeNull();
    expect(await client.handle(s, 'drafts.load', { key: 'submit:new' })).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
  });

  it('server gone: drafts kept on the desk and answered as saved offline; after a desktop restart and the server back, replayed in order with receipt times', async () => {
    const srv = await serve();
    const port = Number(new URL(srv.url).port);
    const statuses: ConnectionStatus[] = [];
    const client = desk(srv.url, statuses);
    const s = newSession();
    await signIn(client, s);
    expect((await client.handle(s, 'drafts.save', { key: 'k1', json: '"v1"' })).ok).toBe(true);

    await srv.close();
    server = null;
    deskClock.now = new Date('2026-11-23T10:00:00+08:00');
    const off1 = await client.handle(s, 'drafts.save', { key: 'k1', json: '"v2"' });
    expect(off1).toEqual({ ok: true, value: { savedAt: '2026-11-23T02:00:00.000Z', offline: true } });
    expect(statuses.at(-1)).toMatchObject({ reachable: false, unsent: 1 });
    expect(statuses.at(-1)!.message).toContain('无法连接本单位服务器');
    deskClock.now = new Date('2026-11-23T10:00:05+08:00');
    expect((await client.handle(s, 'drafts.save', { key: 'k2', json: '"a"' })).ok).toBe(true);
    deskClock.now = new Date('2026-11-23T10:00:09+08:00');
    expect((await client.handle(s, 'drafts.save', { key: 'k1', json: '"v3"' })).ok).toBe(true);
    // meetings.save cannot be answered with a made-up meeting: the page is told it was kept here.
    const m = await client.handle(s, 'meetings.save', { meetingId: 1, items: [{ caseId: 1, notes: '离线记录' }] });
    expect(m).toMatchObject({ ok: false, error: { code: 'SAVED_OFFLINE' } });
    const local = new Date('2026-11-23T02:00:09Z');
    const hhmmss = [local.getHours(), local.getMinutes(), local.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
    expect(!m.ok && m.error.message).toContain(`已保存在本机（${hhmmss}）`);
    // Reading a draft back while offline gives what was typed last, not an error.
    expect(await client.handle(s, 'drafts.load', { key: 'k1' })).toEqual({ ok: true, value: { json: '"v3"', savedAt: '2026-11-23T02:00:09.000Z', offline: true } });
    // Anything else is refused as unreachable (no made-up answers).
    expect(await client.handle(s, 'cases.queue', {})).toMatchObject({ ok: false, error: { code: 'SERVER_UNREACHABLE' } });

    // The desktop restarts: a new queue module over the same file, a new window session.
    client.close();
    const file = path.join(dir, 'offline-queue.json');
    const reopened = OfflineQueue.open(file);
    expect(reopened.open().map((i) => [i.channel, (i.input as { json?: string }).json ?? 'meeting', i.deskTime, i.state])).toEqual([
      ['drafts.save', '"v2"', '2026-11-23T02:00:00.000Z', 'pending'],
      ['drafts.save', '"a"', '2026-11-23T02:00:05.000Z', 'pending'],
      ['drafts.save', '"v3"', '2026-11-23T02:00:09.000Z', 'pending'],
      ['meetings.save', 'meeting', '2026-11-23T02:00:09.000Z', 'pending'],
    ]);

    serverClock.now = new Date('2026-11-23T02:30:00Z');
    const back = await serve(port);
    const statuses2: ConnectionStatus[] = [];
    const client2 = desk(back.url, statuses2);
    const s2 = newSession();
    // Nothing is sent before the author signs in again (the desk keeps no token on disk).
    expect((await client2.flush()).sent).toEqual([]);
    await signIn(client2, s2);
    const out = await client2.flush();
    expect(out.unreachable).toBe(false);
    const after = OfflineQueue.open(file).items();
    const drafts = after.filter((i) => i.channel === 'drafts.save' && i.state === 'sent');
    expect(drafts.map((i) => (i.input as { json: string }).json)).toEqual(['"v2"', '"a"', '"v3"']);
    for (const d of drafts) expect(d.receivedAt).toBe('2026-11-23T02:30:00.000Z');
    expect(drafts.map((d) => d.deskTime)).toEqual(['2026-11-23T02:00:00.000Z', '2026-11-23T02:00:05.000Z', '2026-11-23T02:00:09.000Z']);
    // The meeting record the server refused (there is no such meeting) is kept, with the refusal, not dropped.
    const meeting = after.find((i) => i.channel === 'meetings.save')!;
    expect(meeting.state).toBe('rejected');
    expect(meeting.error?.message).toBeTruthy();
    expect(statuses2.at(-1)).toMatchObject({ reachable: true, unsent: 0, rejected: 1 });
    // On the server: the last of each draft, in the order typed.
    expect(await client2.handle(s2, 'drafts.load', { key: 'k1' })).toMatchObject({ ok: true, value: { json: '"v3"' } });
    expect(await client2.handle(s2, 'drafts.load', { key: 'k2' })).toMatchObject({ ok: true, value: { json: '"a"' } });
  });

  it('the watcher notices the server is back by itself and replays without a new request', async () => {
    const srv = await serve();
    const port = Number(new URL(srv.url).port);
    const statuses: ConnectionStatus[] = [];
    const client = desk(srv.url, statuses);
    const s = newSession();
    await signIn(client, s);
    await srv.close();
    server = null;
    expect(await client.handle(s, 'drafts.save', { key: 'k9', json: '"kept"' })).toMatchObject({ ok: true, value: { offline: true } });
    // While offline, a further save does not wait for a connection attempt: it goes straight to the queue.
    const t0 = Date.now();
    expect(await client.handle(s, 'drafts.save', { key: 'k9', json: '"kept 2"' })).toMatchObject({ ok: true, value: { offline: true } });
    expect(Date.now() - t0).toBeLessThan(500);
    await serve(port);
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline && !(statuses.at(-1)?.reachable === true && statuses.at(-1)?.unsent === 0)) await new Promise((r) => setTimeout(r, 50));
    expect(statuses.at(-1)).toMatchObject({ reachable: true, unsent: 0 });
    expect(await client.handle(s, 'drafts.load', { key: 'k9' })).toMatchObject({ ok: true, value: { json: '"kept 2"' } });
    expect(await client.handle(s, 'drafts.load', { key: 'k9' })).not.toMatchObject({ value: { offline: true } });
  });

  it("relays the server's pushes to a signed-in window: a case submitted at one desk reaches the reviewer's window", async () => {
    const srv = await serve();
    const handlerDesk = desk(srv.url, [], 'handler-desk.json');
    const reviewerDesk = desk(srv.url, [], 'reviewer-desk.json');
    const h = newSession();
    const pushed: { kind?: string; caseId?: number }[] = [];
    const r: DeskSession = { ...newSession(), push: (e) => pushed.push(e as { kind?: string }) };
    await signIn(handlerDesk, h);
    await signIn(reviewerDesk, r, 'reviewer');
    const submitted = await handlerDesk.handle(h, 'cases.submit', caseInput(f));
    expect(submitted.ok).toBe(true);
    const caseId = (submitted as { value: { id: number } }).value.id;
    const deadline = Date.now() + 5000;
    while (Date.now() < deadline && !pushed.some((e) => e.caseId === caseId)) await new Promise((res) => setTimeout(res, 50));
    expect(pushed.find((e) => e.caseId === caseId)).toMatchObject({ kind: expect.stringContaining('case'), caseId });
    // Signed out: the window's stream is closed, nothing more arrives.
    await reviewerDesk.handle(r, 'auth.signOut', {});
    const n = pushed.length;
    await handlerDesk.handle(h, 'cases.submit', { ...caseInput(f), caseNo: '某市监罚立〔2026〕102号' });
    await new Promise((res) => setTimeout(res, 800));
    expect(pushed.length).toBe(n);
  });

  it("a review draft changed elsewhere while this desk was offline: kept as a conflict, never sent over the other desk's draft", async () => {
    const srv = await serve();
    const port = Number(new URL(srv.url).port);
    const handlerDesk = desk(srv.url, [], 'handler-desk.json');
    const h = newSession();
    await signIn(handlerDesk, h);
    const submitted = await handlerDesk.handle(h, 'cases.submit', caseInput(f));
    const caseId = (submitted as { value: { id: number } }).value.id;
    // Desk A: the reviewer's own desktop; it retries rarely, so the test decides when it replays.
    let a: TeamClient;
    const callerA = new RemoteCaller({ url: srv.url, trust: { fingerprint: cert.fingerprint }, timeoutMs: 3000, onReachability: (r, e) => a.reachabilityChanged(r, e) });
    const statusesA: ConnectionStatus[] = [];
    a = new TeamClient({ caller: callerA, queue: OfflineQueue.open(path.join(dir, 'desk-a.json'), () => deskClock.now), retryMs: 60_000, onStatus: (st) => statusesA.push(st) });
    clients.push(a);
    const ra = newSession();
    await signIn(a, ra, 'reviewer');
    expect((await a.handle(ra, 'reviews.take', { caseId })).ok).toBe(true);
    const first = await a.handle(ra, 'reviews.saveDraft', { caseId, opinion: '甲：第一稿', expectedVersion: 0 });
    expect(first).toMatchObject({ ok: true, value: { version: 1 } });

    await srv.close();
    server = null;
    // Offline: two more saves, both based on version 1 (what the page holds); answered locally.
    expect(await a.handle(ra, 'reviews.saveDraft', { caseId, opinion: '甲：离线第二稿', expectedVersion: 1 })).toMatchObject({ ok: true, value: { offline: true, version: 1 } });
    expect(await a.handle(ra, 'reviews.saveDraft', { caseId, opinion: '甲：离线第三稿', expectedVersion: 1 })).toMatchObject({ ok: true, value: { offline: true, version: 1 } });

    // Meanwhile the server is back and the same draft is saved from another desk (B).
    await serve(port);
    const b = desk(srv.url, [], 'desk-b.json');
    const rb = newSession();
    await signIn(b, rb, 'reviewer');
    expect(await b.handle(rb, 'reviews.saveDraft', { caseId, opinion: '乙：另一台电脑', expectedVersion: 1 })).toMatchObject({ ok: true, value: { version: 2 } });

    const out = await a.flush();
    expect(out.conflicts.length).toBe(1);
    expect(out.conflicts[0]!.error?.code).toBe('STALE');
    expect(out.conflicts[0]!.error?.message).toContain('王审核');
    const kept = a.openItems(f.reviewer.id);
    expect(kept.map((i) => [(i.input as { opinion: string }).opinion, i.state])).toEqual([
      ['甲：离线第二稿', 'conflict'],
      ['甲：离线第三稿', 'held'],
    ]);
    expect(statusesA.at(-1)).toMatchObject({ conflicts: 1, unsent: 1 });
    // The other desk's draft stands.
    expect(await b.handle(rb, 'reviews.getDraft', { caseId })).toMatchObject({ ok: true, value: { opinion: '乙：另一台电脑', version: 2 } });
    // The author resolves it: reloads, takes what they need from the kept text, drops the kept changes.
    expect(a.discard(f.reviewer.id, `review:${caseId}`)).toBe(2);
    expect(a.openItems(f.reviewer.id)).toEqual([]);
  });

  it("this desk's own offline saves of a review draft replay one after another, and the page's next save follows them", async () => {
    const srv = await serve();
    const port = Number(new URL(srv.url).port);
    const handlerDesk = desk(srv.url, [], 'handler-desk.json');
    const h = newSession();
    await signIn(handlerDesk, h);
    const caseId = ((await handlerDesk.handle(h, 'cases.submit', caseInput(f))) as { value: { id: number } }).value.id;
    const a = desk(srv.url);
    const ra = newSession();
    await signIn(a, ra, 'reviewer');
    await a.handle(ra, 'reviews.take', { caseId });
    expect(await a.handle(ra, 'reviews.saveDraft', { caseId, opinion: '一', expectedVersion: 0 })).toMatchObject({ ok: true, value: { version: 1 } });
    await srv.close();
    server = null;
    await a.handle(ra, 'reviews.saveDraft', { caseId, opinion: '二', expectedVersion: 1 });
    await a.handle(ra, 'reviews.saveDraft', { caseId, opinion: '三', expectedVersion: 1 });
    await serve(port);
    // Replayed by the watcher or by this flush, whichever comes first (a flush waits for a running one).
    await a.flush();
    const items = OfflineQueue.open(path.join(dir, 'offline-queue.json')).items();
    expect(items.map((i) => [(i.input as { opinion: string }).opinion, (i.input as { expectedVersion: number }).expectedVersion, i.state])).toEqual([
      ['二', 1, 'sent'],
      ['三', 2, 'sent'],
    ]);
    // The page still holds version 1; its next save is based on what the replays made (3).
    expect(await a.handle(ra, 'reviews.saveDraft', { caseId, opinion: '四', expectedVersion: 1 })).toMatchObject({ ok: true, value: { version: 4 } });
    expect(await a.handle(ra, 'reviews.getDraft', { caseId })).toMatchObject({ ok: true, value: { opinion: '四', version: 4 } });
  });

  it('a wrong pinned fingerprint: sign-in refused before anything reaches the server; the banner says why', async () => {
    const srv = await serve();
    const other = selfSignedCert();
    const statuses: ConnectionStatus[] = [];
    let client: TeamClient;
    const caller = new RemoteCaller({ url: srv.url, trust: { fingerprint: other.fingerprint }, onReachability: (r, e) => client.reachabilityChanged(r, e) });
    client = new TeamClient({ caller, queue: OfflineQueue.open(path.join(dir, 'q2.json')), onStatus: (st) => statuses.push(st) });
    clients.push(client);
    const r = await client.handle(newSession(), 'auth.signIn', { username: 'handler', password: PASSWORD });
    expect(r).toMatchObject({ ok: false, error: { code: 'CERT_MISMATCH' } });
    expect(!r.ok && r.error.message).toContain('已拒绝连接');
    expect(statuses.at(-1)).toMatchObject({ reachable: false });
    expect(statuses.at(-1)!.message).toContain('证书指纹不一致');
    expect(accessLog).toEqual([]);
  });
});
