// Online backup: SQLite's backup API copies a consistent snapshot while the app may be writing;
// attachments are immutable files, so copying the ones not yet in the target is enough.
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../domain/errors';
import type { Core } from './core';

export async function backupTo(core: Core, target: string): Promise<{ dbFile: string; filesDir: string; files: number }> {
  const dbFile = path.resolve(target);
  if (path.resolve(core.dbPath) === dbFile) throw new AppError('VALIDATION', '备份目标不能是当前数据库文件。');
  if (fs.existsSync(dbFile)) throw new AppError('CONFLICT', `备份文件“${dbFile}”已存在，请换一个文件名。`);
  fs.mkdirSync(path.dirname(dbFile), { recursive: true });
  await core.db.backup(dbFile);
  const filesDir = `${dbFile}-files`;
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
  return { dbFile, filesDir, files };
}
