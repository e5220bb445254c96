// Who hears of a case's events (services/pushEvents.ts PushAudience), both engines: an answer is kept a
// while, but a round of materials that names a new officer, or a change of roles, counts at once.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { allConform, caseInput, makeFixture, type Fixture } from '../helpers/fixture';
import { resubmitCase, submitCase } from '../../main/core/services/cases';
import { issueReview, takeCase } from '../../main/core/services/reviews';
import { eventsAfter, headSeq, PushAudience, type PushedEvent } from '../../main/core/services/pushEvents';
import { TEST_ENGINE } from '../helpers/engine';
import { setUserRoles } from '../../main/core/services/users';

let f: Fixture;
beforeEach(async () => {
  f = await makeFixture();
});
afterEach(async () => {
  await f.close();
});

/** The events appended since `after`, as a server process is told of them. */
async function since(after: number): Promise<PushedEvent[]> {
  return await eventsAfter(f.core, after, 100);
}

describe(`push audience (${TEST_ENGINE})`, () => {
  it('an officer named in a new round hears of the case at once, though "no" was remembered for them', async () => {
    const audience = new PushAudience(f.core, 60 * 60_000);
    let seen = await headSeq(f.core);
    const c = await submitCase(f.core, f.handler, caseInput(f, { officerIds: [f.handler.id, f.officer.id] }));
    const [submitted] = (await since(seen)).filter((e) => e.kind === 'case.submit');
    expect(await audience.mayHear(f.officer.id, submitted)).toBe(true);
    // officer2 has nothing to do with the case: not told (and that answer is kept for an hour here).
    expect(await audience.mayHear(f.officer2.id, submitted)).toBe(false);
    await takeCase(f.core, f.reviewer, c.id);
    const findings = allConform();
    findings[2] = { criterion: 3, result: 'needs_correction', reason: '缺少检验报告' };
    seen = await headSeq(f.core);
    await issueReview(f.core, f.reviewer, { caseId: c.id, findings, outcome: 'return', requests: ['补充检验报告'] });
    const [returned] = (await since(seen)).filter((e) => e.kind === 'review.issue');
    expect(await audience.mayHear(f.officer2.id, returned)).toBe(false);
    // The handler sends the case again with officer2 as an officer: officer2 hears of that round at once.
    seen = await headSeq(f.core);
    await resubmitCase(f.core, f.handler, { caseId: c.id, case: caseInput(f, { officerIds: [f.handler.id, f.officer2.id] }), changeNote: '更换执法人员' });
    const [again] = (await since(seen)).filter((e) => e.kind === 'case.resubmit');
    expect(await audience.mayHear(f.officer2.id, again)).toBe(true);
    // officer, no longer named in this round, still acted on the case in round 1 and may still read it.
    expect(await audience.mayHear(f.officer.id, again)).toBe(true);
  });

  it('a user given a role that reads every case hears of the next event at once', async () => {
    const audience = new PushAudience(f.core, 60 * 60_000);
    let seen = await headSeq(f.core);
    const c = await submitCase(f.core, f.handler, caseInput(f));
    const [submitted] = (await since(seen)).filter((e) => e.kind === 'case.submit');
    expect(await audience.mayHear(f.officer2.id, submitted)).toBe(false);
    seen = await headSeq(f.core);
    // The first administrator (who manages roles) makes officer2 a legal reviewer too.
    await setUserRoles(f.core, f.admin, { userId: f.officer2.id, roles: ['handler', 'reviewer'] });
    const [roles] = (await since(seen)).filter((e) => e.kind === 'user.roles');
    expect(await audience.mayHear(f.officer2.id, roles)).toBe(true);
    seen = await headSeq(f.core);
    await takeCase(f.core, f.reviewer, c.id);
    const [taken] = (await since(seen)).filter((e) => e.kind === 'case.take');
    expect(await audience.mayHear(f.officer2.id, taken)).toBe(true);
  });
});
