// Crash and restore (issue 11, Tests): a child process writes through the real core (a stored file, then a
// case submitted with it) and is SIGKILLed mid-writes, several times; everything it acknowledged is there
// afterwards and the chain verifies; then the store is backed up, restored and verified again (on
// PostgreSQL the database part by pg_dump / pg_restore, the files part by lrw's restore).
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { closeCore, openCore, type Core } from '../../main/core/services/core';
import { verifyChain } from '../../main/core/services/audit';
import { backupTo } from '../../main/core/services/backup';
import { restoreFrom } from '../../main/core/services/restore';
import { MemorySecretStore } from '../../main/core/secrets';
import { makeFixture, ORG_CODE, tempDir } from '../helpers/fixture';
import { createPgDatabase, dropPgDatabase, onPostgres, uniqueDbName } from '../helpers/engine';

vi.setConfig({ testTimeout: 300_000, hookTimeout: 180_000 });

const WRITER = path.resolve('test/helpers/crash-writer.ts');

interface Ack {
  caseNo: string;
  sha256: string;
}

/** Runs the writer until it has acknowledged `after` writes (and a few ms more), then SIGKILLs it by its PID. */
function writeThenKill(args: object, after: number, extraMs: number): Promise<{ acks: Ack[]; signal: NodeJS.Signals | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', WRITER, JSON.stringify(args)], { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'pipe'] });
    const acks: Ack[] = [];
    let buf = '';
    let stderr = '';
    let killing = false;
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        const m = /^ack (\S+) ([0-9a-f]{64})$/.exec(line);
        // An acknowledgement that arrives before the kill lands counts: it was committed.
        if (m) acks.push({ caseNo: m[1], sha256: m[2] });
        if (acks.length >= after && !killing) {
          killing = true;
          setTimeout(() => process.kill(child.pid!, 'SIGKILL'), extraMs);
        }
      }
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (signal !== 'SIGKILL') return reject(new Error(`writer ended by itself (code ${code}): ${stderr}`));
      resolve({ acks, signal, stderr });
    });
  });
}

async function assertAllThere(core: Core, acks: Ack[]): Promise<void> {
  const cases = new Set(await core.db.column<string>('SELECT case_no FROM cases'));
  const blobs = new Set(await core.db.column<string>('SELECT sha256 FROM blobs'));
  expect(acks.filter((a) => !cases.has(a.caseNo))).toEqual([]);
  expect(acks.filter((a) => !blobs.has(a.sha256) || !core.blobs.has(a.sha256))).toEqual([]);
  const v = await verifyChain(core);
  expect(v.ok, JSON.stringify(v)).toBe(true);
}

describe('crash during writes, then backup, restore and verify', () => {
  it('loses nothing acknowledged across SIGKILLs, and the restored store verifies', async () => {
    const f = await makeFixture();
    const dbPath = f.dbPath;
    const filesDir = f.core.blobs.root;
    await closeCore(f.core);
    const out = tempDir('lrw-crash-');
    const secrets = new MemorySecretStore();
    try {
      const acks: Ack[] = [];
      const kills = 4;
      for (let round = 0; round < kills; round++) {
        const r = await writeThenKill({ dbPath, filesDir, prefix: `某市监罚立R${round}`, orgCode: ORG_CODE }, 8 + round * 5, round * 7);
        expect(r.signal).toBe('SIGKILL');
        expect(r.acks.length).toBeGreaterThanOrEqual(8 + round * 5);
        acks.push(...r.acks);
      }
      expect(acks.length).toBeGreaterThanOrEqual(50);

      const core = await openCore({ dbPath, filesDir, secrets });
      try {
        await assertAllThere(core, acks);
        const backup = onPostgres ? path.join(out, 'pg-backup') : path.join(out, 'b', 'lrw-backup.sqlite');
        await backupTo(core, backup);
        if (!onPostgres) {
          const target = path.join(out, 'r', 'restored.sqlite');
          const r = await restoreFrom({ from: backup, to: target, secrets });
          expect(r.verify.ok).toBe(true);
          const restored = await openCore({ dbPath: target, secrets });
          try {
            await assertAllThere(restored, acks);
          } finally {
            await closeCore(restored);
          }
        } else {
          const dump = path.join(out, 'lrw.dump');
          execFileSync('pg_dump', ['--format=custom', `--file=${dump}`, dbPath]);
          const name = uniqueDbName('lrw_crash_restored');
          const url = await createPgDatabase(name);
          try {
            execFileSync('pg_restore', ['--no-owner', '--exit-on-error', '-d', url, dump], { stdio: 'pipe' });
            const restoredFiles = path.join(out, 'restored-files');
            const r = await restoreFrom({ from: backup, to: url, filesDir: restoredFiles, secrets });
            expect(r.verify.ok).toBe(true);
            const restored = await openCore({ dbPath: url, filesDir: restoredFiles, secrets });
            try {
              await assertAllThere(restored, acks);
            } finally {
              await closeCore(restored);
            }
          } finally {
            await dropPgDatabase(name);
          }
        }
      } finally {
        await closeCore(core);
      }
    } finally {
      if (onPostgres) await dropPgDatabase(new URL(dbPath).pathname.slice(1));
      fs.rmSync(f.dir, { recursive: true, force: true });
      fs.rmSync(out, { recursive: true, force: true });
    }
  });
});
