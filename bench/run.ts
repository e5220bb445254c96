// `npm run bench`: speed and memory targets are measured here, never asserted in tests.
// Sections: search (100,000 short synthetic cases, SQLite), documents (render and sign), engines
// (SQLite and PostgreSQL on realistic cases; PostgreSQL only with LRW_PG_ADMIN_URL/LRW_PG_URL, e.g.
// `bash scripts/with-postgres.sh npm run bench`), signin (unknown vs known username timing, lockout;
// issue 10), records (verifying 1,000,000 events and their rows; issue 11), durability (SQLite
// synchronous=FULL vs NORMAL on realistic writes; issue 11). server (issue 14: 50 simulated desktops against `lrw serve` on
// PostgreSQL over loopback HTTP for BENCH_SERVER_SECONDS, the server SIGKILLed and restarted mid-run, every
// acknowledged write read back, the chain verified; a throw-away PostgreSQL unless LRW_PG_ADMIN_URL is given). BENCH_ONLY=engines (comma-separated) runs some of them.
// The figures are also written to bench/results.json (sections not run this time are kept from the last run;
// an engines run at a non-default BENCH_SEARCH_CASES is stored as engines_<N>).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchSearch } from './search';

const RESULTS = path.join(path.dirname(fileURLToPath(import.meta.url)), 'results.json');
const only = process.env.BENCH_ONLY?.split(',').map((s) => s.trim()).filter(Boolean);
const wanted = (name: string) => !only || only.includes(name);

async function main() {
  const t0 = performance.now();
  const results: Record<string, unknown> = {};
  const stamp = () => ({ at: new Date().toISOString(), node: process.version, platform: `${os.platform()} ${os.arch()}`, cpus: os.cpus().length, cpu: os.cpus()[0]?.model });
  if (wanted('search')) results.search = { ...stamp(), ...(await benchSearch()) };
  if (wanted('documents')) {
    try {
      const docs = await import('./documents');
      results.documents = { ...stamp(), ...(await docs.benchDocuments()) };
    } catch (err) {
      console.log(`documents benchmark unavailable: ${(err as Error).message}`);
      results.documents = { ...stamp(), unavailable: (err as Error).message };
    }
  }
  if (wanted('engines')) {
    const { benchEngines, DEFAULT_SEARCH_CASES, SEARCH_CASES } = await import('./engines');
    // A run at another N (BENCH_SEARCH_CASES) is kept beside the default one, e.g. engines_100000.
    results[SEARCH_CASES === DEFAULT_SEARCH_CASES ? 'engines' : `engines_${SEARCH_CASES}`] = { ...stamp(), ...(await benchEngines()) };
  }
  if (wanted('records')) {
    const { benchRecords } = await import('./records');
    results.records = { ...stamp(), ...(await benchRecords()) };
  }
  if (wanted('signin')) {
    const { benchSignin } = await import('./signin');
    results.signin = { ...stamp(), ...(await benchSignin()) };
  }
  if (wanted('durability')) {
    const { benchDurability } = await import('./durability');
    results.durability = { ...stamp(), ...(await benchDurability()) };
  }
  if (wanted('server')) {
    // A shorter or smaller run (BENCH_SERVER_SECONDS / BENCH_SERVER_DESKTOPS) is kept beside the default one.
    const { benchServer, SERVER_RESULTS_KEY } = await import('./server');
    results[SERVER_RESULTS_KEY] = { ...stamp(), ...(await benchServer()) };
  }
  let previous: Record<string, unknown> = {};
  try {
    previous = JSON.parse(fs.readFileSync(RESULTS, 'utf8')) as Record<string, unknown>;
  } catch {
    // first run, or an unreadable file: start afresh
  }
  const merged: Record<string, unknown> = { ...previous, ...results };
  // Every section's figures under stable names in one list ({ name, value, unit, baseline, ratio }), so
  // that a figure can be followed from one release to the next; each says which section and run it is from.
  merged.figures = [
    ...Object.entries(merged).flatMap(([section, v]) => {
      const s = v as { figures?: unknown[]; at?: string } | null;
      return section !== 'figures' && s && Array.isArray(s.figures) ? s.figures.map((f) => ({ ...(f as object), section, at: s.at })) : [];
    }),
    ...derivedFigures(merged),
  ];
  fs.writeFileSync(RESULTS, `${JSON.stringify(merged, null, 2)}\n`);
  console.log(`\nbench: ${Object.keys(results).join(', ')} in ${((performance.now() - t0) / 1000).toFixed(0)} s; results written to ${path.relative(process.cwd(), RESULTS)}`);
}

interface Fig {
  name: string;
  value: number;
  unit: 'ms' | '/s' | 'MB' | 'KB' | 'x';
  baseline?: string;
  ratio?: number;
  section: string;
  at?: string;
}

/** The stable names of the sections that keep their own shapes (engines, records, server), read from them. */
function derivedFigures(r: Record<string, unknown>): Fig[] {
  const out: Fig[] = [];
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);
  const push = (f: Omit<Fig, 'value'> & { value: unknown }) => {
    const value = num(f.value);
    if (value !== null) out.push({ ...f, value });
  };
  type Engines = {
    at?: string;
    submit?: Record<string, { perSec?: number }> & { bytes?: { fileBytesPerCase?: number } };
    search?: Record<string, { app?: Record<string, { p95?: number }>; likeScan?: Record<string, { p95?: number }> }>;
  };
  const e = r.engines as Engines | undefined;
  if (e) {
    const raw = e.submit?.rawSqlite?.perSec;
    push({ name: 'submit.per_s', value: e.submit?.sqlite?.perSec, unit: '/s', baseline: 'raw SQL inserts (rawSqlite)', ...(raw && e.submit?.sqlite?.perSec && { ratio: e.submit.sqlite.perSec / raw }), section: 'engines', at: e.at });
    push({ name: 'submit.per_s.postgres', value: e.submit?.postgres?.perSec, unit: '/s', section: 'engines', at: e.at });
    const bytes = e.submit?.bytes?.fileBytesPerCase;
    push({ name: 'case.bytes', value: bytes === undefined ? undefined : bytes / 1024, unit: 'KB', section: 'engines', at: e.at });
    for (const [engine, res] of Object.entries(e.search ?? {})) {
      const names: Record<string, string> = { '1 char': '1char', '2 chars': '2char', '3 chars': '3char', 'case number': 'caseno' };
      for (const [label, short] of Object.entries(names)) {
        const app = res?.app?.[label]?.p95;
        const like = res?.likeScan?.[label]?.p95;
        push({ name: `search.p95.${short}${engine === 'sqlite' ? '' : `.${engine}`}`, value: app, unit: 'ms', ...(like && { baseline: 'LIKE scan p95', ratio: like / app! }), section: 'engines', at: e.at });
      }
    }
  }
  const rec = r.records as { at?: string; verifySeconds?: number; boundSeconds?: number } | undefined;
  if (rec) push({ name: 'audit.verify.1m', value: (rec.verifySeconds ?? NaN) * 1000, unit: 'ms', baseline: 'hashing every event in memory (boundSeconds); goal 3 s', ...(rec.boundSeconds && rec.verifySeconds && { ratio: rec.verifySeconds / rec.boundSeconds }), section: 'records', at: rec.at });
  const srv = r.server as { at?: string; server?: { requestsPerSec?: number; actions?: Record<string, { p95?: number }> } } | undefined;
  if (srv?.server) {
    push({ name: 'server.requests.per_s', value: srv.server.requestsPerSec, unit: '/s', section: 'server', at: srv.at });
    for (const [action, a] of Object.entries(srv.server.actions ?? {})) push({ name: `server.p95.${action}`, value: a.p95, unit: 'ms', baseline: 'goal 100 ms', section: 'server', at: srv.at });
  }
  return out;
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
