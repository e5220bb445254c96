// Issue 13, point 1: after the decision the handler records service (送达) and execution (履行、催告、
// 强制执行); 办结 needs both, the statutory clocks count as their rules do (payment 15 natural days from
// receipt, then 3% of the fine a day capped at the fine; 催告 only after the period; the court only 10
// working days after the 催告 is served), and every record is append-only and in the chain.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { allConform, caseInput, makeFixture, type Fixture } from '../helpers/fixture';
import { refused } from '../helpers/refuse';
import { caseDetail, closeCase, submitCase } from '../../main/core/services/cases';
import { issueReview, takeCase } from '../../main/core/services/reviews';
import { decide } from '../../main/core/services/approvals';
import { recordExecution, recordService, surchargeOn } from '../../main/core/services/enforcement';
import { verifyChain } from '../../main/core/services/audit';
import { addMonths } from '../../main/core/domain/calendar/cst';

let f: Fixture;
beforeEach(async () => {
  f = await makeFixture();
});
afterEach(async () => f.close());

const at = (date: string) => new Date(`${date}T02:00:00Z`);
const direct = (caseId: number, servedOn: string) => ({ caseId, documentName: '行政处罚决定书（某市监罚〔2026〕1号）', method: 'direct' as const, recipient: '某科技有限公司', servedOn, server: '张承办', signer: '李某（法定代表人）' });

async function approved(fineAmount = '80000') {
  const c = await submitCase(f.core, f.handler, caseInput(f, { fineAmount }));
  await takeCase(f.core, f.reviewer, c.id);
  await issueReview(f.core, f.reviewer, { caseId: c.id, findings: allConform(), outcome: 'agree' });
  await decide(f.core, f.head, { caseId: c.id, decision: 'approve', opinion: '同意' });
  return c.id;
}

describe('service and execution', () => {
  it('refuses 办结 until the decision is served and carried out, then starts the archive clock', async () => {
    const id = await approved();
    const d = await caseDetail(f.core, f.handler, id);
    expect(d.enforcement?.closeBlockers).toEqual(['尚未登记执法决定文书的送达', '尚未登记履行或执行完毕的情况（缴清罚款、当事人履行、改正核查、强制执行或人民法院执行结果）']);
    expect(await refused(() => closeCase(f.core, f.handler, id), 'BAD_STATE')).toContain('尚未登记执法决定文书的送达');
    // Execution before service is refused; so is a service by someone else, or dated tomorrow.
    expect(await refused(() => recordExecution(f.core, f.handler, { caseId: id, step: 'performed', onDate: '2026-11-23', text: '已履行' }), 'BAD_STATE')).toContain('请先登记执法决定文书的送达');
    expect(await refused(() => recordService(f.core, f.officer, direct(id, '2026-11-23')), 'FORBIDDEN')).toContain('只有本案承办人');
    expect(await refused(() => recordService(f.core, f.handler, direct(id, '2026-11-24')), 'VALIDATION')).toContain('晚于今天');
    // A left-at-residence service without its witness is refused by the contract (000 第二十六条).
    await refused(() => recordService(f.core, f.handler, { caseId: id, documentName: '决定书', method: 'left', recipient: '某公司', servedOn: '2026-11-23', server: '张承办', refusal: '拒绝签收', avRecord: 'AV-1' } as never), 'VALIDATION');
    const before = Number(await f.core.db.value('SELECT COUNT(*) FROM service_records'));
    expect(before).toBe(0);

    await recordService(f.core, f.handler, direct(id, '2026-11-23'));
    let e = (await caseDetail(f.core, f.handler, id)).enforcement!;
    expect(e.services).toHaveLength(1);
    expect(e.services[0]).toMatchObject({ methodLabel: '直接送达', servedOn: '2026-11-23', details: [{ label: '送达人', value: '张承办' }, { label: '签收人', value: '李某（法定代表人）' }] });
    // The 15 days to pay run from receipt (natural days; 2026-12-08 is a Tuesday).
    expect(e.fine).toMatchObject({ fineFen: 8_000_000, dueOn: '2026-12-08', surchargeFen: 0, owedFen: 8_000_000, paidFen: 0 });
    expect(e.clocks.find((c) => c.kind === 'payment')).toMatchObject({ due: '2026-12-08', unit: 'natural' });
    expect(await refused(() => closeCase(f.core, f.handler, id), 'BAD_STATE')).toContain('尚未登记履行或执行完毕的情况');

    await recordExecution(f.core, f.handler, { caseId: id, step: 'paid', onDate: '2026-11-23', amount: '80000', text: '缴款书号 001' });
    e = (await caseDetail(f.core, f.handler, id)).enforcement!;
    expect(e).toMatchObject({ concluded: true, conclusion: '罚款已缴清（80,000元）', closeBlockers: [] });
    expect(await refused(() => recordExecution(f.core, f.handler, { caseId: id, step: 'performed', onDate: '2026-11-23', text: '再次' }), 'CONFLICT')).toContain('执行已经终结');

    const closed = await closeCase(f.core, f.handler, id);
    expect(closed.state).toBe('closed');
    expect(closed.clocks.find((c) => c.kind === 'archive')).toMatchObject({ unit: 'natural' });
    expect(closed.clocks.find((c) => c.kind === 'payment')?.state).toBe('done');
    expect(await refused(() => recordService(f.core, f.handler, direct(id, '2026-11-23')), 'BAD_STATE')).toContain('已办结');
    expect(closed.timeline.map((t) => t.action)).toEqual(expect.arrayContaining(['enforcement.service', 'enforcement.execution', 'case.close']));
    expect((await verifyChain(f.core)).ok).toBe(true);
  });

  it('counts the surcharge (3% a day, never above the fine), the 催告 and the court window', async () => {
    expect(surchargeOn(10_000, '2026-12-08', '2026-12-08')).toEqual({ days: 0, fen: 0, capped: false });
    expect(surchargeOn(10_000, '2026-12-08', '2026-12-10')).toEqual({ days: 2, fen: 600, capped: false });
    expect(surchargeOn(10_000, '2026-12-08', '2027-03-01')).toEqual({ days: 83, fen: 10_000, capped: true });
    expect(addMonths('2026-08-31', 6)).toBe('2027-02-28');

    const id = await approved('100000');
    await recordService(f.core, f.handler, direct(id, '2026-11-23'));
    // 催告 only once the 15 days have run out (due 2026-12-08).
    f.clock.now = at('2026-12-08');
    expect(await refused(() => recordExecution(f.core, f.handler, { caseId: id, step: 'reminder', onDate: '2026-12-08', text: '催告书 1号' }), 'BAD_STATE')).toContain('期限届满前不能催告');
    expect(await refused(() => recordExecution(f.core, f.handler, { caseId: id, step: 'court_applied', onDate: '2026-12-08', text: '某区人民法院' }), 'BAD_STATE')).toContain('须先依法催告');
    f.clock.now = at('2026-12-10');
    let e = (await caseDetail(f.core, f.handler, id)).enforcement!;
    expect(e.fine).toMatchObject({ surchargeDays: 2, surchargeFen: 600_000, owedFen: 10_600_000 });
    // A partial payment does not conclude: the shortfall is named.
    await recordExecution(f.core, f.handler, { caseId: id, step: 'paid', onDate: '2026-12-10', amount: '100000' });
    e = (await caseDetail(f.core, f.handler, id)).enforcement!;
    expect(e.concluded).toBe(false);
    expect(e.closeBlockers).toEqual(['罚款尚未缴清：应缴106,000元（罚款100,000元，加处罚款6,000元），已缴100,000元']);

    await recordExecution(f.core, f.handler, { caseId: id, step: 'reminder', onDate: '2026-12-10', text: '催告书 1号，限三日内缴纳加处罚款' });
    e = (await caseDetail(f.core, f.handler, id)).enforcement!;
    // 10 working days after 2026-12-10 is 2026-12-24; the latest is 9 months after receipt.
    expect(e.courtWindow).toEqual({ after: '2026-12-24', until: '2027-08-23' });
    expect(e.clocks.find((c) => c.kind === 'court_application')).toMatchObject({ due: '2027-08-23' });
    expect(await refused(() => recordExecution(f.core, f.handler, { caseId: id, step: 'reminder', onDate: '2026-12-10', text: '又一次' }), 'CONFLICT')).toContain('不能重复登记');
    f.clock.now = at('2026-12-24');
    expect(await refused(() => recordExecution(f.core, f.handler, { caseId: id, step: 'court_applied', onDate: '2026-12-24', text: '某区人民法院' }), 'BAD_STATE')).toContain('2026-12-24之后方可申请');
    expect(await refused(() => recordExecution(f.core, f.handler, { caseId: id, step: 'court_result', onDate: '2026-12-24', text: '裁定执行' }), 'BAD_STATE')).toContain('尚未登记申请人民法院强制执行');
    f.clock.now = at('2026-12-25');
    await recordExecution(f.core, f.handler, { caseId: id, step: 'court_applied', onDate: '2026-12-25', text: '某区人民法院，强制执行申请书' });
    expect((await caseDetail(f.core, f.handler, id)).enforcement!.clocks.find((c) => c.kind === 'court_application')?.state).toBe('done');
    await recordExecution(f.core, f.handler, { caseId: id, step: 'court_result', onDate: '2026-12-25', text: '人民法院裁定准予执行，已执行完毕' });
    expect((await closeCase(f.core, f.handler, id)).state).toBe('closed');
  });

  it('requires the audio-visual record for 恢复原状 and keeps every record append-only', async () => {
    const id = await approved('100000');
    await recordService(f.core, f.handler, direct(id, '2026-11-23'));
    f.clock.now = at('2026-12-10');
    await recordExecution(f.core, f.handler, { caseId: id, step: 'reminder', onDate: '2026-12-10', text: '催告书 1号' });
    expect(await refused(() => recordExecution(f.core, f.handler, { caseId: id, step: 'enforced', onDate: '2026-12-10', measure: 'restore', text: '恢复原状' }), 'VALIDATION')).toContain('音像记录');
    await recordExecution(f.core, f.handler, { caseId: id, step: 'enforced', onDate: '2026-12-10', measure: 'restore', text: '拆除违法设施，恢复原状', avRecord: 'AV-2026-12-10-01' });
    const e = (await caseDetail(f.core, f.handler, id)).enforcement!;
    expect(e.executions.at(-1)).toMatchObject({ stepLabel: '强制执行', measureLabel: '排除妨碍、恢复原状' });
    expect(e.executions.at(-1)!.text).toContain('音像记录：AV-2026-12-10-01');
    await expect(f.core.db.run("UPDATE service_records SET recipient = '别人'")).rejects.toThrow(/IMMUTABLE/);
    await expect(f.core.db.run('DELETE FROM execution_records')).rejects.toThrow(/IMMUTABLE/);
    expect((await verifyChain(f.core)).ok).toBe(true);
  });
});
