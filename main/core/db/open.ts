// Opens the store named by a file path (SQLite, the default) or a postgres:// URL, refuses a
// database from a newer version untouched, and applies pending migrations.
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { AppError } from '../domain/errors';
import { LATEST_VERSION, MIGRATIONS } from './migrations';
import { APP_ROLE, applyGrants, READER_ROLE } from './grants';
import { CHAIN_LOCK, PostgresStore, redactUrl } from './postgres';
import { SqliteStore } from './sqlite';
import type { Store } from './store';

export type Db = Store;

export const isPostgresUrl = (target: string): boolean => /^postgres(ql)?:\/\//i.test(target);

/** A store target as messages show it: a file path, or a URL without its password. */
export const displayTarget = (target: string): string => (isPostgresUrl(target) ? redactUrl(target) : target);

export interface OpenOptions {
  /** Apply pending migrations (default). Off: a database behind this program is refused. */
  migrate?: boolean;
}

export async function openDb(target: string, opts: OpenOptions = {}): Promise<Store> {
  return isPostgresUrl(target) ? openPostgres(target, opts) : openSqlite(target, opts);
}

function openSqlite(file: string, opts: OpenOptions): Store {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  let raw: Database.Database;
  try {
    raw = new Database(file);
  } catch (err) {
    throw new AppError('DB_OPEN_FAILED', `无法打开数据库文件“${file}”：${(err as Error).message}`);
  }
  try {
    // Check the version before any pragma writes to the file: a newer database is left byte-for-byte untouched.
    assertNotNewer(raw.pragma('user_version', { simple: true }) as number);
    raw.pragma('journal_mode = WAL');
    raw.pragma('foreign_keys = ON');
    raw.pragma('busy_timeout = 5000');
    // Every acknowledged write survives a power cut: the record is legal evidence.
    raw.pragma('synchronous = FULL');
    if (opts.migrate !== false) migrateSqlite(raw);
  } catch (err) {
    raw.close();
    if (err instanceof AppError) throw err;
    throw new AppError('DB_OPEN_FAILED', `数据库文件“${file}”无法使用：${(err as Error).message}`);
  }
  return new SqliteStore(raw, file);
}

function migrateSqlite(raw: Database.Database): void {
  const current = raw.pragma('user_version', { simple: true }) as number;
  const pending = MIGRATIONS.filter((m) => m.version > current);
  if (pending.length === 0) return;
  raw.transaction(() => {
    for (const m of pending) {
      raw.exec(m.sqlite);
      raw.pragma(`user_version = ${m.version}`);
    }
  }).immediate();
}

async function openPostgres(url: string, opts: OpenOptions): Promise<Store> {
  const where = redactUrl(url);
  const pool = new pg.Pool({ connectionString: url, max: Number(process.env.LRW_PG_POOL ?? 10), application_name: 'lrw' });
  // An idle client's error (server restart) must not crash the process; the next query reports it.
  pool.on('error', () => {});
  try {
    const client = await pool.connect().catch((err: Error) => {
      throw new AppError('DB_OPEN_FAILED', `无法连接 PostgreSQL 数据库“${where}”：${err.message}`);
    });
    try {
      await client.query("SET client_min_messages = 'warning'");
      await client.query('CREATE TABLE IF NOT EXISTS lrw_schema (version INTEGER NOT NULL)').catch(() => {});
      const current = await pgVersion(client);
      assertNotNewer(current);
      if (current < LATEST_VERSION) {
        if (opts.migrate === false) {
          throw new AppError('DB_NEEDS_MIGRATION', `数据库“${where}”的版本（${current}）低于本程序（${LATEST_VERSION}），请由数据库属主执行 lrw db migrate。`);
        }
        await migratePostgres(client, where);
      }
    } finally {
      client.release();
    }
  } catch (err) {
    await pool.end().catch(() => {});
    if (err instanceof AppError) throw err;
    throw new AppError('DB_OPEN_FAILED', `PostgreSQL 数据库“${where}”无法使用：${(err as Error).message}`);
  }
  return new PostgresStore(pool, where);
}

async function pgVersion(client: pg.PoolClient): Promise<number> {
  const r = await client.query('SELECT MAX(version) AS v FROM lrw_schema');
  return Number(r.rows[0]?.v ?? 0);
}

async function migratePostgres(client: pg.PoolClient, where: string): Promise<void> {
  await client.query('BEGIN');
  try {
    // Two processes starting at once: the second waits, then finds nothing left to do.
    await client.query('SELECT pg_advisory_xact_lock($1)', [CHAIN_LOCK]);
    const current = await pgVersion(client);
    for (const m of MIGRATIONS.filter((x) => x.version > current)) {
      await client.query(m.postgres);
      await client.query('INSERT INTO lrw_schema (version) VALUES ($1)', [m.version]);
    }
    await applyGrants(client);
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    const e = err as { code?: string; message: string };
    if (e.code === '42501') {
      throw new AppError('DB_NEEDS_MIGRATION', `当前数据库角色无权升级“${where}”的表结构，请由数据库属主执行 lrw db migrate：${e.message}`);
    }
    throw err;
  }
}

/**
 * PostgreSQL: grants the application and reader roles their privileges on every table again (roles
 * created after the tables were). Returns the roles granted to; nothing on SQLite.
 */
export async function regrant(db: Store): Promise<string[]> {
  if (!(db instanceof PostgresStore)) return [];
  const client = await db.pool.connect();
  try {
    await applyGrants(client);
    const r = await client.query('SELECT rolname FROM pg_roles WHERE rolname = ANY($1)', [[APP_ROLE, READER_ROLE]]);
    return r.rows.map((x) => x.rolname as string);
  } finally {
    client.release();
  }
}

export async function schemaVersion(db: Store): Promise<number> {
  if (db.engine === 'sqlite') return (await db.value<number>('PRAGMA user_version')) ?? 0;
  return (await db.value<number>('SELECT MAX(version) FROM lrw_schema')) ?? 0;
}

function assertNotNewer(current: number): void {
  if (current > LATEST_VERSION) {
    throw new AppError(
      'DB_TOO_NEW',
      `数据库版本（${current}）高于本程序支持的版本（${LATEST_VERSION}），请升级法制审核工作台后再打开，数据未作任何修改。`,
    );
  }
}
