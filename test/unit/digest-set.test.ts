// The fast path of verification compares one commitment per table (services/digestSet.ts): the same
// set of rows gives the same commitment whatever the order it was filled in; any difference, a
// removed row or an undecodable text changes or withholds it.
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { commitDigestSet, commitRowPages, newDigestSet } from '../../main/core/services/digestSet';
import { esc } from '../../main/core/domain/records';

async function* pagesOf(rows: unknown[][]) {
  yield rows;
}
const digestOf = (text: string | Buffer) => createHash('sha256').update(text).digest('base64');

describe('digest sets', () => {
  it('the same rows in any order commit alike; a changed, missing or removed row does not', () => {
    const rows: [string, string][] = [['1', 'a'], ['7', 'b'], ['3\u001f2', 'c'], ['x\\ty', 'd'], ['99999999', 'e'], ['0', 'f']];
    const fill = (rs: [string, string | null][]) => {
      const s = newDigestSet();
      for (const [k, d] of rs) s.set(k, d);
      return commitDigestSet(s);
    };
    const base = fill(rows);
    expect(base.live).toBe(6);
    expect(fill([...rows].reverse())).toEqual(base);
    expect(fill(rows.map(([k, d]) => [k, k === '7' ? 'B' : d]))).not.toEqual(base);
    expect(fill(rows.slice(1))).not.toEqual(base);
    // The chain removed a row later: it is not part of what the table must hold.
    expect(fill([...rows, ['1', null]])).toEqual(fill(rows.slice(1)));
    // A key and its look-alike are different rows: "01" is not "1", "3\u001f2" is not "32".
    expect(fill(rows.map(([k, d]) => [k === '1' ? '01' : k, d]))).not.toEqual(base);
  });

  it('bytes that only decode to the vouched text give no answer (the full path decides)', async () => {
    // A cut-off 4-byte sequence (F0 9F 98) reads back as one U+FFFD, the same string as a stored U+FFFD (EF BF BD).
    const db = new Database(':memory:');
    const read = (hex: string) => db.prepare(`SELECT CAST(X'${hex}' AS TEXT)`).pluck().get() as string;
    const honest = read('41EFBFBD31');
    const forged = read('41F09F9831');
    expect(forged).toBe(honest);
    db.close();
    // Hashing the decoded text would vouch for the forged bytes; the commitment refuses to answer instead.
    expect(await commitRowPages(pagesOf([[1, forged]]), 1)).toEqual({ commitment: 'undecodable', live: -1 });
    // As bytes (a BLOB) the two differ, and that is what the main thread's reading hashes.
    const asBytes = await commitRowPages(pagesOf([[1, Buffer.from('41EFBFBD31', 'hex')]]), 1);
    expect(asBytes.live).toBe(1);
    expect(await commitRowPages(pagesOf([[1, Buffer.from('41F09F9831', 'hex')]]), 1)).not.toEqual(asBytes);
    // Keys are escaped as the records column escapes them (domain/records.ts esc, which the worker repeats).
    const tricky = newDigestSet();
    tricky.set(esc('备注\t第1条\\甲\n乙'), digestOf('x'));
    expect(await commitRowPages(pagesOf([['备注\t第1条\\甲\n乙', 'x']]), 1)).toEqual(commitDigestSet(tricky));
    // Plain text commits as its UTF-8 bytes would.
    const set = newDigestSet();
    set.set('1', digestOf(Buffer.from('甲乙', 'utf8')));
    expect(await commitRowPages(pagesOf([[1, '甲乙']]), 1)).toEqual(commitDigestSet(set));
  });
});
