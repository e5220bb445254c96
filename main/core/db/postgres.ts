// PostgreSQL engine: a pg pool behind the Store. Each statement text gets a name once, so every
// connection prepares it on first use and reuses it. Write transactions take one advisory lock (the
// chain head) first: they run one after another, as on SQLite, so a use case's checks see what the
// one before it committed, document numbers are never shared and the audit chain stays linear.
// Within one request (actingAs), a plain SELECT repeated with the same parameters is answered from
// what this request already read (the actor's row and roles, settings, the case's reviews…: a use case
// asks for them many times, and every round trip costs both processes CPU). The memo is dropped at
// every statement that is not a plain SELECT, when a transaction begins (after its lock: the checks
// inside read afresh) and ends, when the acting user changes, and when the request ends.
import { AsyncLocalStorage } from 'node:async_hooks';
import pg from 'pg';
import { AppError } from '../domain/errors';
import { MARK_OUTSIDE, toDollarParams, type Params, type SnapshotReader, type Store } from './store';

// COUNT(*) and SUM come back as int8/numeric; our values are far below 2^53.
pg.types.setTypeParser(20, (v) => Number(v));
pg.types.setTypeParser(1700, (v) => Number(v));

/** The advisory lock key of the chain head ("lrw" in ASCII). */
export const CHAIN_LOCK = 0x6c7277;

interface Prepared {
  name: string;
  text: string;
  names: string[] | null;
  /** A plain SELECT: nothing but a read, so a repeat within the request may be answered from the memo. */
  pure: boolean;
}

/** A SELECT that calls no function able to change anything or take a lock (see the memo above). */
const PURE_SELECT = /^\s*SELECT\b/i;
const NOT_PURE = /\b(FOR\s+(UPDATE|SHARE|NO\s+KEY|KEY)|INTO|nextval|setval|set_config|pg_advisory\w*|pg_notify|lo_\w+)\b/i;

/** What a request has read, by statement and parameters; null once the request is over. */
interface Memo {
  reads: Map<string, Promise<pg.QueryResult>> | null;
}

type Queryable = pg.Pool | pg.PoolClient;

/** One request's connection: the acting user is set on it, and a write transaction may be open. */
interface Context {
  client: pg.PoolClient;
  inTx: boolean;
  /** Statements of one connection go one after another (a service may fire several with Promise.all). */
  queue: { tail: Promise<unknown> };
  /** Repeated plain reads of this request (see the memo above); a transaction has its own. */
  memo: Memo;
}

const forget = (m: Memo | undefined): void => {
  m?.reads?.clear();
};

/** Each caller gets its own row objects: a service may change what it was given. */
const copyResult = (r: pg.QueryResult): pg.QueryResult => ({ ...r, rows: r.rows.map((row: unknown) => (Array.isArray(row) ? [...row] : { ...(row as object) })) });

/** A write transaction's start: BEGIN, the chain lock, and (for a role that writes) the journal marked. */
const BEGIN_WRITE = `BEGIN; SELECT pg_advisory_xact_lock(${CHAIN_LOCK}); ${MARK_OUTSIDE}`;
const BEGIN_READ_ROLE = `BEGIN; SELECT pg_advisory_xact_lock(${CHAIN_LOCK})`;

/** Row-level security reads the acting user from this setting (see migration 005). */
const ACTOR_SETTING = 'lrw.user_id';

export class PostgresStore implements Store {
  readonly engine = 'postgres' as const;
  readonly location: string;
  private readonly prepared = new Map<string, Prepared>();
  private readonly ctx = new AsyncLocalStorage<Context>();
  private writer: boolean | undefined;
  /**
   * The acting user each pooled connection carries for its session, as last set here ('' = nobody);
   * a connection not in the map (new, or a set that failed) is set before use.
   */
  private readonly actorOn = new WeakMap<pg.PoolClient, string>();

  constructor(readonly pool: pg.Pool, location: string) {
    this.location = location;
  }

  private prep(sql: string): Prepared {
    let p = this.prepared.get(sql);
    if (!p) {
      const { text, names } = toDollarParams(sql);
      p = { name: `lrw_${this.prepared.size + 1}`, text, names, pure: PURE_SELECT.test(text) && !NOT_PURE.test(text) };
      this.prepared.set(sql, p);
    }
    return p;
  }

  private conn(): Queryable {
    return this.ctx.getStore()?.client ?? this.pool;
  }

  private async query(sql: string, params?: Params, rowMode?: 'array'): Promise<pg.QueryResult> {
    const p = this.prep(sql);
    const values = params === undefined ? [] : Array.isArray(params) ? params : p.names ? p.names.map((n) => (params as Record<string, unknown>)[n]) : [];
    const config = { name: p.name, text: p.text, values: values.map(toPg), ...(rowMode && { rowMode }) };
    const c = this.ctx.getStore();
    try {
      if (!c) return await this.pool.query(config);
      const reads = c.memo.reads;
      let key: string | null = null;
      if (!p.pure) forget(c.memo);
      else if (reads) {
        key = memoKey(p.name, rowMode, config.values);
        const known = key === null ? undefined : reads.get(key);
        if (known) return copyResult(await known);
      }
      const run = c.queue.tail.then(() => c.client.query(config));
      c.queue.tail = run.catch(() => undefined);
      if (key !== null && reads) {
        reads.set(key, run);
        run.catch(() => reads.delete(key!));
        return copyResult(await run);
      }
      return await run;
    } catch (err) {
      // The role's own privileges refused the statement (the reader role, or an append-only table).
      if ((err as { code?: string }).code === '42501') {
        throw new AppError('READ_ONLY_ROLE', `数据库拒绝了这次写入：当前数据库角色无此权限，未作任何修改。（${(err as Error).message}）`);
      }
      throw err;
    }
  }

  async all<T>(sql: string, params?: Params): Promise<T[]> {
    return (await this.query(sql, params)).rows as T[];
  }
  async get<T>(sql: string, params?: Params): Promise<T | undefined> {
    return (await this.query(sql, params)).rows[0] as T | undefined;
  }
  async value<T>(sql: string, params?: Params): Promise<T | undefined> {
    const r = await this.query(sql, params, 'array');
    return r.rows[0]?.[0] as T | undefined;
  }
  async column<T>(sql: string, params?: Params): Promise<T[]> {
    const r = await this.query(sql, params, 'array');
    return r.rows.map((row: unknown[]) => row[0] as T);
  }
  async run(sql: string, params?: Params): Promise<number> {
    return (await this.query(sql, params)).rowCount ?? 0;
  }
  async insert(sql: string, params?: Params): Promise<number> {
    const r = await this.query(`${sql} RETURNING id`, params, 'array');
    return Number(r.rows[0][0]);
  }
  async exec(sql: string): Promise<void> {
    forget(this.ctx.getStore()?.memo);
    await this.conn().query(sql);
  }
  inTx(): boolean {
    return this.ctx.getStore()?.inTx === true;
  }

  async tx<T>(fn: () => Promise<T>): Promise<T> {
    const outer = this.ctx.getStore();
    if (outer?.inTx) return fn();
    // Inside a request the transaction runs on the request's connection, with its acting user.
    const client = outer?.client ?? (await this.pool.connect());
    let broken = false;
    try {
      if (this.writer === undefined) {
        await client.query('BEGIN');
        await client.query('SELECT pg_advisory_xact_lock($1)', [CHAIN_LOCK]);
        // The reader role (copies, verification) may not write, not even this.
        this.writer = (await client.query("SELECT has_table_privilege(current_user, 'chain_pending', 'UPDATE') AS w")).rows[0].w === true;
        if (this.writer) await client.query(MARK_OUTSIDE);
      } else {
        // The same statements in one round trip (the lock is held from here to COMMIT: each trip counts).
        await client.query(this.writer ? BEGIN_WRITE : BEGIN_READ_ROLE);
      }
      // What the request read before the lock may have changed since: the transaction reads afresh.
      forget(outer?.memo);
      const memo: Memo = { reads: new Map() };
      try {
        const result = await this.ctx.run({ client, inTx: true, queue: outer?.queue ?? { tail: Promise.resolve() }, memo }, fn);
        await client.query('COMMIT');
        return result;
      } finally {
        memo.reads = null;
        forget(outer?.memo);
      }
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {
        broken = true;
      });
      throw err;
    } finally {
      if (!outer) client.release(broken);
    }
  }

  async actingAs<T>(userId: number | null, fn: () => Promise<T>): Promise<T> {
    if (this.ctx.getStore()) return fn();
    const client = await this.pool.connect();
    const actor = userId === null ? '' : String(userId);
    let broken = false;
    try {
      // A connection known to act for nobody already (as every connection is left) needs no statement for it.
      if (this.actorOn.get(client) !== actor) await this.setActor(client, actor);
      const memo: Memo = { reads: new Map() };
      try {
        return await this.ctx.run({ client, inTx: false, queue: { tail: Promise.resolve() }, memo }, fn);
      } finally {
        // Work the request left running (a background job) reads afresh.
        memo.reads = null;
      }
    } finally {
      // The pooled connection must not carry this user to the next request: back to nobody, or dropped.
      if (this.actorOn.get(client) !== '') {
        await this.setActor(client, '').catch(() => {
          broken = true;
        });
      }
      client.release(broken);
    }
  }

  /** Sets the connection's acting user for its session (not one transaction), and remembers it. */
  private async setActor(client: pg.PoolClient, actor: string): Promise<void> {
    this.actorOn.delete(client);
    await client.query('SELECT set_config($1, $2, false)', [ACTOR_SETTING, actor]);
    this.actorOn.set(client, actor);
  }

  async setActingUser(userId: number | null): Promise<void> {
    const c = this.ctx.getStore();
    if (!c) return;
    // Another user sees other rows: nothing read so far stands for them.
    forget(c.memo);
    const actor = userId === null ? '' : String(userId);
    // Inside a transaction the setting is local to it (it ends with it); outside, the session's.
    if (c.inTx) await c.client.query('SELECT set_config($1, $2, true)', [ACTOR_SETTING, actor]);
    else await this.setActor(c.client, actor);
  }

  async readOnly(): Promise<boolean> {
    return !(await this.value<boolean>("SELECT has_table_privilege(current_user, 'events', 'INSERT')"));
  }

  async role(): Promise<string> {
    return (await this.value<string>('SELECT current_user')) ?? '';
  }

  async snapshot<T>(fn: (read: SnapshotReader) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let broken = false;
    let n = 0;
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      return await fn({
        async *pages(sql: string, pageSize = 5000) {
          const cursor = `lrw_snap_${++n}`;
          await client.query(`DECLARE ${cursor} NO SCROLL CURSOR FOR ${sql}`);
          for (;;) {
            const r = await client.query({ text: `FETCH ${pageSize} FROM ${cursor}`, rowMode: 'array' });
            if (r.rows.length) yield r.rows as unknown[][];
            if (r.rows.length < pageSize) break;
          }
          await client.query(`CLOSE ${cursor}`);
        },
      });
    } finally {
      await client.query('ROLLBACK').catch(() => {
        broken = true;
      });
      client.release(broken);
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

/** The memo's key for a statement and its values; null when the values cannot be told apart safely. */
function memoKey(name: string, rowMode: string | undefined, values: unknown[]): string | null {
  let k = `${name}|${rowMode ?? ''}`;
  for (const v of values) {
    if (v === null || v === undefined) k += '|n';
    else if (typeof v === 'number') k += `|d${v}`;
    else if (typeof v === 'string') k += `|s${v.length}:${v}`;
    else return null;
  }
  return k;
}

/** SQLite takes numbers for booleans; so does our schema on PostgreSQL (INTEGER flags). */
const toPg = (v: unknown): unknown => (typeof v === 'boolean' ? (v ? 1 : 0) : v);

/** The URL without its password, for messages and logs. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://…';
  }
}
