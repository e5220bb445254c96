// Carrying out a rejection. When a head or the meeting rejects, the case returns to the handling unit
// with the decision text; the handler either revises the proposal (a new round and cycle, reviewed
// again) or proposes ending the matter with a written reason — 不予行政处罚, 撤销立案 or another way —
// which a legal reviewer reviews and an agency head approves (承办人提出、审核人审核、批准人批准,
// 000 第三十九条). 不予行政处罚 is itself a decision: its document is issued once the ending is approved.
import { EndingProposeInput, EndingStepInput, ReviseInput } from '../../../preload/contract';
import { AppError } from '../domain/errors';
import { ENDING_LABELS } from '../domain/types';
import { assertState } from '../domain/workflow';
import type { CaseDetail } from '../domain/views';
import { updateCase } from '../db/repos/cases';
import { endingsOf, insertEnding, insertEndingStep } from '../db/repos/endings';
import { appendEvent } from './audit';
import { requirePermission } from './auth';
import { assertNotInvolved } from './authority';
import { caseDetail, loadCase, newRound } from './cases';
import { type Actor, type Core, nowIso, parseInput, tx } from './core';
import { startClock } from './deadlines';
import { assertSeparation } from './reviews';

export async function reviseCase(core: Core, actor: Actor, input: unknown): Promise<CaseDetail> {
  requirePermission(actor, 'case.revise');
  const inp = parseInput(ReviseInput, input);
  await newRound(core, actor, inp, 'revise');
  return await caseDetail(core, actor, inp.caseId);
}

export async function proposeEnding(core: Core, actor: Actor, input: unknown): Promise<CaseDetail> {
  requirePermission(actor, 'case.end');
  const e = parseInput(EndingProposeInput, input);
  await tx(core, async () => {
    const row = await loadCase(core, e.caseId);
    if (row.handler_id !== actor.id) throw new AppError('FORBIDDEN', '只有本案承办人可以提出终结意见。');
    assertState(row.state, 'proposeEnding');
    if (e.kind === 'no_penalty' && row.kind !== 'penalty') throw new AppError('VALIDATION', '“不予行政处罚”仅适用于行政处罚案件。');
    const at = nowIso(core);
    const endingId = await insertEnding(core.db, { caseId: row.id, cycle: row.cycle, kind: e.kind, reason: e.reason, by: actor.id, at });
    await updateCase(core.db, row.id, { state: 'ending_proposed' }, at);
    await appendEvent(core, actor, 'ending.propose', row.id, { endingId, kind: e.kind, reason: e.reason, cycle: row.cycle });
  });
  return await caseDetail(core, actor, e.caseId);
}

async function currentEnding(core: Core, caseId: number, cycle: number) {
  const e = (await endingsOf(core.db, caseId)).filter((x) => x.cycle === cycle).at(-1);
  if (!e) throw new AppError('BAD_STATE', '本案没有待处理的终结意见。');
  return e;
}

/** A legal reviewer (not involved in the case) reviews the ending proposal; 不同意 returns it to the handler. */
export async function reviewEnding(core: Core, actor: Actor, input: unknown): Promise<CaseDetail> {
  requirePermission(actor, 'ending.review');
  const s = parseInput(EndingStepInput, input);
  await tx(core, async () => {
    const row = await loadCase(core, s.caseId);
    await assertSeparation(core, actor, row);
    assertState(row.state, 'reviewEnding');
    const e = await currentEnding(core, row.id, row.cycle);
    const at = nowIso(core);
    const stepId = await insertEndingStep(core.db, { endingId: e.id, step: 'review', outcome: s.outcome, opinion: s.opinion, by: actor.id, at });
    await updateCase(core.db, row.id, { state: s.outcome === 'agree' ? 'ending_reviewed' : 'rejected' }, at);
    await appendEvent(core, actor, 'ending.review', row.id, { endingId: e.id, stepId, outcome: s.outcome, opinion: s.opinion });
  });
  return await caseDetail(core, actor, s.caseId);
}

/** An agency head (not involved in the case) approves ending the matter, or returns it to the handler. */
export async function decideEnding(core: Core, actor: Actor, input: unknown): Promise<CaseDetail> {
  requirePermission(actor, 'ending.decide');
  const s = parseInput(EndingStepInput, input);
  await tx(core, async () => {
    const row = await loadCase(core, s.caseId);
    assertState(row.state, 'decideEnding');
    await assertNotInvolved(core, actor, row, '批准终结本案');
    const e = await currentEnding(core, row.id, row.cycle);
    const at = nowIso(core);
    const stepId = await insertEndingStep(core.db, { endingId: e.id, step: 'approval', outcome: s.outcome, opinion: s.opinion, by: actor.id, at });
    await updateCase(core.db, row.id, { state: s.outcome === 'agree' ? 'ended' : 'rejected' }, at);
    // 不予行政处罚 is a decision the party is told of: its publication clock runs like any decision's.
    if (s.outcome === 'agree' && e.kind === 'no_penalty') await startClock(core, row.id, 'publication', core.now(), row.kind);
    await appendEvent(core, actor, 'ending.decide', row.id, { endingId: e.id, stepId, kind: e.kind, kindLabel: ENDING_LABELS[e.kind], outcome: s.outcome, opinion: s.opinion });
  });
  return await caseDetail(core, actor, s.caseId);
}
