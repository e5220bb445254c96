// Online backup: SQLite's backup API copies a consistent snapshot while the app may be writing;
// attachments are immutable files, so copying the ones not yet in the target is enough.
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../domain/errors';
import type { Core } from './core';
import type { SqliteStore } from '../db/sqlite';

/**
 * On SQLite the database file is copied too; on PostgreSQL only the file store is (the database is
 * the DBA's: `pg_dump`), and `database` says which.
 */
export async function backupTo(
  core: Core,
  target: string,
): Promise<{ dbFile: string; filesDir: string; files: number; database: 'copied' | 'pg_dump' }> {
  const dbFile = path.resolve(target);
  if (path.resolve(core.dbPath) === dbFile) throw new AppError('VALIDATION', '备份目标不能是当前数据库文件。');
  if (fs.existsSync(dbFile)) throw new AppError('CONFLICT', `备份文件“${dbFile}”已存在，请换一个文件名。`);
  fs.mkdirSync(path.dirname(dbFile), { recursive: true });
  if (core.db.engine === 'sqlite') await (core.db as SqliteStore).raw.backup(dbFile);
  const filesDir = core.db.engine === 'sqlite' ? `${dbFile}-files` : dbFile;
  let files = 0;
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      if (e.name === 'tmp') continue;
      const src = path.join(dir, e.name);
      const rel = path.relative(core.blobs.root, src);
      if (e.isDirectory()) walk(src);
      else {
        const dest = path.join(filesDir, rel);
        fs.mkdirSync(path.dirname(dest), { recursive: true });
        fs.copyFileSync(src, dest);
        files++;
      }
    }
  };
  walk(core.blobs.root);
  return { dbFile, filesDir, files, database: core.db.engine === 'sqlite' ? 'copied' : 'pg_dump' };
}
