// Drafting documents from templates: preview, append-only versions, finalisation with the
// completeness check and a document number, comparisons, administrators' template copies and the
// clause library (templates issue). Rendering and signing to files is in services/issue.ts.
import fs from 'node:fs';
import path from 'node:path';
import { filingRecipients } from './filings';
import { AppError } from '../domain/errors';
import { canonicalJson, sha256Hex } from '../domain/audit';
import { hasPermission } from '../domain/permissions';
import { cstDate, yearOf } from '../domain/calendar';
import type { ClauseView, DocumentFinalizeCheck, DocumentPreview, DocumentSummary, DocumentVersionView, TemplateSummary } from '../domain/views';
import type { DocModel } from '../documents/model';
import { loadTemplateDir, renderCaseDocument, validateTemplateSource, type Template } from '../documents/template';
import { listTemplateFields, meetingTemplateData, type DecisionDraft } from '../documents/fields';
import { checkPenaltyDecision, unfilledPlaceholders } from '../documents/completeness';
import { comparisonDocx, diffModels, diffSubmissions } from '../documents/diff';
import { getAgency } from '../db/repos/agency';
import {
  activeClauses,
  currentTemplateOverrides,
  documentsOfCase,
  getDocument,
  insertClause,
  insertDocument,
  insertTemplateOverride,
  insertVersion,
  nextSerial,
  retireClause,
  setDocNumber,
  versionsOf,
  type VersionRow,
} from '../db/repos/documents';
import { issuedFilesOfCase } from '../db/repos/issued';
import {
  ClauseInput,
  DocumentDiffInput,
  DocumentFinalizeCheckInput,
  DocumentFinalizeInput,
  DocumentPreviewInput,
  DocumentRef,
  DocumentSaveInput,
  SubmissionDiffInput,
  TemplateSaveInput,
} from '../../../preload/contract';
import { appendEvent } from './audit';
import { requirePermission } from './auth';
import { layoutsView } from './documentLayout';
import type { LayoutProfile } from '../domain/types';
import { caseDetail, loadCase } from './cases';
import { requireDocumentStep } from './authority';
import { type Actor, type Core, nowIso, parseInput, tx } from './core';
import { assertFresh, documentVersion } from './versions';
import { meetingView } from './meetings';
import { draftingRecordGaps, draftingRecordSource, requireDraftingRecord } from './draftingRecord';

/** Shipped templates, each replaced by the administrator's newest copy where one exists. */
export async function loadTemplates(core: Core): Promise<Map<string, Template & { origin: 'shipped' | 'custom'; savedBy: string | null; savedAt: string | null }>> {
  const out = new Map<string, Template & { origin: 'shipped' | 'custom'; savedBy: string | null; savedAt: string | null }>();
  for (const [id, t] of loadTemplateDir(core.templatesDir)) out.set(id, { ...t, origin: 'shipped', savedBy: null, savedAt: null });
  for (const o of await currentTemplateOverrides(core.db)) {
    const t = validateTemplateSource(o.source, `${o.template_id}.txt（管理员修订）`, o.template_id);
    out.set(o.template_id, { ...t, origin: 'custom', savedBy: o.saved_by_name, savedAt: o.saved_at });
  }
  return out;
}

export async function templateOf(core: Core, id: string) {
  const t = (await loadTemplates(core)).get(id);
  if (!t) throw new AppError('NOT_FOUND', `没有标识为“${id}”的文书模板。`);
  return t;
}

const summaryOf = (t: Awaited<ReturnType<typeof templateOf>>, layouts: { byTemplate: Record<string, LayoutProfile>; version: number }): TemplateSummary => ({
  id: t.id,
  layout: layouts.byTemplate[t.id] ?? 'gbt9704',
  layoutVersion: layouts.version,
  title: t.title,
  kind: t.kind,
  applies: t.applies ?? null,
  description: t.description ?? null,
  origin: t.origin,
  savedBy: t.savedBy,
  savedAt: t.savedAt,
});

export async function listTemplates(core: Core, actor: Actor): Promise<TemplateSummary[]> {
  void actor;
  const layouts = await layoutsView(core);
  return [...(await loadTemplates(core)).values()].map((t) => summaryOf(t, layouts));
}

export async function getTemplate(core: Core, actor: Actor, id: string): Promise<TemplateSummary & { source: string }> {
  void actor;
  const t = await templateOf(core, id);
  return { ...summaryOf(t, await layoutsView(core)), source: t.source };
}

/** An administrator saves an edited copy; a broken one is refused with the place named, and nothing changes. */
export async function saveTemplate(core: Core, actor: Actor, input: unknown): Promise<TemplateSummary> {
  requirePermission(actor, 'settings.manage');
  const t = parseInput(TemplateSaveInput, input);
  await templateOf(core, t.templateId);
  validateTemplateSource(t.source, `${t.templateId}.txt`, t.templateId);
  await tx(core, async () => {
    await insertTemplateOverride(core.db, { templateId: t.templateId, source: t.source, note: t.note, by: actor.id, at: nowIso(core) });
    await appendEvent(core, actor, 'template.save', null, { templateId: t.templateId, sha256: sha256Hex(t.source), note: t.note });
  });
  return summaryOf(await templateOf(core, t.templateId), await layoutsView(core));
}

export const templateFields = () => listTemplateFields().map((f) => ({ path: f.path, label: f.label, type: f.type, optional: !!f.optional }));

async function agencyOf(core: Core) {
  const a = (await getAgency(core.db))!;
  return { name: a.name, docPrefix: a.doc_prefix };
}

/** The collective discussion data for the minutes template: the latest meeting holding the case. */
async function meetingFor(core: Core, actor: Actor, caseId: number, meetingId?: number) {
  const id =
    meetingId ??
    ((await core.db.value('SELECT meeting_id FROM meeting_items WHERE case_id = ? ORDER BY id DESC LIMIT 1', [caseId])) as number | undefined);
  if (id === undefined) return undefined;
  const m = await meetingView(core, actor, id);
  const item = m.items.find((i) => i.caseId === caseId);
  if (!item) throw new AppError('VALIDATION', '该会议没有讨论本案。');
  return meetingTemplateData(m, item);
}

function requireDrafting(actor: Actor): void {
  requirePermission(actor, 'document.draft');
}

/** The template rendered for the case, with the drafter's additions when given (no additions: the pre-fill). */
async function renderFor(core: Core, actor: Actor, caseId: number, templateId: string, draft?: Record<string, unknown>, meetingId?: number) {
  const detail = await caseDetail(core, actor, caseId);
  const t = await templateOf(core, templateId);
  const doc = await getDocument(core.db, caseId, templateId);
  const meeting = templateId === 'discussion-minutes' && hasPermission(actor.roles, 'meeting.read') ? await meetingFor(core, actor, caseId, meetingId) : undefined;
  const model = renderCaseDocument(t, detail, await agencyOf(core), {
    now: core.now(),
    draft: draft as DecisionDraft | undefined,
    meeting,
    provisional: detail.clocks.some((c) => c.provisional && c.state !== 'done'),
    draftingRecord: await draftingRecordSource(core, caseId, await externalTemplateIds(core)),
    filing: { recipients: await filingRecipients(core) },
  });
  if (doc?.doc_number) model.docNumber = doc.doc_number;
  return { detail, t, doc, model };
}

/** Renders a template for a case (with the drafter's additions) and says what is still missing. */
export async function previewDocument(core: Core, actor: Actor, input: unknown): Promise<DocumentPreview> {
  requireDrafting(actor);
  const p = parseInput(DocumentPreviewInput, input);
  const { detail, t, model } = await renderFor(core, actor, p.caseId, p.templateId, p.draft, p.meetingId);
  const out = describe(model);
  // Outward decisions also need their drafting record (全过程记录办法第十六条) before 定稿.
  if (t.kind === 'external') out.missing.push(...await draftingRecordGaps(core, detail, p.draft as DecisionDraft | undefined));
  return out;
}

/**
 * The words of a document as a reader sees them: title, recipient and every block's text (table cells
 * included), with runs of white space made one. Formatting, the 落款 date and the number do not count.
 */
export function documentText(m: DocModel): string {
  const parts: string[] = [m.title, m.recipient ?? ''];
  for (const b of m.blocks) parts.push(b.type === 'table' ? b.rows.map((r) => r.join('\t')).join('\n') : b.text);
  return parts.map((x) => x.replace(/\s+/g, ' ').trim()).filter(Boolean).join('\n');
}

/**
 * Asked before 定稿 (nothing is saved): whether the editor's text is still the template's pre-fill for
 * this case word for word (rendered without the drafter's additions), and whether 定稿 will take this
 * year's next document number. The refusals of finalizeDocument itself still apply at 定稿.
 */
export async function finalizeCheck(core: Core, actor: Actor, input: unknown): Promise<DocumentFinalizeCheck> {
  requireDrafting(actor);
  const p = parseInput(DocumentFinalizeCheckInput, input);
  const { t, doc, model: prefill } = await renderFor(core, actor, p.caseId, p.templateId);
  return {
    untouched: documentText(prefill) === documentText(p.model as DocModel),
    takesNumber: t.kind !== 'internal' && !doc?.doc_number,
    year: yearOf(cstDate(core.now())),
    docNumber: doc?.doc_number ?? null,
    templateKind: t.kind,
  };
}

/** Templates of outward decision documents: their latest draft carries the case's drafting record. */
async function externalTemplateIds(core: Core): Promise<Set<string>> {
  return new Set([...(await loadTemplates(core)).values()].filter((x) => x.kind === 'external').map((x) => x.id));
}

function describe(model: DocModel): DocumentPreview {
  return {
    model,
    placeholders: unfilledPlaceholders(model).map((p) => ({ where: p.where, label: p.label })),
    missing: model.kind === 'penalty-decision' ? checkPenaltyDecision(model).map((m) => ({ part: m.part, label: m.label, ...(m.detail && { detail: m.detail }) })) : [],
  };
}

function versionView(v: VersionRow, templateId: string, docNumber: string | null): DocumentVersionView {
  return {
    id: v.id,
    templateId,
    version: v.version,
    final: v.final === 1,
    note: v.note,
    savedBy: v.saved_by_name,
    savedAt: v.saved_at,
    sha256: v.sha256,
    docNumber,
    model: JSON.parse(v.model_json) as DocModel,
    draft: v.draft_json ? (JSON.parse(v.draft_json) as Record<string, unknown>) : null,
  };
}

/** Saves the editor's content as a new version (a shared or finalised document is never overwritten). */
export async function saveDocument(core: Core, actor: Actor, input: unknown): Promise<DocumentVersionView> {
  requireDrafting(actor);
  const s = parseInput(DocumentSaveInput, input);
  await caseDetail(core, actor, s.caseId);
  const t = await templateOf(core, s.templateId);
  return await tx(core, async () => {
    await requireDocumentStep(core, actor, await loadCase(core, s.caseId), t, 'draft');
    // Drafted from the version read: a version saved at another desk since is not buried under this one.
    const current = await documentVersion(core, s.caseId, s.templateId);
    await assertFresh(core, '该文书', s.expectedVersion, current, `保存为第${current.version}版`);
    const at = nowIso(core);
    const doc = await getDocument(core.db, s.caseId, s.templateId) ?? { id: await insertDocument(core.db, s.caseId, s.templateId, actor.id, at), doc_number: null };
    const modelJson = canonicalJson(s.model);
    const v = await insertVersion(core.db, { documentId: doc.id, modelJson, draftJson: s.draft ? JSON.stringify(s.draft) : null, sha256: sha256Hex(modelJson), final: false, note: s.note, by: actor.id, at });
    await appendEvent(core, actor, 'document.save', s.caseId, { templateId: s.templateId, version: v.version, sha256: v.sha256, note: s.note });
    return versionView(v, s.templateId, doc.doc_number);
  });
}

/**
 * Marks the latest version final: refused while anything is unfilled or a penalty decision lacks a
 * required part. External and public documents get the next document number of the year.
 */
export async function finalizeDocument(core: Core, actor: Actor, input: unknown): Promise<DocumentVersionView> {
  requireDrafting(actor);
  const f = parseInput(DocumentFinalizeInput, input);
  await caseDetail(core, actor, f.caseId);
  const t = await templateOf(core, f.templateId);
  return await tx(core, async () => {
    await requireDocumentStep(core, actor, await loadCase(core, f.caseId), t, 'finalize');
    // 定稿 fixes the latest version: only the one this desk has seen.
    const current = await documentVersion(core, f.caseId, f.templateId);
    await assertFresh(core, '该文书', f.expectedVersion, current, `保存为第${current.version}版`);
    const doc = await getDocument(core.db, f.caseId, f.templateId);
    const latest = doc ? (await versionsOf(core.db, doc.id)).at(-1) : undefined;
    if (!doc || !latest) throw new AppError('BAD_STATE', '请先保存文书草稿，再定稿。');
    const model = JSON.parse(latest.model_json) as DocModel;
    let docNumber = doc.doc_number;
    if (!docNumber && t.kind !== 'internal') {
      const agency = await agencyOf(core);
      const year = yearOf(cstDate(core.now()));
      docNumber = `${agency.docPrefix}〔${year}〕${await nextSerial(core.db, agency.docPrefix, year)}号`;
      await setDocNumber(core.db, doc.id, docNumber);
    }
    if (docNumber) model.docNumber = docNumber;
    const d = describe(model);
    if (d.placeholders.length || d.missing.length) {
      // A missing part often shows as its own placeholder too: name each gap once.
      const named = new Set(d.missing.map((m) => m.label));
      const parts = [
        ...d.missing.map((m) => m.label + (m.detail ? `（${m.detail}）` : '')),
        ...d.placeholders.filter((p) => !named.has(p.label)).map((p) => `待填写：${p.label}`),
      ];
      throw new AppError('VALIDATION', `文书尚不完整，不能定稿：${parts.join('；')}。`, { missing: d.missing, placeholders: d.placeholders });
    }
    if (t.kind === 'external') await requireDraftingRecord(core, actor, f.caseId, latest.draft_json);
    const modelJson = canonicalJson(model);
    const v = await insertVersion(core.db, { documentId: doc.id, modelJson, draftJson: latest.draft_json, sha256: sha256Hex(modelJson), final: true, note: f.note || '定稿', by: actor.id, at: nowIso(core) });
    await appendEvent(core, actor, 'document.finalize', f.caseId, { templateId: f.templateId, version: v.version, sha256: v.sha256, docNumber });
    return versionView(v, f.templateId, docNumber);
  });
}

export async function documentVersions(core: Core, actor: Actor, input: unknown): Promise<DocumentVersionView[]> {
  const r = parseInput(DocumentRef, input);
  await caseDetail(core, actor, r.caseId);
  const doc = await getDocument(core.db, r.caseId, r.templateId);
  return doc ? (await versionsOf(core.db, doc.id)).map((v) => versionView(v, r.templateId, doc.doc_number)) : [];
}

async function twoVersions(core: Core, actor: Actor, input: unknown) {
  const d = parseInput(DocumentDiffInput, input);
  const all = await documentVersions(core, actor, d);
  const a = all.find((v) => v.version === d.from);
  const b = all.find((v) => v.version === d.to);
  if (!a || !b) throw new AppError('NOT_FOUND', `文书没有第${!a ? d.from : d.to}版。`);
  return { a, b };
}

export async function diffDocumentVersions(core: Core, actor: Actor, input: unknown) {
  const { a, b } = await twoVersions(core, actor, input);
  return diffModels(a.model, b.model);
}

/** The comparison as a Word file with tracked changes. */
export async function compareDocumentDocx(core: Core, actor: Actor, input: unknown) {
  const { a, b } = await twoVersions(core, actor, input);
  const buf = await comparisonDocx(a.model, b.model, { author: actor.displayName, date: nowIso(core), subtitle: `第${a.version}版与第${b.version}版比较` });
  return { name: `${a.model.title}-第${a.version}版与第${b.version}版比较.docx`, base64: buf.toString('base64') };
}

/** What changed in the materials between two rounds (e.g. since the case was returned). */
export async function diffCaseSubmissions(core: Core, actor: Actor, input: unknown) {
  const d = parseInput(SubmissionDiffInput, input);
  const detail = await caseDetail(core, actor, d.caseId);
  const a = detail.submissions.find((s) => s.round === d.fromRound);
  const b = detail.submissions.find((s) => s.round === d.toRound);
  if (!a || !b) throw new AppError('NOT_FOUND', `本案没有第${!a ? d.fromRound : d.toRound}轮送审材料。`);
  return diffSubmissions(a, b);
}

export async function listDocuments(core: Core, actor: Actor, caseId: number): Promise<DocumentSummary[]> {
  await caseDetail(core, actor, caseId);
  const issued = await issuedFilesOfCase(core.db, caseId);
  return Promise.all((await documentsOfCase(core.db, caseId)).map(async (d) => {
    const vs = await versionsOf(core.db, d.id);
    const last = vs[vs.length - 1];
    const ids = new Map(vs.map((v) => [v.id, v.version]));
    return {
      templateId: d.template_id,
      title: (JSON.parse(last.model_json) as DocModel).title,
      docNumber: d.doc_number,
      versions: vs.length,
      latestVersion: last.version,
      finalVersion: [...vs].reverse().find((v) => v.final === 1)?.version ?? null,
      savedAt: last.saved_at,
      issued: issued
        .filter((i) => ids.has(i.document_version_id))
        .map((i) => ({ id: i.id, format: i.format, name: i.name, sha256: i.sha256, issuedAt: i.issued_at, version: ids.get(i.document_version_id)! })),
    };
  }));
}

export async function listClauses(core: Core): Promise<ClauseView[]> {
  return (await activeClauses(core.db)).map((c) => ({ id: c.id, category: c.category, title: c.title, text: c.text, createdBy: c.created_by_name, createdAt: c.created_at }));
}

export async function createClause(core: Core, actor: Actor, input: unknown): Promise<ClauseView> {
  requirePermission(actor, 'clauses.manage');
  const c = parseInput(ClauseInput, input);
  const id = await tx(core, async () => {
    const clauseId = await insertClause(core.db, { ...c, by: actor.id, at: nowIso(core) });
    await appendEvent(core, actor, 'clause.create', null, { clauseId, ...c });
    return clauseId;
  });
  return (await listClauses(core)).find((x) => x.id === id)!;
}

export async function retireClauseById(core: Core, actor: Actor, clauseId: number): Promise<null> {
  requirePermission(actor, 'clauses.manage');
  await tx(core, async () => {
    if (await retireClause(core.db, clauseId, nowIso(core)) === 0) throw new AppError('NOT_FOUND', '条目不存在或已停用。');
    await appendEvent(core, actor, 'clause.retire', null, { clauseId });
  });
  return null;
}
