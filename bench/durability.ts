// The cost of durability (issue 11, point 7): SQLite runs in WAL mode with synchronous=FULL
// (main/core/db/open.ts), so every acknowledged commit has been fsynced to the WAL and survives a power
// cut, not only a killed process. synchronous=NORMAL would fsync only at checkpoints: a power cut may
// lose the last commits (never corrupt the file). Measured here side by side in one run, on the same
// disk, alternating FULL and NORMAL rounds on fresh stores so drift hits both alike:
//   a) realistic submissions through submitCase (bench/realistic.ts: the case, its submission, search
//      text and the chain event in one transaction), cases/s and commit latency p50/p95;
//   b) a stored file plus its event (storeFile: the file fsynced by the blob store, then one small
//      transaction), per second.
// Knobs: BENCH_DURABILITY_SECONDS (per round and mode, 5), BENCH_DURABILITY_ROUNDS (3), BENCH_DIR (where the
// stores go; default the OS temp dir — its file system is printed, as a tmpfs would make fsync free).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { closeCore, openCore, type Actor, type Core } from '../main/core/services/core';
import { setup } from '../main/core/services/setup';
import { createUser } from '../main/core/services/users';
import { submitCase } from '../main/core/services/cases';
import { storeFile } from '../main/core/services/uploads';
import type { SqliteStore } from '../main/core/db/sqlite';
import { MemorySecretStore } from '../main/core/secrets';
import { realisticCase } from './realistic';

const SECONDS = Number(process.env.BENCH_DURABILITY_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_DURABILITY_ROUNDS ?? 3);
const NOW = new Date('2026-11-23T02:00:00Z');
const PASSWORD = 'benchmark-pass';
type Mode = 'FULL' | 'NORMAL';

const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] : NaN;
};

/** The file system type holding `dir`, from /proc/mounts (Linux), else unknown. */
function fsType(dir: string): string {
  try {
    const real = fs.realpathSync(dir);
    let best = { mount: '', type: 'unknown' };
    for (const line of fs.readFileSync('/proc/mounts', 'utf8').split('\n')) {
      const [, mount, type] = line.split(' ');
      if (mount && (real === mount || real.startsWith(mount.endsWith('/') ? mount : `${mount}/`)) && mount.length >= best.mount.length) best = { mount, type };
    }
    return `${best.type} (${best.mount})`;
  } catch {
    return 'unknown';
  }
}

async function office(dir: string, mode: Mode): Promise<{ core: Core; handler: Actor; officer: Actor }> {
  const dbPath = path.join(dir, 'lrw.sqlite');
  const core = await openCore({ dbPath, now: () => NOW, secrets: new MemorySecretStore() });
  const admin = await setup(core, { agencyName: '连云港市市场监督管理局', docPrefix: '连市监罚', admin: { username: 'admin', displayName: '管理员', password: PASSWORD } });
  const mk = async (username: string, displayName: string) => {
    const u = await createUser(core, admin, { username, displayName, password: PASSWORD, roles: ['handler'], certNo: `执法${username}`, certExpiry: '2028-12-31' });
    return { id: u.id, username: u.username, displayName: u.displayName, roles: u.roles } as Actor;
  };
  const handler = await mk('handler', '王明');
  const officer = await mk('officer', '赵丽');
  // The core opens with FULL; NORMAL is set on this connection for the comparison only.
  const raw = (core.db as SqliteStore).raw;
  raw.pragma(`synchronous = ${mode}`);
  const actual = raw.pragma('synchronous', { simple: true });
  if (actual !== (mode === 'FULL' ? 2 : 1)) throw new Error(`synchronous is ${actual}, wanted ${mode}`);
  return { core, handler, officer };
}

interface RoundResult {
  cases: number;
  ms: number;
  latencies: number[];
  files: number;
  filesMs: number;
}

async function round(base: string, mode: Mode, r: number): Promise<RoundResult> {
  const dir = fs.mkdtempSync(path.join(base, `lrw-durability-${mode}-${r}-`));
  const o = await office(dir, mode);
  try {
    const latencies: number[] = [];
    const t0 = performance.now();
    let cases = 0;
    while (performance.now() - t0 < SECONDS * 1000) {
      const s = performance.now();
      await submitCase(o.core, o.handler, realisticCase(r * 100_000 + cases, [o.handler.id, o.officer.id]));
      latencies.push(performance.now() - s);
      cases++;
    }
    const ms = performance.now() - t0;
    const src = path.join(dir, 'attachment.txt');
    const t1 = performance.now();
    let files = 0;
    while (performance.now() - t1 < (SECONDS * 1000) / 2) {
      fs.writeFileSync(src, `现场检查笔录 第${files}份 ${'记录内容'.repeat(500)}`);
      await storeFile(o.core, o.handler, src, `笔录${files}.txt`);
      files++;
    }
    return { cases, ms, latencies, files, filesMs: performance.now() - t1 };
  } finally {
    await closeCore(o.core);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export async function benchDurability(): Promise<Record<string, unknown>> {
  const base = process.env.BENCH_DIR ? path.resolve(process.env.BENCH_DIR) : os.tmpdir();
  fs.mkdirSync(base, { recursive: true });
  const filesystem = fsType(base);
  console.log(`\n== durability: SQLite WAL, synchronous=FULL (what the app uses) vs NORMAL, ${ROUNDS} alternating rounds of ${SECONDS} s, on ${filesystem}`);
  const by: Record<Mode, RoundResult[]> = { FULL: [], NORMAL: [] };
  for (let r = 0; r < ROUNDS; r++) {
    for (const mode of (r % 2 === 0 ? ['FULL', 'NORMAL'] : ['NORMAL', 'FULL']) as Mode[]) by[mode].push(await round(base, mode, r));
  }
  const sum = (mode: Mode) => {
    const rs = by[mode];
    const cases = rs.reduce((n, x) => n + x.cases, 0);
    const ms = rs.reduce((n, x) => n + x.ms, 0);
    const lat = rs.flatMap((x) => x.latencies);
    const files = rs.reduce((n, x) => n + x.files, 0);
    const filesMs = rs.reduce((n, x) => n + x.filesMs, 0);
    return {
      casesPerSec: Math.round((cases / ms) * 1000 * 10) / 10,
      cases,
      commitP50Ms: Math.round(pct(lat, 50) * 100) / 100,
      commitP95Ms: Math.round(pct(lat, 95) * 100) / 100,
      storedFilesPerSec: Math.round((files / filesMs) * 1000 * 10) / 10,
      storedFiles: files,
    };
  };
  const full = sum('FULL');
  const normal = sum('NORMAL');
  const costPct = (a: number, b: number) => Math.round((1 - a / b) * 1000) / 10;
  const rows: [string, string, string, string][] = [
    ['submissions/s (submitCase)', String(full.casesPerSec), String(normal.casesPerSec), `${costPct(full.casesPerSec, normal.casesPerSec)}%`],
    ['commit p50 ms', String(full.commitP50Ms), String(normal.commitP50Ms), ''],
    ['commit p95 ms', String(full.commitP95Ms), String(normal.commitP95Ms), ''],
    ['stored files/s (storeFile)', String(full.storedFilesPerSec), String(normal.storedFilesPerSec), `${costPct(full.storedFilesPerSec, normal.storedFilesPerSec)}%`],
  ];
  console.log(`  ${'measure'.padEnd(28)}  ${'FULL'.padStart(8)}  ${'NORMAL'.padStart(8)}  cost of FULL`);
  for (const [a, b, c, d] of rows) console.log(`  ${a.padEnd(28)}  ${b.padStart(8)}  ${c.padStart(8)}  ${d}`);
  return {
    filesystem,
    seconds: SECONDS,
    rounds: ROUNDS,
    full,
    normal,
    fullCostPercent: { submissions: costPct(full.casesPerSec, normal.casesPerSec), storedFiles: costPct(full.storedFilesPerSec, normal.storedFilesPerSec) },
    note: 'FULL: every acknowledged commit is fsynced to the WAL (survives power loss). NORMAL: fsync at checkpoints only (a power cut may lose the last commits). The app uses FULL.',
  };
}
