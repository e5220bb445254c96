// The bounded load run of the agency server (issue 14, "Tests and benchmarks"): BENCH_ONLY=server.
// Loopback only, and it stops by itself:
//   1. PostgreSQL: the server named by LRW_PG_ADMIN_URL (or LRW_PG_URL), else a throw-away cluster started
//      through scripts/with-postgres.sh (unprivileged user, a free 127.0.0.1 port; stopped when this
//      bench ends, fails or is killed). Each part gets a fresh database, dropped afterwards.
//   2. A store initialised in it (setup + one account per simulated desktop), then `node bin/lrw.js serve`
//      spawned as a child process on 127.0.0.1 (stdin ignored, rate limits raised so the load is not refused).
//   3. BENCH_SERVER_DESKTOPS (50) simulated desktops speak the real HTTP protocol (bearer tokens) for
//      BENCH_SERVER_SECONDS (120, at most 600): handlers submit realistic cases (bench/realistic.ts, facts cut
//      to 200 characters, 3–8 evidence items, 1–4 legal bases), keep at most BENCH_SERVER_OPEN_CASES (4) open
//      and close the approved ones; reviewers read their queue, take a case (racing each other), save a
//      draft and issue the review (nine findings, 同意); agency heads approve; legal office heads read queue,
//      search and case details. Each desktop thinks BENCH_SERVER_THINK_MS (500; uniform 0.5–1.5×) before its
//      first action and between actions.
//   4. At BENCH_SERVER_KILL_AT (2/3) of the time the server is SIGKILLed and started again on the same port;
//      the desktops wait (retrying every 100–300 ms, each on its own timer), reconnect (re-signing in if their
//      session were gone) and carry on; a write whose
//      answer was lost in the kill is "in doubt" and reconciled from the server's state afterwards.
//   5. At the end: every acknowledged write (the server answered ok) is looked up in the database with a
//      plain pg client (not through the core), and the audit chain is verified (verifyChain on a core
//      opened directly on the database).
// Baseline, in the same run: the same desktops and actions through the core directly (`dispatch` in this
// process, no HTTP, no kill) for BENCH_SERVER_BASELINE_SECONDS (half the server's time) on its own fresh
// database; the results carry server/direct ratios per action.
// Goal in the issue: 0 lost writes, 0 server errors, p95 ≤ 100 ms per action. Sign-in (scrypt by design)
// and issuing a review are reported apart from the per-action figures. The figures are printed and
// written whether or not the goal is met.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { dispatch, type Session } from '../main/core/api';
import { closeCore, openCore, type Actor, type Core } from '../main/core/services/core';
import { setup } from '../main/core/services/setup';
import { createUser } from '../main/core/services/users';
import { verifyChain } from '../main/core/services/audit';
import { MemorySecretStore } from '../main/core/secrets';
import type { Role } from '../main/core/domain/types';
import { hanCount, realisticCase, Rng, type RealisticCase } from './realistic';
import { pgAdminAt } from './engines';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const num = (name: string, dflt: number, lo: number, hi: number): number => {
  const v = Number(process.env[name] ?? dflt);
  return Number.isFinite(v) ? Math.min(hi, Math.max(lo, v)) : dflt;
};
const SECONDS = num('BENCH_SERVER_SECONDS', 120, 5, 600);
const DESKTOPS = Math.round(num('BENCH_SERVER_DESKTOPS', 50, 4, 200));
const THINK_MS = num('BENCH_SERVER_THINK_MS', 500, 0, 60_000);
const OPEN_CASES = Math.round(num('BENCH_SERVER_OPEN_CASES', 4, 1, 100));
const KILL_AT = num('BENCH_SERVER_KILL_AT', 2 / 3, 0, 1); // 0: no kill
const BASELINE_SECONDS = num('BENCH_SERVER_BASELINE_SECONDS', Math.max(5, Math.round(SECONDS / 2)), 0, 600);
/** Where run.ts files the figures: `server` for the default 50 desktops × 120 s, else e.g. server_10x20s. */
export const SERVER_RESULTS_KEY = DESKTOPS === 50 && SECONDS === 120 ? 'server' : `server_${DESKTOPS}x${SECONDS}s`;
const PASSWORD = 'Bench-Passw0rd';
const REQUEST_TIMEOUT_MS = 30_000;
const GOAL_P95_MS = 100;

/** Reported apart from the per-action figures (issue 14: sign-in and issuing), and the look-up of a submission whose answer was lost in the kill. */
const APART = new Set(['auth.signIn', 'reviews.issue', 'cases.byNo']);
/** Refusals the workflow expects: two reviewers racing for one case, two heads for one approval, a write repeated after an answer lost in the kill. */
const EXPECTED_REFUSALS: Record<string, string[]> = {
  'reviews.take': ['CONFLICT', 'BAD_STATE'],
  'approvals.decide': ['BAD_STATE'],
  'cases.close': ['BAD_STATE'],
  // Repeated after an answer lost in the kill: already concluded, or already closed.
  'enforcement.service': ['BAD_STATE'],
  'enforcement.execution': ['CONFLICT', 'BAD_STATE'],
  'reviews.issue': ['BAD_STATE'],
  'reviews.saveDraft': ['BAD_STATE'],
  'cases.submit': ['CONFLICT'],
  // Looking up a submission whose answer was lost: not stored, so it is sent again.
  'cases.byNo': ['NOT_FOUND'],
};

const log = (s = '') => console.log(s);
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const pct = (xs: number[], p: number): number => {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
};
const r1 = (x: number) => (Number.isFinite(x) ? Math.round(x * 10) / 10 : null);

// ---------------------------------------------------------------------------------------------------------
// Processes this bench starts: each one stopped by its own PID, also when the bench fails or exits early.

// lrw serve gets SIGKILL; scripts/with-postgres.sh gets SIGTERM, so that its trap still stops the cluster
// (it also ends when our end of its stdin closes, which happens whenever this process exits).
const children = new Set<ChildProcess>();
const lastResort = (c: ChildProcess): NodeJS.Signals => (c.spawnargs.includes('serve') ? 'SIGKILL' : 'SIGTERM');
process.on('exit', () => {
  for (const c of children) if (c.pid && c.exitCode === null && c.signalCode === null) {
    try {
      process.kill(c.pid, lastResort(c));
    } catch {
      // already gone
    }
  }
});

function track(c: ChildProcess): ChildProcess {
  children.add(c);
  c.once('exit', () => children.delete(c));
  return c;
}

const exited = (c: ChildProcess): Promise<void> =>
  c.exitCode !== null || c.signalCode !== null ? Promise.resolve() : new Promise((r) => c.once('exit', () => r()));

/** SIGTERM (or the given signal) to the child's own PID, SIGKILL after `graceMs`. */
async function stopChild(c: ChildProcess, signal: NodeJS.Signals = 'SIGTERM', graceMs = 15_000): Promise<void> {
  if (!c.pid || c.exitCode !== null || c.signalCode !== null) return;
  process.kill(c.pid, signal);
  const t = setTimeout(() => {
    if (c.pid && c.exitCode === null && c.signalCode === null) process.kill(c.pid, 'SIGKILL');
  }, graceMs);
  await exited(c);
  clearTimeout(t);
}

// ---------------------------------------------------------------------------------------------------------
// PostgreSQL

interface PgCluster {
  adminUrl: string;
  own: boolean;
  stop(): Promise<void>;
}

/** The server named in the environment, or a throw-away one through scripts/with-postgres.sh. */
async function postgres(): Promise<PgCluster> {
  const given = process.env.LRW_PG_ADMIN_URL ?? process.env.LRW_PG_URL;
  if (given) return { adminUrl: given, own: false, stop: async () => undefined };
  // The holder prints the admin URL and waits for its stdin to close: when this bench ends in any way
  // (even killed), the pipe closes, the holder exits and with-postgres.sh stops the cluster and removes it.
  const holder = 'console.log("LRW_PG_ADMIN_URL=" + process.env.LRW_PG_ADMIN_URL); process.stdin.resume(); process.stdin.on("end", () => process.exit(0));';
  const c = track(spawn('bash', [path.join(ROOT, 'scripts/with-postgres.sh'), process.execPath, '-e', holder], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] }));
  let errText = '';
  c.stderr!.on('data', (d: Buffer) => (errText += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const rl = readline.createInterface({ input: c.stdout! });
    rl.on('line', (line) => {
      if (line.startsWith('LRW_PG_ADMIN_URL=')) resolve(line.slice('LRW_PG_ADMIN_URL='.length));
    });
    c.once('exit', (code) => reject(new Error(`scripts/with-postgres.sh ended (${code}) before PostgreSQL was ready: ${errText.trim().split('\n').slice(-3).join(' ')}`)));
    setTimeout(() => reject(new Error('PostgreSQL did not start within 90 s')), 90_000).unref();
  });
  return {
    adminUrl: url,
    own: true,
    async stop() {
      c.stdin!.end();
      const t = setTimeout(() => c.pid && c.exitCode === null && process.kill(c.pid, 'SIGTERM'), 20_000);
      await exited(c);
      clearTimeout(t);
    },
  };
}

const pgAdmin = pgAdminAt;

/** A new database (a copy of `template` when given, else empty with pg_trgm) and its URL. */
async function freshDatabase(adminUrl: string, name: string, template?: string): Promise<{ url: string; drop: () => Promise<void> }> {
  await pgAdmin(adminUrl, (c) => c.query(`CREATE DATABASE "${name}"${template ? ` TEMPLATE "${template}"` : ''}`));
  if (!template) await pgAdmin(adminUrl, (c) => c.query('CREATE EXTENSION IF NOT EXISTS pg_trgm'), name);
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  return { url: u.toString(), drop: () => pgAdmin(adminUrl, (c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => undefined) };
}

// ---------------------------------------------------------------------------------------------------------
// The store and its accounts

type DeskRole = 'handler' | 'reviewer' | 'head' | 'reader';
interface Account {
  username: string;
  id: number;
  role: DeskRole;
}

const ROLE_OF: Record<DeskRole, Role> = { handler: 'handler', reviewer: 'reviewer', head: 'agency_head', reader: 'legal_head' };

function desktopRoles(n: number): DeskRole[] {
  const handlers = Math.max(1, Math.round(n * 0.28));
  const reviewers = Math.max(1, Math.round(n * 0.36));
  const heads = Math.max(1, Math.round(n * 0.2));
  const readers = Math.max(1, n - handlers - reviewers - heads);
  return [...Array(handlers).fill('handler'), ...Array(reviewers).fill('reviewer'), ...Array(heads).fill('head'), ...Array(readers).fill('reader')] as DeskRole[];
}

/** setup + one account per desktop, on a core opened directly; the record-signing key goes to `keyFile`. */
async function initStore(db: string, filesDir: string, keyFile: string): Promise<Account[]> {
  const core = await openCore({ dbPath: db, filesDir, secrets: new MemorySecretStore(), recordKeyFile: keyFile });
  try {
    const admin = await setup(core, { agencyName: '连云港市市场监督管理局', docPrefix: '连市监罚', admin: { username: 'admin', displayName: '管理员', password: PASSWORD } });
    const counters: Record<DeskRole, number> = { handler: 0, reviewer: 0, head: 0, reader: 0 };
    const label: Record<DeskRole, string> = { handler: '承办人', reviewer: '审核人', head: '负责人', reader: '法制机构负责人' };
    const todo = desktopRoles(DESKTOPS).map((role) => {
      const k = ++counters[role];
      return { role, k, username: `${role}${String(k).padStart(2, '0')}` };
    });
    const out: Account[] = [];
    // Four at a time: each account costs one scrypt hash in the thread pool.
    for (let i = 0; i < todo.length; i += 4) {
      out.push(...(await Promise.all(todo.slice(i, i + 4).map(async ({ role, k, username }) => {
        const u = await createUser(core, admin, {
          username,
          displayName: `${label[role]}${k}`,
          password: PASSWORD,
          roles: [ROLE_OF[role]],
          ...(role === 'handler' && { certNo: `执法${username}`, certExpiry: '2028-12-31' }),
          ...(role === 'reviewer' && { qualificationNo: `A2020${username}` }),
        });
        return { username, id: u.id, role };
      }))));
    }
    return out;
  } finally {
    await closeCore(core);
  }
}

/** Realistic case i with its facts cut to 200 characters (a short statement of facts, as desks often send). */
function benchCase(i: number, officerIds: [number, number]): RealisticCase {
  const c = realisticCase(i, officerIds, { caseNoPrefix: '连市监罚立' });
  const chars = [...c.facts];
  let facts = chars.slice(0, 199).join('');
  if (hanCount(facts) < 150) facts = chars.slice(0, 260).join('');
  return { ...c, facts: `${facts.replace(/[，、；：]$/, '')}。` };
}

// ---------------------------------------------------------------------------------------------------------
// Desktops: the same walk over HTTP (bearer tokens) or straight through dispatch

type Reply = { ok: true; value: any } | { ok: false; error: { code: string; message: string } };
/** down: not sent (connection refused); inDoubt: sent, and the answer was lost (reset, timeout). */
type Outcome = { reply: Reply; ms: number } | { transport: 'inDoubt'; detail: string };

interface Transport {
  signIn(username: string): Promise<Outcome>;
  call(channel: string, input: unknown): Promise<Outcome>;
}

class Stats {
  latency = new Map<string, number[]>();
  ok = new Map<string, number>();
  expected = new Map<string, number>();
  unexpected = new Map<string, number>();
  serverErrors: { channel: string; what: string; at: number }[] = [];
  rateLimited = 0;
  inDoubt = new Map<string, number>();
  inDoubtCommitted = 0;
  inDoubtRedone = 0;
  unavailableRetries = 0;
  reSignIns = 0;
  firstUnexpected = new Map<string, string>();
  add(m: Map<string, number>, k: string) {
    m.set(k, (m.get(k) ?? 0) + 1);
  }
}

interface Ack {
  action: 'submit' | 'take' | 'saveDraft' | 'issue' | 'approve' | 'close';
  caseId: number;
  caseNo?: string;
  userId: number;
  version?: number;
}

interface Shared {
  acks: Ack[];
  caseIds: number[];
  stats: Stats;
  /** When the walk began (after every desk signed in) and when it ends. */
  start: number;
  end: number;
  /** Set while the server is known to be down (between the kill and the restart). */
  down: { since: number | null };
  /** The times the server was down: requests that fail then are not server errors. */
  windows: { from: number; to: number }[];
  /** The run was abandoned (e.g. the server did not come back): desktops stop at once. */
  aborted: boolean;
  /** Per desktop, when it last had an answer from the server (to tell that every client recovered). */
  lastAnswer: Map<number, number>;
}

const inWindow = (s: Shared, t: number) => s.down.since !== null || s.windows.some((w) => t >= w.from - 50 && t <= w.to + 50);

class HttpTransport implements Transport {
  token: string | null = null;
  constructor(private base: string, private shared: Shared) {}
  private async post(channel: string, input: unknown, auth: boolean): Promise<Outcome> {
    // Refused connections (the server is down) were never sent: wait and send again.
    for (;;) {
      const t0 = performance.now();
      const started = Date.now();
      try {
        const res = await fetch(`${this.base}/api/${channel}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-lrw-client': 'token', ...(auth && this.token && { authorization: `Bearer ${this.token}` }) },
          body: JSON.stringify(input ?? {}),
          signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
        });
        const body = (await res.json()) as Reply;
        const ms = performance.now() - t0;
        if (res.status >= 500) this.shared.stats.serverErrors.push({ channel, what: `HTTP ${res.status} ${!body.ok ? body.error.code : ''}`, at: started });
        const session = res.headers.get('x-lrw-session');
        if (session) this.token = session;
        return { reply: body, ms };
      } catch (err) {
        const cause = (err as { cause?: { code?: string } }).cause;
        const code = cause?.code ?? (err as Error).name;
        if (code === 'ECONNREFUSED') {
          if (this.shared.aborted || Date.now() > this.shared.end + 60_000) throw new Error(`server unreachable at ${this.base}`);
          if (!inWindow(this.shared, started)) this.shared.stats.serverErrors.push({ channel, what: 'connection refused while the server was up', at: started });
          this.shared.stats.unavailableRetries++;
          // Desks notice the outage at different moments and retry on their own timers (the app's
          // TeamClient polls health from when it lost the server), not in lockstep: 100–300 ms.
          await sleep(100 + Math.random() * 200);
          continue;
        }
        if (!inWindow(this.shared, started) && !inWindow(this.shared, Date.now())) this.shared.stats.serverErrors.push({ channel, what: `request failed: ${code}`, at: started });
        return { transport: 'inDoubt', detail: code };
      }
    }
  }
  signIn(username: string) {
    this.token = null;
    return this.post('auth.signIn', { username, password: PASSWORD }, false);
  }
  call(channel: string, input: unknown) {
    return this.post(channel, input, true);
  }
}

class DirectTransport implements Transport {
  private session: Session = { userId: null };
  constructor(private core: Core) {}
  private async run(channel: string, input: unknown): Promise<Outcome> {
    const t0 = performance.now();
    const reply = (await dispatch(this.core, this.session, channel, input)) as Reply;
    return { reply, ms: performance.now() - t0 };
  }
  signIn(username: string) {
    this.session = { userId: null };
    return this.run('auth.signIn', { username, password: PASSWORD });
  }
  call(channel: string, input: unknown) {
    return this.run(channel, input);
  }
}

class Desktop {
  private rng: Rng;
  private open = new Set<number>();
  private submitted = 0;
  constructor(
    private account: Account,
    private others: Account[],
    private t: Transport,
    private s: Shared,
    private seed: number,
  ) {
    this.rng = new Rng(seed * 7919 + 13);
  }

  private record(channel: string, o: Outcome): Reply | null {
    const st = this.s.stats;
    if ('transport' in o) {
      st.add(st.inDoubt, channel);
      return null;
    }
    this.s.lastAnswer.set(this.seed, Date.now());
    const lat = st.latency.get(channel) ?? [];
    lat.push(o.ms);
    st.latency.set(channel, lat);
    if (o.reply.ok) st.add(st.ok, channel);
    else if (o.reply.error.code === 'RATE_LIMITED') st.rateLimited++;
    else if (o.reply.error.code === 'INTERNAL') st.serverErrors.push({ channel, what: `INTERNAL ${o.reply.error.message}`, at: Date.now() });
    else if (EXPECTED_REFUSALS[channel]?.includes(o.reply.error.code)) st.add(st.expected, channel);
    else {
      const k = `${channel} ${o.reply.error.code}`;
      st.add(st.unexpected, k);
      if (!st.firstUnexpected.has(k)) st.firstUnexpected.set(k, o.reply.error.message);
    }
    return o.reply;
  }

  async signIn(): Promise<boolean> {
    const r = this.record('auth.signIn', await this.t.signIn(this.account.username));
    return Boolean(r?.ok);
  }

  /** One request; a session lost (e.g. with the server) is re-opened and the request sent once more. */
  private async act(channel: string, input: unknown): Promise<Reply | null> {
    let r = this.record(channel, await this.t.call(channel, input));
    if (r && !r.ok && r.error.code === 'UNAUTHENTICATED' && Date.now() < this.s.end) {
      this.s.stats.reSignIns++;
      if (await this.signIn()) r = this.record(channel, await this.t.call(channel, input));
    }
    return r;
  }

  private async think(): Promise<void> {
    await sleep(THINK_MS * (0.5 + this.rng.next()));
  }

  /** The morning: every desk signs in within a second of the others (before the walk's clock starts). */
  async signInFirst(deadline: number): Promise<void> {
    await sleep(this.rng.int(0, 1000));
    while (!(await this.signIn())) {
      if (Date.now() > deadline || this.s.aborted) throw new Error(`${this.account.username} could not sign in`);
      await sleep(500);
    }
  }

  async run(): Promise<void> {
    // Each desk starts at its own pace, as people do after signing in (not all in the same millisecond).
    await this.think();
    while (Date.now() < this.s.end && !this.s.aborted) {
      switch (this.account.role) {
        case 'handler':
          await this.handlerStep();
          break;
        case 'reviewer':
          await this.reviewerStep();
          break;
        case 'head':
          await this.headStep();
          break;
        default:
          await this.readerStep();
      }
      await this.think();
    }
  }

  private ack(a: Ack) {
    this.s.acks.push(a);
  }

  private async handlerStep(): Promise<void> {
    if (this.open.size >= OPEN_CASES) {
      // Waiting on the reviewers and heads: read the queue, close what was decided, look at a case.
      const q = await this.act('cases.queue', {});
      if (!q?.ok) return;
      const items = (q.value.items as { id: number; state: string }[]).filter((i) => i.state === 'approved');
      const mine = new Set((q.value.items as { id: number }[]).map((i) => i.id));
      for (const id of this.open) if (!mine.has(id) && this.rng.chance(0.1)) await this.checkClosed(id);
      if (items.length) {
        const c = items[0];
        await this.think();
        // 办结 needs the decision served and carried out (issue 13): record both, as a handler would.
        const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
        await this.act('enforcement.service', { caseId: c.id, documentName: '行政处罚决定书', method: 'direct', recipient: '当事人', servedOn: today, server: '承办人', signer: '当事人本人' });
        await this.act('enforcement.execution', { caseId: c.id, step: 'performed', onDate: today, text: '当事人已按决定履行。' });
        const r = await this.act('cases.close', { caseId: c.id });
        if (r?.ok) this.ack({ action: 'close', caseId: c.id, userId: this.account.id });
        if (r?.ok || (r && !r.ok && r.error.code === 'BAD_STATE')) this.open.delete(c.id);
      } else if (this.open.size && this.rng.chance(0.5)) {
        await this.think();
        await this.act('cases.get', { caseId: [...this.open][this.rng.int(0, this.open.size - 1)] });
      }
      return;
    }
    const partner = this.others.filter((a) => a.role === 'handler' && a.id !== this.account.id);
    const officer = partner.length ? partner[this.rng.int(0, partner.length - 1)].id : this.account.id;
    const input = benchCase(this.seed * 100_000 + this.submitted++, [this.account.id, officer]);
    let o = await this.t.call('cases.submit', input);
    let r = this.record('cases.submit', o);
    if (!r) {
      // The answer was lost (the server was killed): was it stored? Ask by the case number.
      const found = await this.act('cases.byNo', { caseNo: input.caseNo });
      if (found?.ok) {
        this.s.stats.inDoubtCommitted++;
        this.open.add(found.value.caseId);
        return;
      }
      this.s.stats.inDoubtRedone++;
      o = await this.t.call('cases.submit', input);
      r = this.record('cases.submit', o);
    }
    if (r?.ok) {
      this.ack({ action: 'submit', caseId: r.value.id, caseNo: input.caseNo, userId: this.account.id });
      this.s.caseIds.push(r.value.id);
      this.open.add(r.value.id);
      if (this.rng.chance(0.3)) {
        await this.think();
        await this.act('cases.get', { caseId: r.value.id });
      }
    }
  }

  /** A case no longer in the queue: closed meanwhile (e.g. the answer to cases.close was lost in the kill)? */
  private async checkClosed(id: number): Promise<void> {
    const r = await this.act('cases.get', { caseId: id });
    if (r?.ok && r.value.state === 'closed') this.open.delete(id);
  }

  private async reviewerStep(): Promise<void> {
    const q = await this.act('cases.queue', {});
    if (!q?.ok) return;
    const items = q.value.items as { id: number; state: string; reason: string }[];
    // A case this reviewer already holds (e.g. taken just before the server was killed) comes first.
    let mine = items.find((i) => i.state === 'under_review');
    if (!mine) {
      const fresh = items.filter((i) => i.state === 'submitted');
      if (!fresh.length) return;
      // Among the oldest few, so reviewers race for the same case now and then, as colleagues do.
      const pick = fresh[this.rng.int(0, Math.min(3, fresh.length - 1))];
      await this.think();
      const taken = await this.act('reviews.take', { caseId: pick.id });
      if (!taken?.ok) return;
      this.ack({ action: 'take', caseId: pick.id, userId: this.account.id });
      mine = pick;
    }
    const caseId = mine.id;
    await this.think();
    const detail = await this.act('cases.get', { caseId });
    if (!detail?.ok || detail.value.state !== 'under_review') return;
    const findings = Array.from({ length: 9 }, (_, k) => ({ criterion: k + 1, result: 'conform' as const, reason: '' }));
    const opinion = `经审核，本案事实清楚，证据确实充分，适用依据正确，程序合法，处罚裁量适当。同意承办机构的处理意见。（审核人${this.account.username}）`;
    await this.think();
    const saved = await this.act('reviews.saveDraft', { caseId, findings, outcome: 'agree', opinion, requests: [], suggestions: '' });
    if (saved?.ok) this.ack({ action: 'saveDraft', caseId, userId: this.account.id, version: saved.value.version });
    await this.think();
    const issued = await this.act('reviews.issue', { caseId, findings, outcome: 'agree', opinion, requests: [], suggestions: '' });
    if (issued?.ok) this.ack({ action: 'issue', caseId, userId: this.account.id });
  }

  private async headStep(): Promise<void> {
    const q = await this.act('cases.queue', {});
    if (!q?.ok) return;
    const items = (q.value.items as { id: number; state: string; lastOutcome: string | null }[]).filter((i) => i.state === 'reviewed' && i.lastOutcome === 'agree');
    if (!items.length) return;
    const pick = items[this.rng.int(0, Math.min(2, items.length - 1))];
    await this.think();
    const r = await this.act('approvals.decide', { caseId: pick.id, decision: 'approve', opinion: '同意法制审核意见，批准。' });
    if (r?.ok) this.ack({ action: 'approve', caseId: pick.id, userId: this.account.id });
  }

  private static TERMS = ['电热水壶', '食用植物油', '不合格', '检验报告', '有限公司', '连云港', '销售', '化妆品', '海州', '进货台账'];
  private async readerStep(): Promise<void> {
    const k = this.rng.int(0, 2);
    if (k === 0) await this.act('cases.queue', {});
    else if (k === 1) await this.act('cases.search', { query: Desktop.TERMS[this.rng.int(0, Desktop.TERMS.length - 1)], limit: 20 });
    else if (this.s.caseIds.length) await this.act('cases.get', { caseId: this.s.caseIds[this.rng.int(0, this.s.caseIds.length - 1)] });
  }
}

// ---------------------------------------------------------------------------------------------------------
// The server process

async function freePort(): Promise<number> {
  return await new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

/** dist/cli/lrw.cjs (what bin/lrw.js loads), bundled again when a source is newer, as `npm run build` does. */
async function ensureCliBuilt(): Promise<void> {
  const out = path.join(ROOT, 'dist/cli/lrw.cjs');
  const newest = (dir: string): number => {
    let m = 0;
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) m = Math.max(m, newest(p));
      else if (e.name.endsWith('.ts')) m = Math.max(m, fs.statSync(p).mtimeMs);
    }
    return m;
  };
  const src = Math.max(newest(path.join(ROOT, 'main')), newest(path.join(ROOT, 'preload')));
  if (fs.existsSync(out) && fs.statSync(out).mtimeMs >= src) return;
  const esbuild = await import('esbuild');
  // The cli step of scripts/build.mjs; written beside and renamed, so a running lrw never reads half a file.
  const r = await esbuild.build({
    absWorkingDir: ROOT, bundle: true, format: 'cjs', sourcemap: false, logLevel: 'warning', legalComments: 'none',
    entryPoints: ['main/cli/lrw.ts'], platform: 'node', target: 'node20', write: false, outfile: out,
    external: ['better-sqlite3', 'keytar', 'fastify', '@fastify/cookie', '@fastify/rate-limit', '@fastify/static'],
  });
  fs.mkdirSync(path.dirname(out), { recursive: true });
  const tmp = `${out}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, r.outputFiles[0].contents);
  fs.renameSync(tmp, out);
  log('  built dist/cli/lrw.cjs (sources were newer)');
}

interface ServerProc {
  child: ChildProcess;
  /** Per channel, the server's own duration (access log `ms`). */
  serverMs: Map<string, number[]>;
  lines: number;
  stderr: string[];
}

async function startLrwServe(db: string, filesDir: string, keyFile: string, port: number, serverMs: Map<string, number[]>): Promise<ServerProc> {
  const child = track(
    spawn(process.execPath, [path.join(ROOT, 'bin/lrw.js'), 'serve', '--db', db, '--files', filesDir, '--listen', `127.0.0.1:${port}`, '--rate-per-user', '1000000', '--rate-per-address', '1000000'], {
      cwd: ROOT,
      // stdin ignored: with a terminal stdin `lrw serve` stops.
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, LRW_RECORD_KEY_FILE: keyFile },
    }),
  );
  const p: ServerProc = { child, serverMs, lines: 0, stderr: [] };
  readline.createInterface({ input: child.stdout! }).on('line', (line) => {
    p.lines++;
    try {
      const e = JSON.parse(line) as { channel?: string; ms?: number };
      if (e.channel && typeof e.ms === 'number') {
        const xs = serverMs.get(e.channel) ?? [];
        xs.push(e.ms);
        serverMs.set(e.channel, xs);
      }
    } catch {
      // not an access-log line
    }
  });
  await new Promise<void>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`lrw serve did not start within 60 s: ${p.stderr.slice(-5).join(' ')}`)), 60_000);
    readline.createInterface({ input: child.stderr! }).on('line', (line) => {
      p.stderr.push(line);
      if (p.stderr.length > 200) p.stderr.shift();
      if (line.includes('法制审核工作台服务已启动')) {
        clearTimeout(t);
        resolve();
      }
    });
    child.once('exit', (code, sig) => {
      clearTimeout(t);
      reject(new Error(`lrw serve exited (${code ?? sig}) before listening: ${p.stderr.slice(-5).join(' ')}`));
    });
  });
  return p;
}

// ---------------------------------------------------------------------------------------------------------
// Verification: every acknowledged write read back with a plain pg client; the chain verified on a core.

interface Verification {
  acknowledged: Record<string, number>;
  lost: number;
  lostExamples: string[];
  chainOk: boolean;
  chainEvents: number;
  chainProblem: string | null;
  casesInDb: number;
}

async function verify(db: string, filesDir: string, keyFile: string, acks: Ack[]): Promise<Verification> {
  const c = new pg.Client({ connectionString: db });
  await c.connect();
  const lostExamples: string[] = [];
  let lost = 0;
  let casesInDb = 0;
  try {
    const cases = new Map((await c.query<{ id: number; case_no: string; state: string }>('SELECT id, case_no, state FROM cases')).rows.map((r) => [Number(r.id), r]));
    casesInDb = cases.size;
    const events = new Set((await c.query<{ action: string; case_id: number; actor_id: number }>('SELECT action, case_id, actor_id FROM events WHERE case_id IS NOT NULL')).rows.map((r) => `${r.action}|${r.case_id}|${r.actor_id}`));
    const reviews = new Set((await c.query<{ case_id: number; reviewer_id: number }>('SELECT case_id, reviewer_id FROM review_rounds')).rows.map((r) => `${r.case_id}|${r.reviewer_id}`));
    const approvals = new Set((await c.query<{ case_id: number; head_id: number }>("SELECT case_id, head_id FROM approvals WHERE decision = 'approve'")).rows.map((r) => `${r.case_id}|${r.head_id}`));
    const drafts = new Map((await c.query<{ case_id: number; reviewer_id: number; version: number }>('SELECT case_id, reviewer_id, version FROM review_drafts')).rows.map((r) => [`${r.case_id}|${r.reviewer_id}`, Number(r.version)]));
    const miss = (a: Ack, why: string) => {
      lost++;
      if (lostExamples.length < 10) lostExamples.push(`${a.action} case ${a.caseId}${a.caseNo ? ` (${a.caseNo})` : ''} by user ${a.userId}: ${why}`);
    };
    for (const a of acks) {
      const key = `${a.caseId}|${a.userId}`;
      switch (a.action) {
        case 'submit': {
          const row = cases.get(a.caseId);
          if (!row || row.case_no !== a.caseNo) miss(a, 'no such case row');
          else if (!events.has(`case.submit|${key}`)) miss(a, 'no case.submit event');
          break;
        }
        case 'take':
          if (!events.has(`case.take|${key}`)) miss(a, 'no case.take event');
          break;
        case 'saveDraft':
          // Issuing the review clears the draft: then the review stands for it.
          if (!((drafts.get(key) ?? 0) >= (a.version ?? 1) || reviews.has(key))) miss(a, 'neither the draft nor the issued review');
          break;
        case 'issue':
          if (!reviews.has(key) || !events.has(`review.issue|${key}`)) miss(a, 'no review round / review.issue event');
          break;
        case 'approve':
          if (!approvals.has(key) || !events.has(`approval.decide|${key}`)) miss(a, 'no approval / approval.decide event');
          break;
        case 'close':
          if (cases.get(a.caseId)?.state !== 'closed' || !events.has(`case.close|${key}`)) miss(a, 'not closed / no case.close event');
          break;
      }
    }
  } finally {
    await c.end();
  }
  const core = await openCore({ dbPath: db, filesDir, secrets: new MemorySecretStore(), recordKeyFile: keyFile });
  let chain;
  try {
    chain = await verifyChain(core);
  } finally {
    await closeCore(core);
  }
  const acknowledged: Record<string, number> = {};
  for (const a of acks) acknowledged[a.action] = (acknowledged[a.action] ?? 0) + 1;
  return {
    acknowledged,
    lost,
    lostExamples,
    chainOk: chain.ok,
    chainEvents: chain.count,
    chainProblem: chain.ok ? null : JSON.stringify(chain.mismatch ?? chain.firstBad),
    casesInDb,
  };
}

// ---------------------------------------------------------------------------------------------------------
// One run (over HTTP against lrw serve, or direct) and the report

interface RunFigures {
  seconds: number;
  desktops: number;
  requests: number;
  requestsPerSec: number;
  actions: Record<string, { n: number; p50: number | null; p95: number | null; p99: number | null; ok: number; expectedRefusals: number }>;
  serverErrors: number;
  serverErrorExamples: string[];
  unexpectedRefusals: Record<string, number>;
  unexpectedRefusalExamples: Record<string, string>;
  rateLimited: number;
  inDoubt: Record<string, number>;
  inDoubtSubmitsFoundStored: number;
  inDoubtSubmitsSentAgain: number;
  retriesWhileDown: number;
  reSignIns: number;
}

function figures(s: Shared, seconds: number): RunFigures {
  const st = s.stats;
  const actions: RunFigures['actions'] = {};
  let requests = 0;
  for (const [ch, xs] of [...st.latency.entries()].sort()) {
    if (ch !== 'auth.signIn') requests += xs.length;
    actions[ch] = { n: xs.length, p50: r1(pct(xs, 50)), p95: r1(pct(xs, 95)), p99: r1(pct(xs, 99)), ok: st.ok.get(ch) ?? 0, expectedRefusals: st.expected.get(ch) ?? 0 };
  }
  return {
    seconds,
    desktops: DESKTOPS,
    requests,
    requestsPerSec: Math.round((requests / seconds) * 10) / 10,
    actions,
    serverErrors: st.serverErrors.length,
    serverErrorExamples: st.serverErrors.slice(0, 10).map((e) => `${e.channel}: ${e.what}`),
    unexpectedRefusals: Object.fromEntries(st.unexpected),
    unexpectedRefusalExamples: Object.fromEntries(st.firstUnexpected),
    rateLimited: st.rateLimited,
    inDoubt: Object.fromEntries(st.inDoubt),
    inDoubtSubmitsFoundStored: st.inDoubtCommitted,
    inDoubtSubmitsSentAgain: st.inDoubtRedone,
    retriesWhileDown: st.unavailableRetries,
    reSignIns: st.reSignIns,
  };
}

/** All desks sign in (timed apart), then walk the workflow for `seconds`; `during` runs beside the walk (the kill). */
async function walk(
  accounts: Account[],
  transport: (a: Account, s: Shared) => Transport,
  seconds: number,
  during?: (s: Shared) => Promise<void>,
): Promise<{ shared: Shared; ms: number; signInPhaseMs: number }> {
  const shared: Shared = { acks: [], caseIds: [], stats: new Stats(), start: 0, end: Date.now() + 600_000, down: { since: null }, windows: [], aborted: false, lastAnswer: new Map() };
  const desks = accounts.map((a, k) => new Desktop(a, accounts, transport(a, shared), shared, k + 1));
  const abandon = (err: unknown) => {
    shared.aborted = true;
    throw err;
  };
  const s0 = performance.now();
  await Promise.all(desks.map((d) => d.signInFirst(Date.now() + 300_000).catch(abandon)));
  const signInPhaseMs = performance.now() - s0;
  shared.start = Date.now();
  shared.end = shared.start + seconds * 1000;
  const t0 = performance.now();
  await Promise.all([...desks.map((d) => d.run().catch(abandon)), during?.(shared).catch(abandon)]);
  return { shared, ms: performance.now() - t0, signInPhaseMs };
}

function printTable(title: string, server: RunFigures, direct: RunFigures | null, serverMs?: Map<string, number[]>) {
  log(`  ${title}`);
  log(`  ${'action'.padEnd(18)} ${'n'.padStart(6)} ${'p50'.padStart(7)} ${'p95'.padStart(7)} ${'p99'.padStart(7)}  ${'srv p50'.padStart(7)} ${'srv p95'.padStart(7)}  ${'direct p50'.padStart(10)} ${'p95'.padStart(7)}  ${'p95 ratio'.padStart(9)}`);
  const f = (x: number | null | undefined) => (x === null || x === undefined ? '—' : x.toFixed(1));
  const rows = Object.keys(server.actions).sort((a, b) => Number(APART.has(a)) - Number(APART.has(b)) || a.localeCompare(b));
  let apartShown = false;
  for (const ch of rows) {
    if (APART.has(ch) && !apartShown) {
      log('  -- reported apart (sign-in hashes the password by design; issuing a review; cases.byNo: looking up a submission whose answer was lost in the kill) --');
      apartShown = true;
    }
    const a = server.actions[ch];
    const d = direct?.actions[ch];
    const sm = serverMs?.get(ch) ?? [];
    const ratio = a.p95 && d?.p95 ? `${(a.p95 / d.p95).toFixed(2)}×` : '—';
    log(`  ${ch.padEnd(18)} ${String(a.n).padStart(6)} ${f(a.p50).padStart(7)} ${f(a.p95).padStart(7)} ${f(a.p99).padStart(7)}  ${f(r1(pct(sm, 50))).padStart(7)} ${f(r1(pct(sm, 95))).padStart(7)}  ${f(d?.p50).padStart(10)} ${f(d?.p95).padStart(7)}  ${ratio.padStart(9)}`);
  }
}

export async function benchServer(): Promise<Record<string, unknown>> {
  log(`\n== server: ${DESKTOPS} simulated desktops for ${SECONDS} s against lrw serve on PostgreSQL (loopback), SIGKILL at ${KILL_AT ? `${Math.round(KILL_AT * 100)}%` : 'never'}; baseline: the same walk through dispatch for ${BASELINE_SECONDS} s`);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lrw-bench-server-'));
  // Interrupted (Ctrl-C, SIGTERM to this bench): stop what it started, by PID, before leaving.
  const onSignal = (sig: NodeJS.Signals) => {
    for (const c of children) if (c.pid && c.exitCode === null && c.signalCode === null) process.kill(c.pid, lastResort(c));
    fs.rmSync(tmp, { recursive: true, force: true });
    process.exit(sig === 'SIGINT' ? 130 : 143);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const cleanups: (() => Promise<void>)[] = [];
  let cluster: PgCluster | null = null;
  try {
    try {
      cluster = await postgres();
    } catch (err) {
      // No PostgreSQL here: the other sections of `npm run bench` still run and keep their figures.
      log(`  server benchmark unavailable: ${(err as Error).message}`);
      return { unavailable: (err as Error).message };
    }
    const pgc = cluster;
    log(`  PostgreSQL: ${pgc.own ? 'throw-away cluster (scripts/with-postgres.sh)' : 'the server in LRW_PG_ADMIN_URL'}`);
    await ensureCliBuilt();
    const roles = desktopRoles(DESKTOPS);
    const mix = (['handler', 'reviewer', 'head', 'reader'] as DeskRole[]).map((r) => `${roles.filter((x) => x === r).length} ${r}s`).join(', ');
    log(`  desktops: ${mix}; think time ${THINK_MS} ms (0.5–1.5×); at most ${OPEN_CASES} open cases per handler`);

    // One store set up once (agency, accounts, record-signing key); each part works on a copy of it.
    const tplName = `lrw_bench_tpl_${process.pid}`;
    const tpl = await freshDatabase(pgc.adminUrl, tplName);
    cleanups.push(tpl.drop);
    const filesT = path.join(tmp, 'files-template');
    const keyT = path.join(tmp, 'record-template.key');
    const accounts = await initStore(tpl.url, filesT, keyT);
    const copyStore = async (part: string) => {
      const d = await freshDatabase(pgc.adminUrl, `lrw_bench_${part}_${process.pid}`, tplName);
      cleanups.push(d.drop);
      const filesDir = path.join(tmp, `files-${part}`);
      if (fs.existsSync(filesT)) fs.cpSync(filesT, filesDir, { recursive: true });
      const keyFile = path.join(tmp, `record-${part}.key`);
      fs.copyFileSync(keyT, keyFile);
      fs.chmodSync(keyFile, 0o600);
      return { url: d.url, filesDir, keyFile };
    };

    // ---- baseline: the core directly
    let direct: { figures: RunFigures; verification: Verification; signInPhaseMs: number } | null = null;
    if (BASELINE_SECONDS > 0) {
      const { url: dbdUrl, filesDir: filesD, keyFile: keyD } = await copyStore('direct');
      const dbd = { url: dbdUrl };
      const core = await openCore({ dbPath: dbd.url, filesDir: filesD, secrets: new MemorySecretStore(), recordKeyFile: keyD });
      let run;
      try {
        run = await walk(accounts, () => new DirectTransport(core), BASELINE_SECONDS);
      } finally {
        await closeCore(core);
      }
      direct = { figures: figures(run.shared, run.ms / 1000), verification: await verify(dbd.url, filesD, keyD, run.shared.acks), signInPhaseMs: Math.round(run.signInPhaseMs) };
      log(`  baseline done: ${direct.figures.requests} requests (${direct.figures.requestsPerSec}/s), ${run.shared.acks.length} acknowledged writes`);
    }

    // ---- the server
    const { url: dbsUrl, filesDir: filesS, keyFile: keyS } = await copyStore('server');
    const dbs = { url: dbsUrl };
    const port = await freePort();
    const serverMs = new Map<string, number[]>();
    let proc = await startLrwServe(dbs.url, filesS, keyS, port, serverMs);
    cleanups.push(async () => stopChild(proc.child));
    const base = `http://127.0.0.1:${port}`;
    log(`  lrw serve (PID ${proc.child.pid}) listening on ${base}`);
    let kill: { atSecond: number; killedPid: number; restartedPid: number; downMs: number; inFlightLost: number; restartedAt: number; desktopsAnsweredAfterRestart: number } | null = null;
    const run = await walk(accounts, (_a, s) => new HttpTransport(base, s), SECONDS, async (s) => {
      if (!KILL_AT) return;
      await sleep(SECONDS * 1000 * KILL_AT);
      const killedPid = proc.child.pid!;
      const inDoubtBefore = [...s.stats.inDoubt.values()].reduce((n, x) => n + x, 0);
      const from = Date.now();
      s.down.since = from;
      process.kill(killedPid, 'SIGKILL');
      await exited(proc.child);
      proc = await startLrwServe(dbs.url, filesS, keyS, port, serverMs);
      const to = Date.now();
      s.windows.push({ from, to });
      s.down.since = null;
      await sleep(2000); // answers lost in the kill arrive as errors shortly after
      kill = { atSecond: Math.round((from - s.start) / 100) / 10, killedPid, restartedPid: proc.child.pid!, downMs: to - from, inFlightLost: [...s.stats.inDoubt.values()].reduce((n, x) => n + x, 0) - inDoubtBefore, restartedAt: to, desktopsAnsweredAfterRestart: 0 };
      log(`  SIGKILL lrw serve (PID ${killedPid}) at ${kill.atSecond} s; restarted (PID ${kill.restartedPid}) after ${kill.downMs} ms`);
    });
    const serverFigures = figures(run.shared, run.ms / 1000);
    const killed = kill as { restartedAt: number; desktopsAnsweredAfterRestart: number } | null;
    if (killed) killed.desktopsAnsweredAfterRestart = [...run.shared.lastAnswer.values()].filter((t) => t > killed.restartedAt).length;
    await stopChild(proc.child);
    const verification = await verify(dbs.url, filesS, keyS, run.shared.acks);

    // ---- report
    log('');
    printTable('latency in ms, client side over HTTP (srv: the server\'s own time from its access log); direct: dispatch in-process', serverFigures, direct?.figures ?? null, serverMs);
    const perAction = Object.entries(serverFigures.actions).filter(([ch]) => !APART.has(ch));
    const worst = perAction.reduce((m, [ch, a]) => ((a.p95 ?? 0) > m.p95 ? { ch, p95: a.p95 ?? 0 } : m), { ch: '', p95: 0 });
    // No figures for a step of the walk (e.g. the machine too slow for the time given): the goal is not shown as met.
    const walked = ['cases.submit', 'reviews.take', 'reviews.issue', 'approvals.decide'].filter((ch) => !serverFigures.actions[ch]?.ok);
    const goal = {
      lostWrites: verification.lost,
      serverErrors: serverFigures.serverErrors,
      worstPerActionP95: worst,
      stepsWithoutData: walked,
      met: walked.length === 0 && verification.lost === 0 && serverFigures.serverErrors === 0 && worst.p95 <= GOAL_P95_MS && verification.chainOk,
    };
    log('');
    log(`  acknowledged writes: ${run.shared.acks.length} (${Math.round((run.shared.acks.length / (run.ms / 1000)) * 10) / 10}/s: ${Object.entries(verification.acknowledged).map(([k, v]) => `${k} ${v}`).join(', ')}); lost: ${verification.lost}${verification.lostExamples.length ? ` (${verification.lostExamples.join('; ')})` : ''}`);
    log(`  audit chain: ${verification.chainOk ? 'verifies' : `FAILS ${verification.chainProblem}`} (${verification.chainEvents} events); cases in the database: ${verification.casesInDb}`);
    log(`  server errors: ${serverFigures.serverErrors}${serverFigures.serverErrorExamples.length ? ` (${serverFigures.serverErrorExamples.join('; ')})` : ''}; rate limited: ${serverFigures.rateLimited}`);
    log(`  expected refusals (races; look-ups after a lost answer): ${Object.entries(serverFigures.actions).filter(([, a]) => a.expectedRefusals).map(([ch, a]) => `${ch} ${a.expectedRefusals}`).join(', ') || 'none'}`);
    log(`  unexpected refusals: ${Object.entries(serverFigures.unexpectedRefusals).map(([k, v]) => `${k} ${v} (“${serverFigures.unexpectedRefusalExamples[k]}”)`).join('; ') || 'none'}`);
    if (kill) {
      const k = kill as { downMs: number; inFlightLost: number; desktopsAnsweredAfterRestart: number };
      log(`  the kill: down ${k.downMs} ms (SIGKILL to listening again); desktops answered after the restart ${k.desktopsAnsweredAfterRestart}/${DESKTOPS}; answers lost in flight ${k.inFlightLost} (${Object.entries(serverFigures.inDoubt).map(([c, n]) => `${c} ${n}`).join(', ') || '—'}); submits found stored afterwards ${serverFigures.inDoubtSubmitsFoundStored}, sent again ${serverFigures.inDoubtSubmitsSentAgain}; refused connections retried ${serverFigures.retriesWhileDown}; re-sign-ins ${serverFigures.reSignIns}`);
    }
    if (direct) log(`  baseline (direct): lost ${direct.verification.lost}, chain ${direct.verification.chainOk ? 'verifies' : 'FAILS'}, errors ${direct.figures.serverErrors}, unexpected refusals ${Object.values(direct.figures.unexpectedRefusals).reduce((n, x) => n + x, 0)}`);
    if (walked.length) log(`  NO DATA: no acknowledged ${walked.join(', ')} in ${SECONDS} s — the run was too short or the machine too busy for the walk`);
    log(`  sign-in phase (all ${DESKTOPS} desks at once, before the clock): ${Math.round(run.signInPhaseMs)} ms over HTTP${direct ? `, ${direct.signInPhaseMs} ms direct` : ''}`);
    log(`  goal (0 lost writes, 0 server errors, p95 ≤ ${GOAL_P95_MS} ms per action): ${goal.met ? 'met' : 'NOT met'} — worst per-action p95 ${worst.p95} ms (${worst.ch}), ${serverFigures.requestsPerSec} requests/s`);

    const ratios: Record<string, { p50: number | null; p95: number | null }> = {};
    if (direct) {
      for (const [ch, a] of Object.entries(serverFigures.actions)) {
        const d = direct.figures.actions[ch];
        ratios[ch] = { p50: a.p50 && d?.p50 ? r1(a.p50 / d.p50) : null, p95: a.p95 && d?.p95 ? r1(a.p95 / d.p95) : null };
      }
    }
    const srvSide: Record<string, { p50: number | null; p95: number | null; n: number }> = {};
    for (const [ch, xs] of serverMs) srvSide[ch] = { n: xs.length, p50: r1(pct(xs, 50)), p95: r1(pct(xs, 95)) };
    return {
      engine: 'postgres',
      desktops: DESKTOPS,
      roles: Object.fromEntries((['handler', 'reviewer', 'head', 'reader'] as DeskRole[]).map((r) => [r, roles.filter((x) => x === r).length])),
      thinkMs: THINK_MS,
      openCasesPerHandler: OPEN_CASES,
      goal,
      server: { ...serverFigures, signInPhaseMs: Math.round(run.signInPhaseMs), verification, kill, serverSideMs: srvSide },
      direct: direct ? { ...direct.figures, signInPhaseMs: direct.signInPhaseMs, verification: direct.verification } : null,
      ratioServerToDirect: ratios,
      note: 'Client-side latency over loopback HTTP (bearer tokens) against `node bin/lrw.js serve` on PostgreSQL; direct = the same walk through dispatch in this process. Sign-in and reviews.issue are reported apart. documents.issue (rendering and signing a decision) is not part of the walk.',
    };
  } finally {
    for (const c of cleanups.reverse()) await c().catch((err) => log(`  cleanup: ${(err as Error).message}`));
    await cluster?.stop().catch((err) => log(`  stopping PostgreSQL: ${(err as Error).message}`));
    fs.rmSync(tmp, { recursive: true, force: true });
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
