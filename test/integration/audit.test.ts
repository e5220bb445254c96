import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { allConform, caseInput, makeFixture, type Fixture } from '../helpers/fixture';
import { submitCase } from '../../main/core/services/cases';
import { issueReview, takeCase } from '../../main/core/services/reviews';
import { verifyChain } from '../../main/core/services/audit';
import { canonicalJson, sha256Hex } from '../../main/core/domain/audit';

let f: Fixture;
beforeEach(async () => {
  f = await makeFixture();
  const c = await submitCase(f.core, f.handler, caseInput(f));
  await takeCase(f.core, f.reviewer, c.id);
  await issueReview(f.core, f.reviewer, { caseId: c.id, findings: allConform(), outcome: 'agree' });
});
afterEach(async () => f.close());

/** Plays an attacker with SQL access (the owner's, on PostgreSQL): drops the guard triggers, then edits. */
async function tamper(sql: string) {
  await f.core.db.exec('DROP TRIGGER events_no_update ON events; DROP TRIGGER events_no_delete ON events;'.replace(/ ON events/g, f.core.db.engine === 'sqlite' ? '' : ' ON events'));
  await f.core.db.exec(sql);
}

const seqOf = async (action: string) => (await f.core.db.value('SELECT seq FROM events WHERE action = ?', [action])) as number;

describe('tamper-evident log', () => {
  it('every event links to the one before it and the intact chain verifies', async () => {
    const v = await verifyChain(f.core);
    expect(v.ok).toBe(true);
    expect(v.count).toBeGreaterThan(10);
    const rows = (await f.core.db.all('SELECT prev_hash, hash, payload_json, payload_digest FROM events ORDER BY seq')) as {
      prev_hash: string;
      hash: string;
      payload_json: string;
      payload_digest: string;
    }[];
    for (let i = 1; i < rows.length; i++) expect(rows[i].prev_hash).toBe(rows[i - 1].hash);
    for (const r of rows) expect(sha256Hex(r.payload_json)).toBe(r.payload_digest);
  });

  it('names the event whose payload was changed', async () => {
    const seq = await seqOf('review.issue');
    await tamper(`UPDATE events SET payload_json = replace(payload_json, '"agree"', '"disagree"') WHERE seq = ${seq}`);
    expect(await verifyChain(f.core)).toMatchObject({ ok: false, firstBad: { seq, reason: expect.stringContaining('内容') } });
  });

  it('names the event whose actor or time was changed even when its digest was recomputed', async () => {
    const seq = await seqOf('case.take');
    await tamper(`UPDATE events SET actor_name = '他人' WHERE seq = ${seq}`);
    expect((await verifyChain(f.core)).firstBad?.seq).toBe(seq);
  });

  it('detects a deleted event', async () => {
    const seq = await seqOf('case.submit');
    await tamper(`DELETE FROM events WHERE seq = ${seq}`);
    expect((await verifyChain(f.core)).firstBad?.seq).toBe(seq + 1);
  });

  it('detects a rewritten event whose own hash was recomputed, at the next event', async () => {
    const seq = await seqOf('case.submit');
    const row = (await f.core.db.get('SELECT * FROM events WHERE seq = ?', [seq])) as Record<string, unknown>;
    const payload = canonicalJson({ ...JSON.parse(row.payload_json as string), forged: true });
    await tamper(`UPDATE events SET payload_json = '${payload.replace(/'/g, "''")}', payload_digest = '${sha256Hex(payload)}' WHERE seq = ${seq}`);
    const v = await verifyChain(f.core);
    expect(v.ok).toBe(false);
    expect(v.firstBad?.seq).toBe(seq);
  });
});
