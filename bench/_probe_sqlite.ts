import fs from 'node:fs'; import os from 'node:os'; import path from 'node:path';
import { openCore, closeCore } from '../main/core/services/core';
import { setup } from '../main/core/services/setup';
import { insertCase, setSearchText, searchCases } from '../main/core/db/repos/cases';
import { realisticCase, searchBodyOf } from './realistic';
const N = 40000;
async function main() {
  const bodies: string[] = []; const meta: ReturnType<typeof realisticCase>[] = [];
  for (let i = 0; i < N; i++) { const c = realisticCase(i, [2, 3]); meta.push(c); bodies.push(searchBodyOf(c)); }
  // candidate terms (3+ characters) and their exact counts
  const cands = new Set<string>();
  for (let i = 0; i < 3000; i++) { const t = meta[i].title; for (let a = 0; a + 4 <= t.length; a += 2) cands.add(t.slice(a, a + 4)); const p = meta[i].party.name; if (p.length >= 6) cands.add(p.slice(-6)); }
  const counted = [...cands].filter((t) => !/[0-9A-Z〔〕]/.test(t)).slice(0, 1500).map((t) => [t, bodies.reduce((n, b) => n + (b.includes(t) ? 1 : 0), 0)] as [string, number]);
  const pick = (target: number) => counted.reduce((best, x) => Math.abs(x[1] - target) < Math.abs(best[1] - target) ? x : best);
  const terms = [1050, 1500, 2500, 5000, 10000, 20000].map(pick);
  console.log('terms', terms);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lrw-sq-')); const file = path.join(dir, 's.sqlite');
  const core = await openCore({ dbPath: file, filesDir: dir + '/f' });
  await setup(core, { agencyName: '基准测试局', docPrefix: '基准罚', admin: { username: 'admin', displayName: '管理员', password: 'benchmark-pass' } });
  const base = Date.parse('2025-01-01T00:00:00Z');
  for (let s = 0; s < N; s += 5000) await core.db.tx(async () => { for (let i = s; i < s + 5000; i++) { const c = meta[i];
    const id = await insertCase(core.db, { case_no: c.caseNo, kind: c.kind, title: c.title, party_name: c.party.name, handler_id: 1, catalog_version: 1, catalog_item: c.catalogItem }, new Date(base + i * 60000).toISOString());
    await setSearchText(core.db, id, bodies[i]); } });
  const LIST = `SELECT c.*, h.display_name AS handler_name, r.display_name AS reviewer_name FROM cases c JOIN users h ON h.id = c.handler_id LEFT JOIN users r ON r.id = c.reviewer_id`;
  const old = async (q: string) => { const match = `"${q}"`; const w = 'WHERE c.id IN (SELECT rowid FROM case_search WHERE case_search MATCH @match)';
    const total = await core.db.value(`SELECT COUNT(*) FROM cases c ${w}`, { match }); await core.db.all(`${LIST} ${w} ORDER BY c.updated_at DESC, c.id DESC LIMIT 50`, { match }); return total; };
  const med = async (fn: () => Promise<unknown>) => { const ts: number[] = []; for (let k = 0; k < 3; k++) { const t = performance.now(); await fn(); ts.push(performance.now() - t); } return ts.sort((a, b) => a - b)[1]; };
  for (const [q, n] of terms) {
    const now = await med(() => searchCases(core.db, { query: q, limit: 50, offset: 0 }));
    const before = await med(() => old(q));
    console.log(`“${q}” ${n} hits of ${N}: searchCases (HEAD) ${now.toFixed(1)} ms; previous strategy (all MATCH ids, count + sort) ${before.toFixed(1)} ms`);
  }
  await closeCore(core); fs.rmSync(dir, { recursive: true, force: true });
}
main().catch(e=>{console.error(e);process.exit(1)});
