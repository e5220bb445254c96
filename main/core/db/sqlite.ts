// SQLite engine: better-sqlite3 (synchronous) behind the asynchronous Store. Statements are prepared
// once per handle and reused. One connection: a transaction holds a queue lock, so another async
// caller's statements wait until it commits instead of landing inside it.
import { AsyncLocalStorage } from 'node:async_hooks';
import Database from 'better-sqlite3';
import { MARK_OUTSIDE, type Params, type SnapshotReader, type Store } from './store';

type Statement = Database.Statement;

export class SqliteStore implements Store {
  readonly engine = 'sqlite' as const;
  readonly location: string;
  private readonly cache = new Map<string, Statement>();
  private readonly ctx = new AsyncLocalStorage<object>();
  /** The transaction that owns the connection, and the callers waiting for it. */
  private owner: object | null = null;
  private waiters: (() => void)[] = [];

  constructor(readonly raw: Database.Database, location: string) {
    this.location = location;
  }

  private stmt(sql: string): Statement {
    let s = this.cache.get(sql);
    if (!s) {
      s = this.raw.prepare(sql);
      this.cache.set(sql, s);
    }
    return s;
  }

  /** Resolves when no other async context holds a transaction open on the connection. */
  private ready(): Promise<void> | null {
    if (this.owner === null || this.ctx.getStore() === this.owner) return null;
    return new Promise<void>((resolve) => this.waiters.push(resolve)).then(() => this.ready() ?? undefined);
  }

  private async call<T>(fn: () => T): Promise<T> {
    const wait = this.ready();
    if (wait) await wait;
    return fn();
  }

  all<T>(sql: string, params?: Params): Promise<T[]> {
    return this.call(() => bind(this.stmt(sql).pluck(false), params, 'all') as T[]);
  }
  get<T>(sql: string, params?: Params): Promise<T | undefined> {
    return this.call(() => bind(this.stmt(sql).pluck(false), params, 'get') as T | undefined);
  }
  value<T>(sql: string, params?: Params): Promise<T | undefined> {
    return this.call(() => bind(this.stmt(sql).pluck(true), params, 'get') as T | undefined);
  }
  column<T>(sql: string, params?: Params): Promise<T[]> {
    return this.call(() => bind(this.stmt(sql).pluck(true), params, 'all') as T[]);
  }
  run(sql: string, params?: Params): Promise<number> {
    return this.call(() => (bind(this.stmt(sql), params, 'run') as Database.RunResult).changes);
  }
  insert(sql: string, params?: Params): Promise<number> {
    return this.call(() => Number((bind(this.stmt(sql), params, 'run') as Database.RunResult).lastInsertRowid));
  }
  exec(sql: string): Promise<void> {
    return this.call(() => void this.raw.exec(sql));
  }
  inTx(): boolean {
    return this.owner !== null && this.ctx.getStore() === this.owner;
  }

  async tx<T>(fn: () => Promise<T>): Promise<T> {
    if (this.inTx()) return fn();
    while (this.owner !== null) await new Promise<void>((resolve) => this.waiters.push(resolve));
    const token = {};
    this.owner = token;
    try {
      this.stmt('BEGIN IMMEDIATE').run();
      try {
        this.markOutside();
        const result = await this.ctx.run(token, fn);
        this.stmt('COMMIT').run();
        return result;
      } catch (err) {
        if (this.raw.inTransaction) this.stmt('ROLLBACK').run();
        throw err;
      }
    } finally {
      this.owner = null;
      const w = this.waiters;
      this.waiters = [];
      for (const resolve of w) resolve();
    }
  }

  actingAs<T>(_userId: number | null, fn: () => Promise<T>): Promise<T> {
    return fn();
  }
  async setActingUser(): Promise<void> {}
  async readOnly(): Promise<boolean> {
    return this.raw.readonly;
  }
  async role(): Promise<string> {
    return '';
  }

  async snapshot<T>(fn: (read: SnapshotReader) => Promise<T>): Promise<T> {
    // A file: a second, read-only connection in one read transaction (WAL lets it read while the
    // app writes). In memory there is only this connection: read each query whole.
    if (this.raw.memory) return await fn(memoryReader(this));
    const conn = new Database(this.raw.name, { readonly: true, fileMustExist: true });
    try {
      conn.exec('BEGIN');
      return await fn({
        async *pages(sql: string, pageSize = 5000) {
          let batch: unknown[][] = [];
          for (const row of conn.prepare(sql).raw(true).iterate() as IterableIterator<unknown[]>) {
            batch.push(row);
            if (batch.length === pageSize) {
              yield batch;
              batch = [];
              // Let the process answer other callers (the app's IPC, progress polls) between pages.
              await new Promise<void>((resolve) => setImmediate(resolve));
            }
          }
          if (batch.length) yield batch;
        },
      });
    } finally {
      if (conn.inTransaction) conn.exec('COMMIT');
      conn.close();
    }
  }

  private markOutside(): void {
    try {
      this.stmt(MARK_OUTSIDE).run();
    } catch (err) {
      // A database opened without migrating (migrate: false) may predate the journal.
      if (!/no such table/.test((err as Error).message)) throw err;
    }
  }

  async close(): Promise<void> {
    this.cache.clear();
    if (this.raw.open) this.raw.close();
  }
}

function bind(s: Statement, params: Params | undefined, how: 'all' | 'get' | 'run'): unknown {
  if (params === undefined) return s[how]();
  return Array.isArray(params) ? s[how](...params) : s[how](params);
}

function memoryReader(store: SqliteStore): SnapshotReader {
  return {
    async *pages(sql: string) {
      const rows = await store.all<Record<string, unknown>>(sql);
      yield rows.map((r) => Object.values(r));
    },
  };
}
