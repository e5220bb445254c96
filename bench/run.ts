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
  merged.figures = Object.entries(merged).flatMap(([section, v]) => {
    const s = v as { figures?: unknown[]; at?: string } | null;
    return section !== 'figures' && s && Array.isArray(s.figures) ? s.figures.map((f) => ({ ...(f as object), section, at: s.at })) : [];
  });
  fs.writeFileSync(RESULTS, `${JSON.stringify(merged, null, 2)}\n`);
  console.log(`\nbench: ${Object.keys(results).join(', ')} in ${((performance.now() - t0) / 1000).toFixed(0)} s; results written to ${path.relative(process.cwd(), RESULTS)}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
