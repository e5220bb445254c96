// A child process for the crash test (test/integration/crash-restore.test.ts): writes through the real
// core — a stored file and a case submitted with it, each in its own transactions — and prints
// "ack <caseNo> <sha256>" only after the write has committed. The test SIGKILLs it mid-writes.
// Usage: node --import tsx test/helpers/crash-writer.ts '<json: { dbPath, filesDir, handlerId, officerIds, prefix }>'
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openCore } from '../../main/core/services/core';
import { submitCase } from '../../main/core/services/cases';
import { storeFile } from '../../main/core/services/uploads';
import { toActor } from '../../main/core/services/auth';
import { getUserByUsername } from '../../main/core/db/repos/users';
import { MemorySecretStore } from '../../main/core/secrets';

interface Args {
  dbPath: string;
  filesDir: string;
  prefix: string;
  orgCode: string;
}

async function main(): Promise<void> {
  const a = JSON.parse(process.argv[2]) as Args;
  const core = await openCore({ dbPath: a.dbPath, filesDir: a.filesDir, secrets: new MemorySecretStore() });
  const handler = toActor((await getUserByUsername(core.db, 'handler'))!);
  const officer = toActor((await getUserByUsername(core.db, 'officer'))!);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lrw-crash-writer-'));
  process.stdout.write('ready\n');
  for (let i = 0; ; i++) {
    const caseNo = `${a.prefix}〔2026〕${1000 + i}号`;
    const src = path.join(tmp, `${i}.txt`);
    fs.writeFileSync(src, `现场检查笔录 ${caseNo} ${'记录'.repeat(200 + (i % 50))}`);
    const file = await storeFile(core, handler, src, `笔录${i}.txt`);
    await submitCase(core, handler, {
      caseNo,
      title: `某公司违法案${i}`,
      kind: 'penalty',
      catalogItem: 'penalty.fine_org',
      party: { type: 'organization', name: `某科技有限公司${i}`, idNumber: a.orgCode, address: '某市某区某路1号' },
      facts: `经查，当事人销售不合格产品（第${i}批）。`,
      evidence: ['现场检查笔录'],
      legalBasis: [{ law: '中华人民共和国产品质量法', article: '第四十九条' }],
      proposedDecision: '没收违法所得，并处罚款',
      fineAmount: String(80000 + i),
      procedure: [
        { step: '立案', date: '2026-08-10' },
        { step: '调查取证', date: '2026-08-20' },
        { step: '告知', date: '2026-10-15' },
      ],
      officerIds: [handler.id, officer.id],
      attachments: [{ sha256: file.sha256, name: file.name }],
    });
    // Acknowledged only now: both transactions have committed.
    process.stdout.write(`ack ${caseNo} ${file.sha256}\n`);
  }
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
