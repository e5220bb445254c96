// The agency server on a real store (SQLite here, PostgreSQL with LRW_TEST_ENGINE=postgres): bearer
// sessions for desktops and lrw, cookie sessions with CSRF protection for browsers, sessions in the
// store shared by two server processes, live updates across them, limits, headers and the access log.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseInput, makeFixture, PASSWORD, type Fixture } from '../helpers/fixture';
import { asRole, freshTarget, onPostgres } from '../helpers/engine';
import { startServer, type RunningServer } from '../../main/server/server';
import { MemorySecretStore } from '../../main/core/secrets';
import { sweepIdleSessions } from '../../main/core/services/sessions';

let f: Fixture;
let a: RunningServer;
let b: RunningServer;
const logA: string[] = [];
const staticDir = (): string => {
  const dir = path.join(f.dir, 'ui');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html><html><head><title>t</title></head><body></body></html>');
  fs.writeFileSync(path.join(dir, 'app.js'), 'console.log(1)');
  return dir;
};

beforeAll(async () => {
  f = await makeFixture();
  const filesDir = `${f.dbPath.startsWith('postgres') ? path.join(f.dir, 'lrw.sqlite') : f.dbPath}-files`;
  const common = { db: f.dbPath, files: filesDir, secrets: new MemorySecretStore(), staticDir: staticDir(), pushPollMs: 100 };
  a = await startServer({ ...common, accessLog: (l) => logA.push(l), rateLimit: { perUser: 100_000, perAddress: 100_000 } });
  // On PostgreSQL the second process runs as the application's role, as an agency deploys it (grants, row security, LISTEN).
  b = await startServer({ ...common, ...(onPostgres && { db: asRole(f.dbPath) }), accessLog: () => undefined, rateLimit: { perUser: 100_000, perAddress: 100_000 } });
}, 60_000);

afterAll(async () => {
  await a?.close();
  await b?.close();
  await f?.close();
});

interface Reply {
  status: number;
  body: { ok: boolean; value?: any; error?: { code: string; message: string } };
  headers: Headers;
}

async function post(base: string, channel: string, input: unknown, headers: Record<string, string> = {}): Promise<Reply> {
  const res = await fetch(`${base}/api/${channel}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(input) });
  return { status: res.status, body: await res.json(), headers: res.headers };
}

async function signInBearer(base: string, username: string): Promise<string> {
  const r = await post(base, 'auth.signIn', { username, password: PASSWORD }, { 'x-lrw-client': 'token' });
  expect(r.body.ok).toBe(true);
  const token = r.headers.get('x-lrw-session');
  expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
  return token!;
}

const bearer = (t: string) => ({ 'x-lrw-client': 'token', authorization: `Bearer ${t}` });

describe('bearer sessions (desktops, lrw)', () => {
  it('signs in, acts, and the session lives in the store: the other server process accepts it', async () => {
    const t = await signInBearer(a.url, 'handler');
    const me = await post(b.url, 'auth.me', {}, bearer(t));
    expect(me.body.value.user.username).toBe('handler');
    const submitted = await post(b.url, 'cases.submit', caseInput(f, { caseNo: '某市监罚立〔2026〕901号' }), bearer(t));
    expect(submitted.body.ok).toBe(true);
    const rt = await signInBearer(b.url, 'reviewer');
    const q = await post(a.url, 'cases.queue', {}, bearer(rt));
    expect(JSON.stringify(q.body.value)).toContain('某市监罚立〔2026〕901号');
    // Only a digest of the token is stored.
    const rows = await f.core.db.all<{ token_hash: string }>('SELECT token_hash FROM sessions');
    expect(rows.length).toBeGreaterThanOrEqual(2);
    expect(rows.map((r) => r.token_hash)).not.toContain(t);
  });

  it('refuses a wrong password, an unknown token and a signed-out token, with the core\'s Chinese messages', async () => {
    const wrong = await post(a.url, 'auth.signIn', { username: 'handler', password: 'nope-nope' }, { 'x-lrw-client': 'token' });
    expect(wrong.body).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
    expect(wrong.headers.get('x-lrw-session')).toBeNull();
    const unknown = await post(a.url, 'cases.queue', {}, bearer('A'.repeat(43)));
    expect(unknown.body).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED', message: '请先登录。' } });
    const t = await signInBearer(a.url, 'handler');
    expect((await post(b.url, 'auth.signOut', {}, bearer(t))).body.ok).toBe(true);
    expect((await post(a.url, 'cases.queue', {}, bearer(t))).body).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
  });

  it('ends a session after the idle time, in every process', async () => {
    const t = await signInBearer(a.url, 'handler');
    // An hour of idleness: the session's last activity moved back in the store.
    await f.core.db.run('UPDATE sessions SET last_activity_ms = last_activity_ms - 3600000');
    const r = await post(b.url, 'cases.queue', {}, bearer(t));
    expect(r.body).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
    expect(r.body.error!.message).toContain('登录已超时');
    expect((await post(a.url, 'auth.me', {}, bearer(t))).body.value).toBeNull();
  });

  it('records activity: a session in use does not time out (written once it moved on by 10 s)', async () => {
    const t = await signInBearer(a.url, 'handler');
    const last = async () => Number(await f.core.db.value('SELECT MAX(last_activity_ms) FROM sessions'));
    const signedInAt = await last();
    // A request right after signing in writes nothing (within the granularity).
    expect((await post(a.url, 'cases.queue', {}, bearer(t))).body.ok).toBe(true);
    expect(await last()).toBe(signedInAt);
    // 20 minutes of a 30-minute idle time, then a request: its activity is written...
    await f.core.db.run('UPDATE sessions SET last_activity_ms = last_activity_ms - 1200000');
    expect((await post(a.url, 'cases.queue', {}, bearer(t))).body.ok).toBe(true);
    expect(await last()).toBeGreaterThanOrEqual(signedInAt);
    // ...so another 20 minutes later the session is still open, in the other process too.
    await f.core.db.run('UPDATE sessions SET last_activity_ms = last_activity_ms - 1200000');
    expect((await post(b.url, 'cases.queue', {}, bearer(t))).body.ok).toBe(true);
  });

  it('sweeps sessions idle past the timeout, and only those', async () => {
    const live = await signInBearer(a.url, 'reviewer');
    const dead = await signInBearer(a.url, 'head');
    const hashes = await f.core.db.column<string>('SELECT token_hash FROM sessions ORDER BY created_at DESC LIMIT 1');
    await f.core.db.run('UPDATE sessions SET last_activity_ms = ? WHERE token_hash = ?', [Date.now() - 3 * 3600_000, hashes[0]]);
    const swept = await a.core.db.actingAs(null, async () => await sweepIdleSessions(a.core));
    expect(swept).toBeGreaterThanOrEqual(1);
    expect(await f.core.db.value<number>('SELECT COUNT(*) FROM sessions WHERE token_hash = ?', [hashes[0]])).toBe(0);
    expect((await post(b.url, 'auth.me', {}, bearer(live))).body.value.user.username).toBe('reviewer');
    expect((await post(b.url, 'auth.me', {}, bearer(dead))).body.value).toBeNull();
  });
});

describe('signing stays personal', () => {
  it('the server neither creates, imports nor signs with anybody\'s private key', async () => {
    const t = await signInBearer(a.url, 'handler');
    const before = await f.core.db.value<number>('SELECT COUNT(*) FROM signing_identities');
    const trial = await post(a.url, 'signing.createTrial', {}, bearer(t));
    expect(trial.body).toMatchObject({ ok: false, error: { code: 'SIGNING_ON_DESKTOP' } });
    expect(trial.body.error!.message).toContain('服务器不保存也不使用任何人的私钥');
    const imported = await post(a.url, 'signing.import', { base64: Buffer.from('x').toString('base64'), passphrase: 'whatever1' }, bearer(t));
    expect(imported.body).toMatchObject({ ok: false, error: { code: 'SIGNING_ON_DESKTOP' } });
    const issued = await post(a.url, 'documents.issue', { caseId: 1, templateId: 'penalty-decision' }, bearer(t));
    expect(issued.body).toMatchObject({ ok: false, error: { code: 'SIGNING_ON_DESKTOP' } });
    expect(await f.core.db.value<number>('SELECT COUNT(*) FROM signing_identities')).toBe(before);
  });
});

describe('the first setup', () => {
  const setupInput = { agencyName: '某市市场监督管理局', docPrefix: '某市监罚', admin: { username: 'first', displayName: '首位', password: PASSWORD } };

  it('an intranet server is initialised with lrw init only: a browser\'s setup is refused and nothing is created', async () => {
    const store = await freshTarget(f.dir, 'fresh-a.sqlite');
    const s = await startServer({ db: store.target, files: store.filesDir, secrets: new MemorySecretStore(), staticDir: path.join(f.dir, 'ui'), accessLog: () => undefined, allowWebSetup: false });
    try {
      const r = await post(s.url, 'app.setup', setupInput, { 'x-lrw-client': 'token' });
      expect(r.body).toMatchObject({ ok: false, error: { code: 'SETUP_REQUIRED' } });
      expect(r.body.error!.message).toContain('lrw init');
      expect(await s.core.db.value<number>('SELECT COUNT(*) FROM users')).toBe(0);
    } finally {
      await s.close();
      await store.drop();
    }
  });

  it('a trial server on loopback may be set up from its browser', async () => {
    const store = await freshTarget(f.dir, 'fresh-b.sqlite');
    const s = await startServer({ db: store.target, files: store.filesDir, secrets: new MemorySecretStore(), staticDir: path.join(f.dir, 'ui'), accessLog: () => undefined });
    try {
      const r = await post(s.url, 'app.setup', setupInput, { 'x-lrw-client': 'token' });
      expect(r.body.ok).toBe(true);
      expect(r.headers.get('x-lrw-session')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    } finally {
      await s.close();
      await store.drop();
    }
  });
});

describe('cookie sessions (browsers)', () => {
  async function browser(base: string) {
    const res = await fetch(`${base}/`);
    const html = await res.text();
    const csrf = /lrw_csrf=([^;]+)/.exec(res.headers.get('set-cookie') ?? '')![1];
    return { html, headers: res.headers, jar: { csrf, session: '' } };
  }
  const cookieHeader = (jar: { csrf: string; session: string }) => `lrw_csrf=${jar.csrf}${jar.session ? `; lrw_session=${jar.session}` : ''}`;

  it('serves the UI with the browser api, strict headers, and refuses a POST that does not echo the anti-forgery value', async () => {
    const { html, headers, jar } = await browser(a.url);
    expect(html).toContain('<script src="./web-api.js"></script>');
    expect(headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(headers.get('x-frame-options')).toBe('DENY');
    const shim = await (await fetch(`${a.url}/web-api.js`)).text();
    expect(shim).toContain('cases.submit');
    const forged = await post(a.url, 'auth.signIn', { username: 'handler', password: PASSWORD }, { cookie: cookieHeader(jar) });
    expect(forged.status).toBe(403);
    expect(forged.body).toMatchObject({ ok: false, error: { code: 'CSRF' } });
    const otherSite = await post(a.url, 'auth.signIn', { username: 'handler', password: PASSWORD }, { cookie: cookieHeader(jar), 'x-lrw-csrf': jar.csrf, origin: 'http://evil.example' });
    expect(otherSite.status).toBe(403);
  });

  it('signs in with HttpOnly SameSite=Strict cookies, binds the anti-forgery value to the session, and signs out', async () => {
    const { jar } = await browser(a.url);
    const r = await post(a.url, 'auth.signIn', { username: 'head', password: PASSWORD }, { cookie: cookieHeader(jar), 'x-lrw-csrf': jar.csrf });
    expect(r.body.ok).toBe(true);
    const cookies = r.headers.getSetCookie();
    const session = cookies.find((c) => c.startsWith('lrw_session='))!;
    expect(session).toMatch(/HttpOnly/i);
    expect(session).toMatch(/SameSite=Strict/i);
    expect(r.headers.get('x-lrw-session')).toBeNull();
    jar.session = /lrw_session=([^;]+)/.exec(session)![1];
    const newCsrf = /lrw_csrf=([^;]+)/.exec(cookies.find((c) => c.startsWith('lrw_csrf='))!)![1];
    // The pre-sign-in value no longer passes: the session has its own.
    const stale = await post(b.url, 'cases.queue', {}, { cookie: cookieHeader(jar), 'x-lrw-csrf': jar.csrf });
    expect(stale.status).toBe(403);
    jar.csrf = newCsrf;
    const q = await post(b.url, 'cases.queue', {}, { cookie: cookieHeader(jar), 'x-lrw-csrf': jar.csrf });
    expect(q.body.ok).toBe(true);
    // A browser's cookie is not a bearer token.
    expect((await post(a.url, 'cases.queue', {}, bearer(jar.session))).body).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
    expect((await post(a.url, 'auth.signOut', {}, { cookie: cookieHeader(jar), 'x-lrw-csrf': jar.csrf })).body.ok).toBe(true);
    expect((await post(a.url, 'cases.queue', {}, { cookie: cookieHeader(jar), 'x-lrw-csrf': jar.csrf })).body).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
  });
});

describe('live updates', () => {
  it('pushes a case submitted through one process to a reviewer listening on the other within 2 seconds', async () => {
    const rt = await signInBearer(b.url, 'reviewer');
    const ht = await signInBearer(a.url, 'handler');
    const ac = new AbortController();
    const res = await fetch(`${b.url}/api/events`, { headers: bearer(rt), signal: ac.signal });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const reader = res.body!.getReader();
    const started = Date.now();
    const submitted = await post(a.url, 'cases.submit', caseInput(f, { caseNo: '某市监罚立〔2026〕902号' }), bearer(ht));
    expect(submitted.body.ok).toBe(true);
    let text = '';
    while (!text.includes('"kind":"case.submit"') && Date.now() - started < 5000) {
      const { value, done } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
    const elapsed = Date.now() - started;
    ac.abort();
    const line = text.split('\n').find((l) => l.includes('"kind":"case.submit"'))!;
    const e = JSON.parse(line.slice('data: '.length));
    expect(e).toMatchObject({ kind: 'case.submit', caseId: submitted.body.value.id ?? submitted.body.value.caseId });
    expect(e.by).toContain('张承办');
    expect(elapsed).toBeLessThan(2000);
  });

  it('tells of an event on a case only those who may read that case; an event on no case reaches everyone', async () => {
    const listen = async (base: string, username: string) => {
      const ac = new AbortController();
      const res = await fetch(`${base}/api/events`, { headers: bearer(await signInBearer(base, username)), signal: ac.signal });
      const reader = res.body!.getReader();
      let text = '';
      void (async () => {
        try {
          for (;;) {
            const { value, done } = await reader.read();
            if (done) break;
            text += new TextDecoder().decode(value);
          }
        } catch {
          // aborted
        }
      })();
      return { kinds: () => text.split('\n').filter((l) => l.startsWith('data: ')).map((l) => JSON.parse(l.slice(6)) as { kind: string; caseId: number | null }), stop: () => ac.abort() };
    };
    // The officer on the case, a reviewer (reads every case), and a handler who has nothing to do with it.
    const officer = await listen(a.url, 'officer');
    const reviewer = await listen(b.url, 'reviewer');
    const stranger = await listen(a.url, 'officer2');
    const ht = await signInBearer(a.url, 'handler');
    const submitted = await post(a.url, 'cases.submit', caseInput(f, { caseNo: '某市监罚立〔2026〕903号' }), bearer(ht));
    expect(submitted.body.ok).toBe(true);
    const caseId = submitted.body.value.id as number;
    // Then an event on no case (a sign-in), which everyone hears: when the stranger has it, the case event is past.
    await signInBearer(b.url, 'head');
    // Generous: server b hears a's events by polling, and CI runs other files beside this one.
    const deadline = Date.now() + 15_000;
    const heard = (l: typeof officer, kind: string, id: number | null) => l.kinds().some((e) => e.kind === kind && e.caseId === id);
    const all = () => heard(officer, 'case.submit', caseId) && heard(reviewer, 'case.submit', caseId) && [officer, reviewer, stranger].every((l) => heard(l, 'user.signin', null));
    while (Date.now() < deadline && !all()) await new Promise((r) => setTimeout(r, 50));
    for (const l of [officer, reviewer, stranger]) l.stop();
    expect(heard(officer, 'case.submit', caseId)).toBe(true);
    expect(heard(reviewer, 'case.submit', caseId)).toBe(true);
    expect(heard(stranger, 'user.signin', null)).toBe(true);
    expect(stranger.kinds().some((e) => e.caseId === caseId)).toBe(false);
  });

  it('stops gracefully while event streams are open (they end; the close does not wait for them)', async () => {
    const c = await startServer({ db: f.dbPath, files: `${path.join(f.dir, 'lrw.sqlite')}-files`, secrets: new MemorySecretStore(), staticDir: path.join(f.dir, 'ui'), accessLog: () => undefined });
    const t = await signInBearer(c.url, 'reviewer');
    const res = await fetch(`${c.url}/api/events`, { headers: bearer(t) });
    expect(res.status).toBe(200);
    const outcome = await Promise.race([c.close().then(() => 'closed'), new Promise((r) => setTimeout(() => r('still open after 10 s'), 10_000))]);
    expect(outcome).toBe('closed');
  });

  it('refuses the stream without a session', async () => {
    const res = await fetch(`${a.url}/api/events`);
    expect(res.status).toBe(401);
  });
});

describe('limits, health and the access log', () => {
  it('answers the health check', async () => {
    const h = await (await fetch(`${a.url}/healthz`)).json();
    expect(h).toMatchObject({ ok: true, engine: f.core.db.engine });
    expect(h.head).toBeGreaterThan(0);
  });

  it('refuses an oversized body and bad JSON with a Result, changing nothing', async () => {
    const before = await f.core.db.value<number>('SELECT COUNT(*) FROM events');
    const big = await fetch(`${a.url}/api/cases.submit`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-lrw-client': 'token' }, body: JSON.stringify({ facts: 'x'.repeat(5 * 1024 * 1024) }) });
    expect(big.status).toBe(413);
    expect(await big.json()).toMatchObject({ ok: false, error: { code: 'TOO_LARGE' } });
    const bad = await fetch(`${a.url}/api/cases.submit`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-lrw-client': 'token' }, body: '{not json' });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(await f.core.db.value<number>('SELECT COUNT(*) FROM events')).toBe(before);
  });

  it('limits requests per user and per address', async () => {
    const tight = await startServer({ db: f.dbPath, files: `${path.join(f.dir, 'lrw.sqlite')}-files`, secrets: new MemorySecretStore(), staticDir: path.join(f.dir, 'ui'), accessLog: () => undefined, rateLimit: { perUser: 3, perAddress: 1000 } });
    try {
      const t = await signInBearer(tight.url, 'reviewer');
      const codes: number[] = [];
      for (let i = 0; i < 5; i++) codes.push((await post(tight.url, 'cases.queue', {}, bearer(t))).status);
      expect(codes.slice(0, 2)).toEqual([200, 200]);
      expect(codes).toContain(429);
      const limited = await post(tight.url, 'cases.queue', {}, bearer(t));
      expect(limited.body).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED' } });
    } finally {
      await tight.close();
    }
  });

  it('logs who, which channel, the result and the duration — never a password', async () => {
    await post(a.url, 'auth.signIn', { username: 'reviewer', password: PASSWORD }, { 'x-lrw-client': 'token' });
    await new Promise((r) => setTimeout(r, 50));
    const lines = logA.map((l) => JSON.parse(l));
    const signIn = lines.filter((l) => l.channel === 'auth.signIn' && l.user === 'reviewer' && l.result === 'ok');
    expect(signIn.length).toBeGreaterThan(0);
    expect(signIn[0]).toMatchObject({ method: 'POST', status: 200 });
    expect(typeof signIn[0].ms).toBe('number');
    expect(lines.some((l) => l.result === 'UNAUTHENTICATED')).toBe(true);
    expect(logA.join('\n')).not.toContain(PASSWORD);
  });
});
