// The store handle every repository takes first: one asynchronous interface over two engines.
// SQL is written once, in the subset SQLite and PostgreSQL share, with `?` (positional) or `@name`
// (named) placeholders; the PostgreSQL driver rewrites them to `$n` once per statement text and keeps
// the statement prepared. Inside `tx`, every call made through the same handle from that async
// context runs in the transaction (AsyncLocalStorage), so services keep passing `core.db` around.

export type Engine = 'sqlite' | 'postgres';

/**
 * Run by every write transaction as it begins: whatever the record journal already holds was written
 * outside any event (see migration 010), and the next event will say so. Except a checkpoint: it is
 * written after its event (it signs that event's hash) and vouched for by the next one.
 */
export const MARK_OUTSIDE = "UPDATE chain_pending SET outside = 1 WHERE outside = 0 AND tbl <> 'checkpoints'";
export type Params = readonly unknown[] | Record<string, unknown>;

export interface Store {
  readonly engine: Engine;
  /** Where the data lives, for messages: a file path or a URL without its password. */
  readonly location: string;
  all<T = Record<string, unknown>>(sql: string, params?: Params): Promise<T[]>;
  get<T = Record<string, unknown>>(sql: string, params?: Params): Promise<T | undefined>;
  /** The first column of the first row (undefined when there is no row). */
  value<T = unknown>(sql: string, params?: Params): Promise<T | undefined>;
  /** The first column of every row. */
  column<T = unknown>(sql: string, params?: Params): Promise<T[]>;
  /** Runs a statement; resolves with the number of rows it changed. */
  run(sql: string, params?: Params): Promise<number>;
  /** Runs an INSERT into a table with an `id` column and resolves with the new id. */
  insert(sql: string, params?: Params): Promise<number>;
  /** Several statements without parameters (migrations, test set-up). */
  exec(sql: string): Promise<void>;
  /**
   * Runs fn in one write transaction: every write of a use case and its audit event land together
   * or not at all. Write transactions are serialised (SQLite: BEGIN IMMEDIATE; PostgreSQL: an
   * advisory lock on the chain head), so a use case sees what the one before it committed.
   * A tx inside a tx joins the outer one.
   */
  tx<T>(fn: () => Promise<T>): Promise<T>;
  /** True inside a transaction of this handle. */
  inTx(): boolean;
  /**
   * Runs one request on behalf of a user: on PostgreSQL on one connection that carries the user for
   * row-level security (null: nobody, so no case row is visible); on SQLite it just runs fn.
   */
  actingAs<T>(userId: number | null, fn: () => Promise<T>): Promise<T>;
  /** Changes the acting user of the request under way (after a sign-in). */
  setActingUser(userId: number | null): Promise<void>;
  /** True when the connected role may not write (PostgreSQL's reader role). */
  readOnly(): Promise<boolean>;
  /** The database role connected (PostgreSQL), or '' (SQLite). */
  role(): Promise<string>;
  /**
   * Runs fn on one consistent read-only snapshot of the whole store, on its own connection, so a
   * long read (verification) neither blocks writers nor sees half of a later write. Row-level
   * security does not apply to what it reads through lrw_record_rows (PostgreSQL).
   */
  snapshot<T>(fn: (read: SnapshotReader) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface SnapshotReader {
  /** The rows of a parameterless query as arrays of column values, a page at a time. */
  pages(sql: string, pageSize?: number): AsyncGenerator<unknown[][]>;
}

/**
 * Ids for `IN (…)` lists, in chunks whose length is a power of two (the last id repeated to fill one),
 * so the statement texts stay few (each is prepared once per PostgreSQL connection).
 */
export function idChunks(ids: readonly number[], max = 256): { marks: string; params: number[] }[] {
  const unique = [...new Set(ids)];
  const out: { marks: string; params: number[] }[] = [];
  for (let i = 0; i < unique.length; i += max) {
    const part = unique.slice(i, i + max);
    let n = 1;
    while (n < part.length) n *= 2;
    const params = [...part, ...Array<number>(n - part.length).fill(part[part.length - 1])];
    out.push({ marks: params.map(() => '?').join(','), params });
  }
  return out;
}

/** Rewrites `?` and `@name` placeholders to `$1…$n` (outside quotes), for PostgreSQL. */
export function toDollarParams(sql: string): { text: string; names: string[] | null } {
  let out = '';
  let n = 0;
  const names: string[] = [];
  let named = false;
  for (let i = 0; i < sql.length; i++) {
    const ch = sql[i];
    if (ch === "'" || ch === '"') {
      const end = sql.indexOf(ch, i + 1);
      const stop = end === -1 ? sql.length : end + 1;
      out += sql.slice(i, stop);
      i = stop - 1;
      continue;
    }
    if (ch === '?') {
      out += `$${++n}`;
      continue;
    }
    if (ch === '@' && /[A-Za-z_]/.test(sql[i + 1] ?? '')) {
      let j = i + 1;
      while (j < sql.length && /\w/.test(sql[j])) j++;
      const name = sql.slice(i + 1, j);
      named = true;
      let idx = names.indexOf(name);
      if (idx === -1) {
        names.push(name);
        idx = names.length - 1;
      }
      out += `$${idx + 1}`;
      i = j - 1;
      continue;
    }
    out += ch;
  }
  return { text: out, names: named ? names : null };
}
