// Search at 100,000 cases: builds a database through the real repositories, then times queries.
import { currentCatalog } from '../main/core/db/repos/catalog';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openCore, closeCore } from '../main/core/services/core';
import { setup } from '../main/core/services/setup';
import { insertCase, searchCases, setSearchText } from '../main/core/db/repos/cases';

const N = Number(process.env.BENCH_CASES ?? 100_000);
const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗';
const GOODS = ['电热水壶', '儿童玩具', '食用油', '电动自行车', '化妆品', '保健食品', '建筑材料', '农药', '医疗器械', '燃气灶'];
const ACTS = ['销售不合格产品', '无证经营', '虚假宣传', '超范围经营', '未按规定标注', '使用过期原料'];

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

export async function benchSearch(): Promise<{ cases: number; buildMs: number; databaseBytes: number; queries: { label: string; medianMs: number; hits: number }[] }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lrw-bench-'));
  const core = await openCore({ dbPath: path.join(dir, 'bench.sqlite') });
  await setup(core, { agencyName: '基准测试局', docPrefix: '基准罚', admin: { username: 'admin', displayName: '管理员', password: 'benchmark-pass' } });
  const catalogVersion = (await currentCatalog(core.db))!.version;
  const t0 = performance.now();
  const at = new Date().toISOString();
  await core.db.tx(async () => {
    for (let i = 1; i <= N; i++) {
      const party = `${SURNAMES[i % SURNAMES.length]}${SURNAMES[(i * 7) % SURNAMES.length]}某${i % 3 === 0 ? '有限公司' : ''}`;
      const goods = GOODS[i % GOODS.length];
      const act = ACTS[(i * 3) % ACTS.length];
      const caseNo = `基准罚立〔2026〕${i}号`;
      const id = await insertCase(core.db, { case_no: caseNo, kind: 'penalty', title: `${party}${act}案`, party_name: party, handler_id: 1, catalog_version: catalogVersion, catalog_item: 'penalty.other' }, at);
      await setSearchText(core.db, id, [caseNo, party, `经查，当事人于2026年${(i % 12) + 1}月${act}，涉及${goods}共计${i % 500}件，货值金额${i % 90000}元。`, `第${(i % 9) + 1}项：证据链完整，裁量适当。`].join('\n'));
    }
  });
  const buildMs = performance.now() - t0;
  const queries: [string, string][] = [
    ['3+ characters, common (电热水壶)', '电热水壶'],
    ['3+ characters, rare (case number)', `基准罚立〔2026〕${Math.floor(N / 2)}号`],
    ['3+ characters, in findings (裁量适当)', '裁量适当'],
    ['2 characters (a name: 李赵)', '李赵'],
    ['no match', '不存在的内容'],
  ];
  const databaseBytes = fs.statSync(path.join(dir, 'bench.sqlite')).size;
  console.log(`search: ${N} cases built in ${(buildMs / 1000).toFixed(1)} s; database ${(databaseBytes / 1e6).toFixed(0)} MB`);
  const out: { label: string; medianMs: number; hits: number }[] = [];
  for (const [label, q] of queries) {
    const times: number[] = [];
    let total = 0;
    for (let k = 0; k < 15; k++) {
      const s = performance.now();
      total = (await searchCases(core.db, { query: q, limit: 50, offset: 0 })).total;
      times.push(performance.now() - s);
    }
    console.log(`  ${label.padEnd(40)} median ${median(times).toFixed(1).padStart(7)} ms  (${total} hits, first page of 50)`);
    out.push({ label, medianMs: median(times), hits: total });
  }
  await closeCore(core);
  fs.rmSync(dir, { recursive: true, force: true });
  return { cases: N, buildMs, databaseBytes, queries: out };
}
