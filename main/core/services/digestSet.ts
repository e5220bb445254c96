// What a table holds, as one commitment: the fast path of verification on a large SQLite store. The
// main thread fills one set per table from the chain (the last digest each event gave each row) while
// the row worker fills another from the rows themselves; equal commitments mean equal sets, so the
// 2 million rows of a large store are compared without a map of Vouch objects or 2 million strings
// crossing threads. Any difference sends verification down the full path, which names the row.
// The class is plain JavaScript in a string so the worker (an eval'd source) and the main thread run
// the very same code: the two commitments can only agree if the same algorithm built both.
import { createHash, hash } from 'node:crypto';

export const DIGEST_SET_SOURCE = String.raw`
const DIGEST_SET_LIMIT = 1 << 24;
const CANONICAL_INT = /^(?:0|[1-9][0-9]{0,7})$/;
/** A key's integer when it is a plain small one (dense arrays are far cheaper than a Map), else -1. */
const smallInt = (s) => (CANONICAL_INT.test(s) ? (+s < DIGEST_SET_LIMIT ? +s : -1) : -1);
class DigestSet {
  constructor() { this.ints = []; this.pairs = []; this.other = new Map(); }
  /** key as the records column holds it (escaped); digest null when the row was removed. */
  set(key, digest) {
    const sep = key.indexOf('\u001f');
    if (sep < 0) {
      const n = smallInt(key);
      if (n >= 0) { this.ints[n] = digest; return; }
    } else if (key.indexOf('\u001f', sep + 1) < 0) {
      const a = smallInt(key.slice(0, sep));
      const b = smallInt(key.slice(sep + 1));
      if (a >= 0 && b >= 0 && b < 1024) { (this.pairs[a] || (this.pairs[a] = []))[b] = digest; return; }
    }
    this.other.set(key, digest);
  }
  /** SHA-256 over every live row's "key<TAB>digest" in a fixed order, and how many there are. */
  commit(createHash) {
    const h = createHash('sha256');
    let buf = '';
    let live = 0;
    const add = (line) => { buf += line; live++; if (buf.length > 65536) { h.update(buf); buf = ''; } };
    const ints = this.ints;
    for (let i = 0; i < ints.length; i++) { const d = ints[i]; if (d != null) add('I' + i + '\t' + d + '\n'); }
    const pairs = this.pairs;
    for (let a = 0; a < pairs.length; a++) {
      const inner = pairs[a];
      if (inner) for (let b = 0; b < inner.length; b++) { const d = inner[b]; if (d != null) add('P' + a + '\t' + b + '\t' + d + '\n'); }
    }
    for (const k of [...this.other.keys()].sort()) { const d = this.other.get(k); if (d != null) add('O' + k + '\t' + d + '\n'); }
    h.update(buf);
    return { commitment: h.digest('hex'), live };
  }
}
// The escaping of keys in the records column (domain/records.ts esc), repeated here for the worker.
const escKey = (s) => (/[\\\t\n]/.test(s) ? s.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n') : s);
/**
 * A table's rows (key columns, then the digest input: records.ts rowSql) into its set — false: no
 * answer. Bytes (a BLOB) are hashed as they are. Text came back as UTF-16 and hashing encodes it as
 * UTF-8 again: the same bytes exactly when the stored bytes were valid UTF-8, which a string without
 * U+FFFD proves (invalid bytes can read back as the very string a stored U+FFFD gives).
 */
function addRows(set, rows, keyColumns, hash, onRow) {
  for (const r of rows) {
    let key = String(r[0]);
    for (let i = 1; i < keyColumns; i++) key += '\u001f' + String(r[i]);
    const input = r[keyColumns];
    if (typeof input === 'string' ? input.indexOf('\ufffd') >= 0 : !(input instanceof Uint8Array)) return false;
    set.set(escKey(key), hash('sha256', input, 'base64'));
    onRow();
  }
  return true;
}
const UNDECODABLE = { commitment: 'undecodable', live: -1 };
function commitRows(rows, keyColumns, hash, createHash, onRow) {
  const set = new DigestSet();
  return addRows(set, rows, keyColumns, hash, onRow) ? set.commit(createHash) : UNDECODABLE;
}
`;

export interface DigestSet {
  set(key: string, digest: string | null): void;
  commit(makeHash: typeof createHash): Commitment;
}

export interface Commitment {
  commitment: string;
  live: number;
}

const shared = new Function(`${DIGEST_SET_SOURCE}\nreturn { DigestSet, addRows, UNDECODABLE };`)() as {
  DigestSet: new () => DigestSet;
  addRows: (set: DigestSet, rows: Iterable<unknown[]>, keyColumns: number, h: typeof hash, onRow: () => void) => boolean;
  UNDECODABLE: Commitment;
};

export const newDigestSet = (): DigestSet => new shared.DigestSet();

export const commitDigestSet = (s: DigestSet): Commitment => s.commit(createHash);

/** The commitment of a table's rows, read page by page, computed here exactly as the worker does it. */
export async function commitRowPages(pages: AsyncIterable<unknown[][]>, keyColumns: number): Promise<Commitment> {
  const set = newDigestSet();
  for await (const page of pages) if (!shared.addRows(set, page, keyColumns, hash, () => undefined)) return shared.UNDECODABLE;
  return commitDigestSet(set);
}
