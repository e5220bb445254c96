import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../domain/errors';
import { LATEST_VERSION, MIGRATIONS } from './migrations';

export type Db = Database.Database;

/** Opens (creating if needed) the database file, sets pragmas and applies pending migrations. */
export function openDb(file: string): Db {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  let db: Db;
  try {
    db = new Database(file);
  } catch (err) {
    throw new AppError('DB_OPEN_FAILED', `无法打开数据库文件“${file}”：${(err as Error).message}`);
  }
  try {
    // Check the version before any pragma writes to the file: a newer database is left byte-for-byte untouched.
    assertNotNewer(db);
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    db.pragma('synchronous = NORMAL');
    migrate(db);
  } catch (err) {
    db.close();
    if (err instanceof AppError) throw err;
    throw new AppError('DB_OPEN_FAILED', `数据库文件“${file}”无法使用：${(err as Error).message}`);
  }
  return db;
}

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

function assertNotNewer(db: Db): void {
  const current = schemaVersion(db);
  if (current > LATEST_VERSION) {
    throw new AppError(
      'DB_TOO_NEW',
      `数据库版本（${current}）高于本程序支持的版本（${LATEST_VERSION}），请升级法制审核工作台后再打开，数据未作任何修改。`,
    );
  }
}

export function migrate(db: Db): void {
  assertNotNewer(db);
  const current = schemaVersion(db);
  const pending = MIGRATIONS.filter((m) => m.version > current);
  if (pending.length === 0) return;
  db.transaction(() => {
    for (const m of pending) {
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version}`);
    }
  }).immediate();
}
