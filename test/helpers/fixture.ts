// A real core on a real SQLite file in a temp directory, set up with one user per role.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openCore, closeCore, type Actor, type Core } from '../../main/core/services/core';
import { setup } from '../../main/core/services/setup';
import { createUser } from '../../main/core/services/users';
import { toActor } from '../../main/core/services/auth';
import { getUserByUsername } from '../../main/core/db/repos/users';
import { creditCodeCheck, residentIdCheck } from '../../main/core/domain/ids';
import type { FindingResult, Role } from '../../main/core/domain/types';
import type { Input } from '../../preload/contract';
import { MemorySecretStore } from '../../main/core/secrets';
import { createPgDatabase, dropPgDatabase, onPostgres, uniqueDbName } from './engine';

export const PASSWORD = 'Passw0rd!';
export const ORG_CODE = creditCodeCheck('91110105MA01ABCD1');
export const CITIZEN_ID = residentIdCheck('11010519800101123');

export function tempDir(prefix = 'lrw-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export interface Fixture {
  core: Core;
  dir: string;
  dbPath: string;
  admin: Actor;
  handler: Actor;
  officer: Actor;
  officer2: Actor;
  reviewer: Actor;
  reviewer2: Actor;
  legalHead: Actor;
  head: Actor;
  secretary: Actor;
  /** A fixed clock the test can move. */
  clock: { now: Date };
  close(): Promise<void>;
}

const USERS: [string, string, Role[], boolean][] = [
  ['handler', '张承办', ['handler'], true],
  ['officer', '李执法', ['handler'], true],
  ['officer2', '陈执法', ['handler'], true],
  ['reviewer', '王审核', ['reviewer'], false],
  ['reviewer2', '孙审核', ['reviewer'], false],
  ['legalhead', '周法制', ['legal_head'], false],
  ['head', '赵局长', ['agency_head'], false],
  ['secretary', '吴秘书', ['secretary'], false],
];

let template: string | null = null;
const templatePgName = `lrw_tpl_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;

/** Setting up users costs one scrypt hash each, so it is done once per test file and the file copied. */
async function templateDb(): Promise<string> {
  if (template) return template;
  const dir = tempDir('lrw-template-');
  const dbPath = onPostgres ? await createPgDatabase(templatePgName) : path.join(dir, 'lrw.sqlite');
  // A memory keychain: the template's record-signing private key is not kept, so every fixture store has a
  // public key whose private half no test core holds (tests that need one rotate: services/checkpoints.ts).
  const core = await openCore({ dbPath, filesDir: path.join(dir, 'files'), now: () => new Date('2026-11-01T02:00:00Z'), secrets: new MemorySecretStore() });
  const admin = await setup(core, {
    agencyName: '某市市场监督管理局',
    docPrefix: '某市监罚',
    admin: { username: 'admin', displayName: '管理员甲', password: PASSWORD },
  });
  for (const [username, displayName, roles, cert] of USERS) {
    await createUser(core, admin, {
      username,
      displayName,
      password: PASSWORD,
      roles,
      ...(cert && { certNo: `执法${username}`, certExpiry: '2028-12-31' }),
      ...(roles.includes('reviewer') && { qualificationNo: `A2020${username}` }),
    });
  }
  if (core.db.engine === 'sqlite') await core.db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
  await closeCore(core);
  template = dbPath;
  return dbPath;
}

export async function makeFixture(): Promise<Fixture> {
  const dir = tempDir();
  let dbPath = path.join(dir, 'lrw.sqlite');
  let pgName: string | null = null;
  if (onPostgres) {
    await templateDb();
    pgName = uniqueDbName();
    dbPath = await createPgDatabase(pgName, templatePgName);
  } else {
    fs.copyFileSync(await templateDb(), dbPath);
  }
  const clock = { now: new Date('2026-11-23T02:00:00Z') };
  const core = await openCore({ dbPath, filesDir: `${path.join(dir, 'lrw.sqlite')}-files`, now: () => clock.now, secrets: new MemorySecretStore() });
  const actor = async (username: string) => toActor((await getUserByUsername(core.db, username))!);
  const f: Fixture = {
    core,
    dir,
    dbPath,
    admin: await actor('admin'),
    handler: await actor('handler'),
    officer: await actor('officer'),
    officer2: await actor('officer2'),
    reviewer: await actor('reviewer'),
    reviewer2: await actor('reviewer2'),
    legalHead: await actor('legalhead'),
    head: await actor('head'),
    secretary: await actor('secretary'),
    clock,
    async close() {
      await closeCore(core);
      if (pgName) await dropPgDatabase(pgName);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  return f;
}

export function caseInput(f: Fixture, over: Partial<Input<'cases.submit'>> = {}): Input<'cases.submit'> {
  return {
    caseNo: '某市监罚立〔2026〕101号',
    title: '某科技有限公司销售不合格产品案',
    kind: 'penalty',
    catalogItem: 'penalty.fine_org',
    party: { type: 'organization', name: '某科技有限公司', idNumber: ORG_CODE, address: '某市某区某路1号' },
    facts: '经查，当事人于2026年8月销售不合格电热水壶共计320台，货值金额人民币四万元。',
    evidence: ['现场检查笔录', '抽样检验报告', '询问笔录'],
    legalBasis: [{ law: '中华人民共和国产品质量法', article: '第四十九条' }],
    proposedDecision: '没收违法所得，并处罚款',
    fineAmount: '80000',
    procedure: [
      { step: '立案', date: '2026-08-10' },
      { step: '调查取证', date: '2026-08-20' },
      { step: '告知', date: '2026-10-15' },
    ],
    officerIds: [f.handler.id, f.officer.id],
    attachments: [],
    ...over,
  };
}

export const allConform = (): { criterion: number; result: FindingResult; reason: string }[] =>
  Array.from({ length: 9 }, (_, i) => ({ criterion: i + 1, result: 'conform', reason: '' }));

/** Nine findings with criterion 4 (适用依据) not conforming: for 不同意 and 退回 opinions. */
export const defectFindings = (): { criterion: number; result: FindingResult; reason: string }[] => {
  const x = allConform();
  x[3] = { criterion: 4, result: 'nonconform', reason: '应适用第五十条而非第四十九条' };
  return x;
};

/** Two more agency heads (钱副局长, 郑副局长) for meetings. */
export async function extraHeads(f: Fixture): Promise<[Actor, Actor]> {
  const out: Actor[] = [];
  for (const [u, n] of [['head2', '钱副局长'], ['head3', '郑副局长']]) {
    await createUser(f.core, f.admin, { username: u, displayName: n, password: PASSWORD, roles: ['agency_head'] });
    out.push(toActor((await getUserByUsername(f.core.db, u))!));
  }
  return [out[0], out[1]];
}

/**
 * 送达 and 履行 of an approved decision, so that it may be closed (办结 needs the enforcement act
 * concluded): a direct service of the decision today and the party's performance the same day.
 */
export async function serveAndCarryOut(core: Core, handler: Actor, caseId: number): Promise<void> {
  const { recordService, recordExecution } = await import('../../main/core/services/enforcement');
  const { cstDate } = await import('../../main/core/domain/calendar/cst');
  const today = cstDate(core.now());
  await recordService(core, handler, { caseId, documentName: '行政处罚决定书', method: 'direct', recipient: '当事人', servedOn: today, server: '张承办', signer: '当事人本人' });
  await recordExecution(core, handler, { caseId, step: 'performed', onDate: today, text: '当事人已按决定履行。' });
}

/** A 档案管理员 (custodian) and a second one, created on demand (the shared template has none). */
export async function custodians(f: Fixture): Promise<[Actor, Actor]> {
  const out: Actor[] = [];
  for (const [u, n] of [['archivist', '郭档案'], ['archivist2', '何档案']]) {
    await createUser(f.core, f.admin, { username: u, displayName: n, password: PASSWORD, roles: ['custodian'] });
    out.push(toActor((await getUserByUsername(f.core.db, u))!));
  }
  return [out[0], out[1]];
}

/** A 评查人员 (inspector), created on demand. */
export async function inspector(f: Fixture): Promise<Actor> {
  await createUser(f.core, f.admin, { username: 'inspector', displayName: '冯评查', password: PASSWORD, roles: ['inspector'] });
  return toActor((await getUserByUsername(f.core.db, 'inspector'))!);
}
