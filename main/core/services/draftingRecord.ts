// The drafting record of an outward decision (《行政执法全过程记录实施办法》第十六条): 起草人、起草机构审查人、
// 决定形成的法律依据、证据材料、应考虑的有关因素. It is entered with the decision's draft (DecisionDraft in
// documents/fields.ts, the drafting page's 起草记录 fields), saved with every version (draft_json),
// required at 定稿 of every template of kind `external`, and printed on the approval form.
import { AppError } from '../domain/errors';
import type { DocModel } from '../documents/model';
import { buildTemplateData, type DecisionDraft, type DraftingRecordSource } from '../documents/fields';
import { checkDraftingRecord, type MissingRecordPart } from '../documents/completeness';
import { getAgency } from '../db/repos/agency';
import { documentsOfCase, versionsOf } from '../db/repos/documents';
import type { CaseDetail } from '../domain/views';
import { caseDetail } from './cases';
import type { Actor, Core } from './core';

async function agencyOf(core: Core) {
  const a = (await getAgency(core.db))!;
  return { name: a.name, docPrefix: a.doc_prefix };
}

/** The gaps of the record a draft holds, with the submission's basis and evidence as the decision's defaults. */
export async function draftingRecordGaps(core: Core, detail: CaseDetail, draft: DecisionDraft | null | undefined): Promise<MissingRecordPart[]> {
  return checkDraftingRecord(buildTemplateData(detail, await agencyOf(core), { now: core.now(), draft: draft ?? {} }));
}

/** Refuses 定稿 of an outward decision whose saved draft lacks part of its drafting record. */
export async function requireDraftingRecord(core: Core, actor: Actor, caseId: number, draftJson: string | null): Promise<void> {
  const draft = draftJson ? (JSON.parse(draftJson) as DecisionDraft) : {};
  const gaps = await draftingRecordGaps(core, await caseDetail(core, actor, caseId), draft);
  if (gaps.length) {
    throw new AppError(
      'VALIDATION',
      `决定文书的起草记录不完整，不能定稿（《行政执法全过程记录实施办法》第十六条：草拟行政执法决定时的文字记录应载明起草人、起草机构审查人、决定形成的法律依据、证据材料、应考虑的有关因素）：${gaps.map((g) => g.label + (g.detail ? `（${g.detail}）` : '')).join('；')}。`,
      { missing: gaps },
    );
  }
}

/**
 * The case's latest saved version of an outward decision document (templates of kind `external`), as
 * the source of the approval form's drafting record; undefined while none has been drafted.
 */
export async function draftingRecordSource(core: Core, caseId: number, externalTemplateIds: ReadonlySet<string>): Promise<DraftingRecordSource | undefined> {
  let best: DraftingRecordSource & { id: number } | undefined;
  for (const d of await documentsOfCase(core.db, caseId)) {
    if (!externalTemplateIds.has(d.template_id)) continue;
    const v = (await versionsOf(core.db, d.id)).at(-1);
    if (!v || (best && best.id > v.id)) continue;
    best = {
      id: v.id,
      title: (JSON.parse(v.model_json) as DocModel).title,
      version: v.version,
      final: v.final === 1,
      savedAt: v.saved_at,
      savedBy: v.saved_by_name,
      draft: v.draft_json ? (JSON.parse(v.draft_json) as DecisionDraft) : {},
    };
  }
  if (!best) return undefined;
  const { id: _id, ...src } = best;
  return src;
}
