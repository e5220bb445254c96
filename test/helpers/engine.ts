// Which engine the integration tests run on: LRW_TEST_ENGINE=postgres runs every test that opens a
// store against the throw-away cluster scripts/with-postgres.sh starts (LRW_PG_URL, LRW_PG_ADMIN_URL);
// otherwise SQLite files in a temp dir.
import path from 'node:path';
import pg from 'pg';

export type TestEngine = 'sqlite' | 'postgres';
export const TEST_ENGINE: TestEngine = process.env.LRW_TEST_ENGINE === 'postgres' ? 'postgres' : 'sqlite';
export const onPostgres = TEST_ENGINE === 'postgres';

const adminUrl = (): string => {
  const url = process.env.LRW_PG_ADMIN_URL;
  if (!url) throw new Error('LRW_TEST_ENGINE=postgres needs LRW_PG_ADMIN_URL (run through scripts/with-postgres.sh)');
  return url;
};

/** The URL of database `name` on the test cluster. */
export function pgUrl(name: string): string {
  const u = new URL(adminUrl());
  u.pathname = `/${name}`;
  return u.toString();
}

let counter = 0;
/** A unique database name for this worker process. */
export const uniqueDbName = (prefix = 'lrw_t'): string => `${prefix}_${process.pid}_${++counter}_${Date.now() % 100000}`;

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: adminUrl() });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** Creates an empty database (or a copy of `template`) and returns its URL. */
export async function createPgDatabase(name: string, template?: string): Promise<string> {
  await admin(async (c) => {
    await c.query(`CREATE DATABASE "${name}"${template ? ` TEMPLATE "${template}"` : ''}`);
    if (!template) {
      const d = new pg.Client({ connectionString: pgUrl(name) });
      await d.connect();
      await d.query('CREATE EXTENSION IF NOT EXISTS pg_trgm').finally(() => d.end());
    }
  });
  return pgUrl(name);
}

export async function dropPgDatabase(name: string): Promise<void> {
  await admin((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
}

/** A fresh store target for tests that open their own core: a new file in dir, or a new database. */
export async function freshTarget(dir: string, file = 'lrw.sqlite'): Promise<{ target: string; filesDir: string; drop: () => Promise<void> }> {
  if (!onPostgres) return { target: path.join(dir, file), filesDir: `${path.join(dir, file)}-files`, drop: async () => {} };
  const name = uniqueDbName();
  const target = await createPgDatabase(name);
  return { target, filesDir: path.join(dir, `${name}-files`), drop: () => dropPgDatabase(name) };
}

/** The same database as the application's role (no UPDATE/DELETE on records, row-level security applies). */
export function asRole(url: string, role = 'lrw_app'): string {
  const u = new URL(url);
  u.username = role;
  return u.toString();
}
