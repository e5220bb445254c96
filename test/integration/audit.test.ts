import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { allConform, caseInput, makeFixture, type Fixture } from '../helpers/fixture';
import { submitCase } from '../../main/core/services/cases';
import { issueReview, takeCase } from '../../main/core/services/reviews';
import { verifyChain } from '../../main/core/services/audit';
import { canonicalJson, sha256Hex } from '../../main/core/domain/audit';

let f: Fixture;
beforeEach(() => {
  f = makeFixture();
  const c = submitCase(f.core, f.handler, caseInput(f));
  takeCase(f.core, f.reviewer, c.id);
  issueReview(f.core, f.reviewer, { caseId: c.id, findings: allConform(), outcome: 'agree' });
});
afterEach(() => f.close());

/** Plays an attacker with SQL access: drops the guard triggers, then edits. */
function tamper(sql: string) {
  f.core.db.exec('DROP TRIGGER events_no_update; DROP TRIGGER events_no_delete;');
  f.core.db.exec(sql);
}

const seqOf = (action: string) => f.core.db.prepare('SELECT seq FROM events WHERE action = ?').pluck().get(action) as number;

describe('tamper-evident log', () => {
  it('every event links to the one before it and the intact chain verifies', () => {
    const v = verifyChain(f.core);
    expect(v.ok).toBe(true);
    expect(v.count).toBeGreaterThan(10);
    const rows = f.core.db.prepare('SELECT prev_hash, hash, payload_json, payload_digest FROM events ORDER BY seq').all() as {
      prev_hash: string;
      hash: string;
      payload_json: string;
      payload_digest: string;
    }[];
    for (let i = 1; i < rows.length; i++) expect(rows[i].prev_hash).toBe(rows[i - 1].hash);
    for (const r of rows) expect(sha256Hex(r.payload_json)).toBe(r.payload_digest);
  });

  it('names the event whose payload was changed', () => {
    const seq = seqOf('review.issue');
    tamper(`UPDATE events SET payload_json = replace(payload_json, '"agree"', '"disagree"') WHERE seq = ${seq}`);
    expect(verifyChain(f.core)).toMatchObject({ ok: false, firstBad: { seq, reason: expect.stringContaining('内容') } });
  });

  it('names the event whose actor or time was changed even when its digest was recomputed', () => {
    const seq = seqOf('case.take');
    tamper(`UPDATE events SET actor_name = '他人' WHERE seq = ${seq}`);
    expect(verifyChain(f.core).firstBad?.seq).toBe(seq);
  });

  it('detects a deleted event', () => {
    const seq = seqOf('case.submit');
    tamper(`DELETE FROM events WHERE seq = ${seq}`);
    expect(verifyChain(f.core).firstBad?.seq).toBe(seq + 1);
  });

  it('detects a rewritten event whose own hash was recomputed, at the next event', () => {
    const seq = seqOf('case.submit');
    const row = f.core.db.prepare('SELECT * FROM events WHERE seq = ?').get(seq) as Record<string, unknown>;
    const payload = canonicalJson({ ...JSON.parse(row.payload_json as string), forged: true });
    tamper(`UPDATE events SET payload_json = '${payload.replace(/'/g, "''")}', payload_digest = '${sha256Hex(payload)}' WHERE seq = ${seq}`);
    const v = verifyChain(f.core);
    expect(v.ok).toBe(false);
    expect(v.firstBad?.seq).toBe(seq);
  });
});
