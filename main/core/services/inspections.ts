// 案卷评查 (000 四(二)2; 004 五(一)): the government legal office (or an internal inspector) evaluates
// archived case files. An inspector (评查人员) reads archived cases only, and records an evaluation — a
// result (优秀 / 合格 / 不合格), the findings, and rectification requests (监督建议); a 不合格 file needs at
// least one request. The case's handler or the legal office head replies once to the requests; the reply is
// tracked in their 待办 until given. Both are appended to the case file as supplements (补充归档), so the
// archived file is never reopened.
import { InspectionInput, InspectionReplyInput } from '../../../preload/contract';
import { AppError } from '../domain/errors';
import { hasPermission } from '../domain/permissions';
import { DECISION_KIND_LABELS, type DecisionKind } from '../domain/types';
import type { CaseDetail, InspectableCase, InspectionsView } from '../domain/views';
import type { CaseListRow } from '../db/repos/cases';
import { caseFileOf, insertSupplement } from '../db/repos/caseFiles';
import { appendEvent } from './audit';
import { requirePermission } from './auth';
import { caseDetail, loadCase } from './cases';
import { type Actor, type Core, nowIso, parseInput, tx } from './core';

export const INSPECTION_RESULT_LABELS = { excellent: '优秀', pass: '合格', fail: '不合格' } as const;

interface InspectionRow {
  id: number;
  case_id: number;
  inspector_name: string;
  result: keyof typeof INSPECTION_RESULT_LABELS;
  findings: string;
  requests_json: string;
  at: string;
  reply_text: string | null;
  reply_by: string | null;
  reply_at: string | null;
}

const inspectionsOf = async (core: Core, caseId: number): Promise<InspectionRow[]> =>
  (await core.db.all<InspectionRow>(`SELECT i.id, i.case_id, u.display_name AS inspector_name, i.result, i.findings, i.requests_json, i.at,
      r.text AS reply_text, b.display_name AS reply_by, r.at AS reply_at
    FROM inspections i JOIN users u ON u.id = i.inspector_id
    LEFT JOIN inspection_replies r ON r.inspection_id = i.id LEFT JOIN users b ON b.id = r.by_id
    WHERE i.case_id = ? ORDER BY i.id`, [caseId])).map((r) => ({ ...r, id: Number(r.id), case_id: Number(r.case_id) }));

/** Who answers an evaluation's requests: the legal office head, or the case's handler. */
const mayAnswer = (actor: Actor, row: CaseListRow): boolean =>
  actor.roles.includes('legal_head') || (actor.roles.includes('handler') && row.handler_id === actor.id);

/** The inspector evaluates an archived case file. */
export async function recordInspection(core: Core, actor: Actor, input: unknown): Promise<CaseDetail> {
  const x = parseInput(InspectionInput, input);
  requirePermission(actor, 'inspection.record');
  if (x.result === 'fail' && x.requests.length === 0) throw new AppError('VALIDATION', '评查结论为“不合格”的，须提出整改要求。');
  await tx(core, async () => {
    const row = await loadCase(core, x.caseId);
    const file = row.state === 'archived' ? await caseFileOf(core.db, x.caseId) : undefined;
    if (!file) throw new AppError('BAD_STATE', '案卷评查的对象是已归档的案卷：本案尚未归档。');
    const at = nowIso(core);
    const id = await core.db.insert('INSERT INTO inspections (case_id, case_file_id, inspector_id, result, findings, requests_json, at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      [x.caseId, file.id, actor.id, x.result, x.findings, JSON.stringify(x.requests), at]) as number;
    const label = INSPECTION_RESULT_LABELS[x.result];
    await insertSupplement(core.db, {
      case_file_id: file.id, case_id: x.caseId, kind: 'inspection', title: `案卷评查意见（${label}）`,
      text: `${x.findings}${x.requests.length ? `\n整改要求：${x.requests.map((q, i) => `${i + 1}. ${q}`).join('；')}` : ''}`, files_json: '[]', by_id: actor.id, at,
    });
    await appendEvent(core, actor, 'inspection.record', x.caseId, { inspectionId: Number(id), result: x.result, findings: x.findings, requests: x.requests });
  });
  return await caseDetail(core, actor, x.caseId);
}

/** The handling side's one reply to an evaluation's requests. */
export async function replyInspection(core: Core, actor: Actor, input: unknown): Promise<CaseDetail> {
  const x = parseInput(InspectionReplyInput, input);
  requirePermission(actor, 'inspection.reply');
  let caseId = 0;
  await tx(core, async () => {
    const i = await core.db.get<{ id: number; case_id: number; case_file_id: number; requests_json: string }>('SELECT id, case_id, case_file_id, requests_json FROM inspections WHERE id = ?', [x.inspectionId]);
    if (!i) throw new AppError('NOT_FOUND', '评查意见不存在。');
    caseId = Number(i.case_id);
    const row = await loadCase(core, caseId);
    if (!mayAnswer(actor, row)) throw new AppError('FORBIDDEN', '评查意见由本案承办人或法制机构负责人答复。');
    if ((JSON.parse(i.requests_json) as string[]).length === 0) throw new AppError('BAD_STATE', '该评查意见没有提出整改要求，无需答复。');
    if (await core.db.get('SELECT 1 FROM inspection_replies WHERE inspection_id = ?', [i.id])) throw new AppError('BAD_STATE', '该评查意见已经答复。');
    const at = nowIso(core);
    await core.db.run('INSERT INTO inspection_replies (inspection_id, case_id, text, by_id, at) VALUES (?, ?, ?, ?, ?)', [i.id, caseId, x.text, actor.id, at]);
    await insertSupplement(core.db, { case_file_id: Number(i.case_file_id), case_id: caseId, kind: 'inspection', title: '对案卷评查意见的整改答复', text: x.text, files_json: '[]', by_id: actor.id, at });
    await appendEvent(core, actor, 'inspection.reply', caseId, { inspectionId: Number(i.id), text: x.text });
  });
  return await caseDetail(core, actor, caseId);
}

/** CaseDetail.inspections: every evaluation of the archived file, and what the viewer may do. */
export async function inspectionsView(core: Core, actor: Actor, row: CaseListRow): Promise<InspectionsView | null> {
  if (row.state !== 'archived') return null;
  const answers = mayAnswer(actor, row);
  return {
    canRecord: hasPermission(actor.roles, 'inspection.record'),
    items: (await inspectionsOf(core, row.id)).map((i) => {
      const requests = JSON.parse(i.requests_json) as string[];
      return {
        id: i.id, inspector: i.inspector_name, result: i.result, resultLabel: INSPECTION_RESULT_LABELS[i.result], findings: i.findings, requests, at: i.at,
        reply: i.reply_text !== null ? { text: i.reply_text, by: i.reply_by ?? '', at: i.reply_at ?? '' } : null,
        canReply: answers && requests.length > 0 && i.reply_text === null,
      };
    }),
  };
}

/** Cases whose evaluation asked for rectification and has no reply yet (their 待办). */
export async function casesAwaitingReply(core: Core, handlerId?: number): Promise<number[]> {
  const rows = await core.db.column(`SELECT DISTINCT i.case_id FROM inspections i JOIN cases c ON c.id = i.case_id
      LEFT JOIN inspection_replies r ON r.inspection_id = i.id
     WHERE r.inspection_id IS NULL AND i.requests_json <> '[]'${handlerId === undefined ? '' : ' AND c.handler_id = ?'}`, handlerId === undefined ? [] : [handlerId]);
  return rows.map(Number);
}

/** The inspector's list: every archived case, newest archive first, with its evaluations. */
export async function inspectableCases(core: Core, actor: Actor): Promise<InspectableCase[]> {
  requirePermission(actor, 'inspection.record');
  const rows = await core.db.all<{ id: number; case_no: string; title: string; kind: DecisionKind; handler: string; archived_at: string; n: number; open: number }>(
    `SELECT c.id, c.case_no, c.title, c.kind, u.display_name AS handler, f.at AS archived_at,
            (SELECT COUNT(*) FROM inspections i WHERE i.case_id = c.id) AS n,
            (SELECT COUNT(*) FROM inspections i LEFT JOIN inspection_replies r ON r.inspection_id = i.id
              WHERE i.case_id = c.id AND r.inspection_id IS NULL AND i.requests_json <> '[]') AS open
       FROM cases c JOIN case_files f ON f.case_id = c.id JOIN users u ON u.id = c.handler_id
      WHERE c.state = 'archived' ORDER BY f.at DESC, c.id DESC LIMIT 500`);
  return rows.map((r) => ({
    id: Number(r.id), caseNo: r.case_no, title: r.title, kindLabel: DECISION_KIND_LABELS[r.kind], handler: r.handler,
    archivedAt: r.archived_at, inspections: Number(r.n), awaitingReply: Number(r.open),
  }));
}
