// Every action × every role: the right roles succeed, every other role is refused with FORBIDDEN.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allConform, serveAndCarryOut, caseInput, makeFixture, PASSWORD, type Fixture } from '../helpers/fixture';
import { ROLES, type Role } from '../../main/core/domain/types';
import { AppError } from '../../main/core/domain/errors';
import type { Actor } from '../../main/core/services/core';
import { authenticate } from '../../main/core/services/auth';
import { createUser, listUsers, resetPassword, setUserRoles, updateUser } from '../../main/core/services/users';
import { caseDetail, closeCase, resubmitCase, submitCase } from '../../main/core/services/cases';
import { issueReview, saveDraft, takeCase } from '../../main/core/services/reviews';
import { decide } from '../../main/core/services/approvals';
import { verifyChainAs } from '../../main/core/services/audit';
import { beginUpload } from '../../main/core/services/uploads';
import { acknowledgeAlarm, listAlarms, raiseAlarmIfFailed } from '../../main/core/services/alarms';
import { startVerifyJob, verifyJobsSettled } from '../../main/core/services/verifyJobs';

let f: Fixture;
const asRole: Partial<Record<Role, Actor>> = {};
let n = 0;

beforeAll(async () => {
  f = await makeFixture();
  for (const role of ROLES) {
    await createUser(f.core, f.admin, { username: `only_${role}`, displayName: `仅${role}`, password: PASSWORD, roles: [role], certNo: `C-${role}`, certExpiry: '2030-01-01', ...(role === 'reviewer' && { qualificationNo: 'A2020only' }) });
    asRole[role] = await authenticate(f.core, { username: `only_${role}`, password: PASSWORD });
  }
}, 60_000); // eight accounts, two scrypt hashes each
afterAll(async () => f.close());

const isHandler = (a: Actor) => a.roles.includes('handler');
const isReviewer = (a: Actor) => a.roles.includes('reviewer');

/** Submits a fresh case; the actor is its handler when the actor can be one. */
async function fresh(a: Actor) {
  n++;
  const by = isHandler(a) ? a : f.handler;
  return await submitCase(f.core, by, caseInput(f, { caseNo: `P-${n}`, officerIds: [by.id, f.officer.id] }));
}
async function underReview(a: Actor) {
  const c = await fresh(f.handler);
  await takeCase(f.core, isReviewer(a) ? a : f.reviewer, c.id);
  return c;
}
async function reviewedAgree() {
  const c = await underReview(f.reviewer);
  await issueReview(f.core, f.reviewer, { caseId: c.id, findings: allConform(), outcome: 'agree' });
  return c;
}

const ACTIONS: Record<string, { allowed: Role[]; run: (a: Actor) => Promise<unknown> | unknown }> = {
  // 三员分立: accounts by the 系统管理员 (without roles: roles only from whoever may grant them), roles and passwords by the 安全管理员.
  'users.create': { allowed: ['sys_admin'], run: async (a) => await createUser(f.core, a, { username: `u${++n}`, displayName: '新用户', password: PASSWORD }) },
  'users.update': { allowed: ['sys_admin'], run: async (a) => await updateUser(f.core, a, { userId: f.secretary.id, displayName: '吴秘书' }) },
  'users.setRoles': { allowed: ['sec_admin'], run: async (a) => await setUserRoles(f.core, a, { userId: f.secretary.id, roles: ['secretary'] }) },
  'users.resetPassword': {
    allowed: ['sec_admin'],
    run: async (a) => {
      const u = await createUser(f.core, asRole.sys_admin!, { username: `r${++n}`, displayName: '待重置', password: PASSWORD });
      return await resetPassword(f.core, a, { userId: u.id });
    },
  },
  'users.list': { allowed: [...ROLES], run: async (a) => await listUsers(f.core, a) },
  'cases.submit': {
    allowed: ['handler'],
    run: async (a) => await submitCase(f.core, a, caseInput(f, { caseNo: `S-${++n}`, officerIds: [f.handler.id, f.officer.id] })),
  },
  'cases.resubmit': {
    allowed: ['handler'],
    run: async (a) => {
      const c = await fresh(a);
      await takeCase(f.core, f.reviewer, c.id);
      const findings = allConform();
      findings[0] = { criterion: 1, result: 'needs_correction', reason: '补充执法证复印件' };
      await issueReview(f.core, f.reviewer, { caseId: c.id, findings, outcome: 'return', requests: ['补充执法证复印件'] });
      return await resubmitCase(f.core, a, { caseId: c.id, case: caseInput(f, { caseNo: c.caseNo, officerIds: [c.handlerId, f.officer.id] }), changeNote: '已补充' });
    },
  },
  'cases.close': {
    allowed: ['handler'],
    run: async (a) => {
      const c = await fresh(a);
      await takeCase(f.core, f.reviewer, c.id);
      await issueReview(f.core, f.reviewer, { caseId: c.id, findings: allConform(), outcome: 'agree' });
      await decide(f.core, f.head, { caseId: c.id, decision: 'approve', opinion: '同意' });
      if (a.roles.includes('handler')) await serveAndCarryOut(f.core, a, c.id);
      return await closeCase(f.core, a, c.id);
    },
  },
  'cases.get': { allowed: ['reviewer', 'legal_head', 'agency_head', 'secretary', 'handler'], run: async (a) => await caseDetail(f.core, a, (await fresh(a)).id) },
  'reviews.take': { allowed: ['reviewer'], run: async (a) => await takeCase(f.core, a, (await fresh(f.handler)).id) },
  'reviews.saveDraft': { allowed: ['reviewer'], run: async (a) => await saveDraft(f.core, a, { caseId: (await underReview(a)).id, findings: [] }) },
  'reviews.issue': { allowed: ['reviewer'], run: async (a) => await issueReview(f.core, a, { caseId: (await underReview(a)).id, findings: allConform(), outcome: 'agree' }) },
  'approvals.decide': { allowed: ['agency_head'], run: async (a) => await decide(f.core, a, { caseId: (await reviewedAgree()).id, decision: 'approve', opinion: '同意' }) },
  'audit.verify': { allowed: ['audit_admin', 'legal_head'], run: async (a) => await verifyChainAs(f.core, a) },
  'audit.verifyStart': {
    allowed: ['audit_admin', 'legal_head'],
    run: async (a) => {
      const job = await startVerifyJob(f.core, a, { quick: true });
      await verifyJobsSettled(f.core);
      return job;
    },
  },
  'audit.alarms': { allowed: ['sys_admin', 'legal_head'], run: async (a) => await listAlarms(f.core, a) },
  'audit.alarmAck': {
    allowed: ['sys_admin', 'legal_head'],
    run: async (a) => {
      const alarmId = (await raiseAlarmIfFailed(f.core, null, { ok: false, count: 1, firstBad: { seq: 1, reason: '测试' } }, { through: 'lrw', quick: false }))!;
      return await acknowledgeAlarm(f.core, a, { alarmId, reason: '已核对无误' });
    },
  },
  'uploads.begin': { allowed: ['handler', 'reviewer'], run: async (a) => beginUpload(f.core, a, 'x.pdf', 1) },
};

describe.each(Object.entries(ACTIONS))('%s', (_name, action) => {
  it.each([...ROLES])('role %s', async (role) => {
    const actor = asRole[role]!;
    if (action.allowed.includes(role)) {
      await action.run(actor);
    } else {
      let err: unknown;
      try {
        await action.run(actor);
      } catch (e) {
        err = e;
      }
      expect(err, `${role} should be refused`).toBeInstanceOf(AppError);
      expect((err as AppError).code).toBe('FORBIDDEN');
      expect((err as AppError).message).toMatch(/无权|仅限/);
    }
  });
});
