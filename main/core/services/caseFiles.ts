// Case file and archive (案卷、归档; 000 第三十三条, 001 附件2 第三十一条). After 办结 the handler assembles
// the case file and hands it to a named custodian (档案管理员) within the 30-day archive clock. 归档
// writes, once, from the record: a cover and 卷内目录, every issued document (its signed PDF copied page by
// page; the originals kept beside it), every round's materials, the review opinions, the approvals, the
// service and execution records and a verified extract of the case's full-process record with the latest
// signed checkpoint — one bookmarked, page-numbered PDF, the record extract, and a manifest of every
// original file with its SHA-256. The row is insert-only, so the archived file is frozen: what comes later
// (a correction order, a withdrawal, an inspection finding) is a supplement (补充归档) with its own index
// entry, never a change. `lrw casefile export` writes the folder; `lrw casefile verify` checks it against
// the record.
import { Readable } from 'node:stream';
import fs from 'node:fs';
import { CaseFileChunkInput, CaseFileReceiveInput, CaseFileSupplementInput, ArchiveInput } from '../../../preload/contract';
import { cstDate, formatChineseDate, formatChinaMoment } from '../domain/calendar/cst';
import { AppError } from '../domain/errors';
import { hasPermission } from '../domain/permissions';
import { sha256Hex } from '../domain/audit';
import { eventRowProblem } from './records';
import { formatYuan } from '../domain/money';
import { APPROVAL_LABELS, DECISION_KIND_LABELS, ENDING_LABELS, FINDING_LABELS, OUTCOME_LABELS, type PartyType } from '../domain/types';
import { assertState } from '../domain/workflow';
import type { CaseDetail, CaseFileEntry, CaseFileExport, CaseFileFile, CaseFileManifest, CaseFileSupplementView, CaseFileView } from '../domain/views';
import type { Block } from '../documents/model';
import { assembleCaseFile, renderRecordPart, type CaseFilePart } from '../documents/caseFilePdf';
import { getAgency } from '../db/repos/agency';
import { blobExists, insertBlob, updateCase, type CaseListRow } from '../db/repos/cases';
import { completeClock } from '../db/repos/deadlines';
import { eventsOfCase } from '../db/repos/events';
import { getUserById } from '../db/repos/users';
import {
  activeCustodians, caseFileOf, insertCaseFile, insertReceipt, insertSupplement, isCustodianOf, issuedFilesWithTemplate,
  latestCheckpoint, supplementsOf, type CaseFileRow, type SupplementRow,
} from '../db/repos/caseFiles';
import { appendEvent } from './audit';
import { requirePermission } from './auth';
import { caseDetail, loadCase, requireRead } from './cases';
import { type Actor, type Core, nowIso, parseInput, tx } from './core';
import { fontsFor } from './fonts';

export const SUPPLEMENT_KIND_LABELS: Record<SupplementRow['kind'], string> = {
  correction: '纠错或整改通知',
  withdrawal: '撤回、撤销或变更决定',
  inspection: '案卷评查意见',
  other: '其他补充材料',
};

/** The decision documents, placed first in the file as the conclusion of the case. */
const DECISION_TEMPLATES = new Set(['penalty-decision', 'no-penalty-decision']);

const CASE_FILE_PDF = '案卷.pdf';
const RECORD_FILE = '全过程记录.json';
/** Bytes of a stored file per `casefile.chunk` answer (base64 inside the contract's and a server's limits). */
const CHUNK = 1024 * 1024;

/** A file name fit for any file system: no separators, no controls, not too long. */
function safeName(name: string): string {
  // eslint-disable-next-line no-control-regex
  const clean = name.replace(/[\u0000-\u001f\u007f/\\:*?"<>|]/g, '_').replace(/^\.+/, '_').trim() || '文件';
  return clean.length > 120 ? clean.slice(0, 120) : clean;
}

const PARTY_TYPE_LABELS: Record<PartyType, string> = { citizen: '公民', organization: '法人或其他组织' };
/** A stored file the case file names; a missing one is reported (记录校验 names it too), never an ENOENT. */
export function storedPath(core: Core, sha256: string): string {
  const p = core.blobs.pathOf(sha256);
  if (!fs.existsSync(p)) throw new AppError('BAD_STATE', `案卷所需的文件（SHA-256 ${sha256}）在文件存储中缺失，不能组卷或导出：请系统管理员运行“记录校验”（lrw audit verify）查明。`);
  return p;
}

const pad = (n: number) => String(n).padStart(3, '0');
const dateOf = (iso: string) => cstDate(new Date(iso));
/** 卷内目录 dates are written as eight digits (20261203), as case-file indexes are. */
const indexDate = (date: string) => date.replace(/-/g, '');

// --------------------------------------------------------------------------------------- assembling

interface Item extends CaseFilePart {
  entry: Omit<CaseFileEntry, 'no' | 'pages'>;
}

const p = (text: string): Block => ({ type: 'paragraph', text, indent: false });

function materialsBlocks(d: CaseDetail, s: CaseDetail['submissions'][number]): Block[] {
  const blocks: Block[] = [
    { type: 'table', rows: [
      ['案件编号', s.caseNo], ['案件名称', s.title], ['决定类型', DECISION_KIND_LABELS[s.kind]], ['重大执法决定目录事项', d.catalogItemLabel],
      ['当事人', `${s.party.name}（${PARTY_TYPE_LABELS[s.party.type]}）`], ['证件号码', s.party.idNumber], ['住所', s.party.address],
      ['送审人', s.submittedBy], ['送审时间', formatChinaMoment(s.submittedAt)],
      ...(s.changeNote ? [['补正或修改说明', s.changeNote]] : []),
    ], widths: [1.4, 4] },
    { type: 'heading1', text: '一、案件事实' }, { type: 'paragraph', text: s.facts },
    { type: 'heading1', text: '二、证据' }, ...s.evidence.map((e, i) => p(`${i + 1}. ${e}`)),
    { type: 'heading1', text: '三、法律依据' }, ...s.legalBasis.map((b, i) => p(`${i + 1}. ${b.law}${b.article}`)),
    { type: 'heading1', text: '四、拟作出的决定' }, { type: 'paragraph', text: s.proposedDecision },
  ];
  if (s.fineFen !== null) blocks.push(p(`罚款：${formatYuan(s.fineFen)}${s.fineCapitals ? `（${s.fineCapitals}）` : ''}`));
  if (s.majorLines.length) blocks.push({ type: 'heading1', text: '五、属于重大执法决定的情形' }, ...s.majorLines.map(p));
  blocks.push({ type: 'heading1', text: '执法人员' }, p(s.officers.map((o) => `${o.name}${o.certNo ? `（执法证号 ${o.certNo}）` : ''}`).join('、') || '（无）'));
  if (s.procedure.length) blocks.push({ type: 'heading1', text: '已履行的程序' }, ...s.procedure.map((x) => p(`${x.step}：${x.date}${x.note ? `（${x.note}）` : ''}`)));
  if (s.attachments.length) blocks.push({ type: 'heading1', text: '附件（原件见案卷文件夹）' }, ...s.attachments.map((a, i) => p(`${i + 1}. ${a.name}（SHA-256 ${a.sha256}）`)));
  return blocks;
}

export function reviewBlocks(d: CaseDetail): Block[] {
  return d.reviews.flatMap((r): Block[] => [
    { type: 'heading1', text: `第${r.round}轮${r.kind === 'rereview' ? '复审' : '审核'}意见：${OUTCOME_LABELS[r.outcome]}` },
    p(`审核人：${r.reviewer}；出具时间：${formatChinaMoment(r.issuedAt)}`),
    { type: 'paragraph', text: r.opinion },
    { type: 'table', header: true, rows: [['序号', '审核事项', '结论', '理由'], ...r.findings.map((f) => [String(f.criterion), f.title, FINDING_LABELS[f.result], f.reason || '—'])], widths: [0.8, 3.2, 1.4, 3] },
    ...(r.requests.length ? [p(`补正要求：${r.requests.join('；')}`)] : []),
    ...(r.suggestions ? [p(`建议：${r.suggestions}`)] : []),
  ]);
}

export function approvalBlocks(d: CaseDetail): Block[] {
  return [
    ...d.approvals.map((a) => p(`${formatChinaMoment(a.decidedAt)}，${a.head}：${APPROVAL_LABELS[a.decision]}${a.meetingId ? '（负责人会议集体讨论决定）' : ''}。${a.opinion}${a.override ? `（未采纳法制审核意见，理由：${a.overrideReason ?? ''}）` : ''}`)),
    ...d.endings.map((e) => p(`${formatChinaMoment(e.at)}，提出${ENDING_LABELS[e.kind]}意见：${e.reason}`)),
  ];
}

function enforcementBlocks(d: CaseDetail): Block[] {
  const e = d.enforcement;
  if (!e) return [p('本案无须送达、执行的决定文书。')];
  const blocks: Block[] = [{ type: 'heading1', text: '一、送达' }];
  blocks.push(e.services.length
    ? { type: 'table', header: true, rows: [['文书', '方式', '受送达人', '送达日期', '要件'], ...e.services.map((s) => [s.documentName, s.methodLabel, s.recipient, formatChineseDate(s.servedOn), s.details.map((x) => `${x.label}：${x.value}`).join('；') || '—'])], widths: [2, 1.3, 1.4, 1.6, 3] }
    : p('（无送达记录）'));
  blocks.push({ type: 'heading1', text: '二、履行与执行' });
  blocks.push(e.executions.length
    ? { type: 'table', header: true, rows: [['事项', '日期', '金额或方式', '情况'], ...e.executions.map((x) => [x.stepLabel, formatChineseDate(x.onDate), x.amountLabel ?? x.measureLabel ?? '—', x.text || '—'])], widths: [2, 1.6, 1.6, 4] }
    : p('（无履行或执行记录）'));
  if (e.conclusion) blocks.push(p(`结论：${e.conclusion}`));
  return blocks;
}

function recordBlocks(d: CaseDetail, head: { seq: number; hash: string }, checkpoint: Awaited<ReturnType<typeof latestCheckpoint>> | null): Block[] {
  return [
    p(`本摘录含本案全部 ${d.timeline.length} 条全过程记录事件（全文及每条事件的哈希见案卷文件夹中的“${RECORD_FILE}”），组卷时均已逐条重算哈希校验通过。`),
    p(`组卷时记录链的最新事件：第 ${head.seq} 号，哈希 ${head.hash}。`),
    p(checkpoint
      ? `最近的已签名检查点：第 ${checkpoint.seq} 号事件，${formatChinaMoment(checkpoint.at)}，签名密钥指纹 ${checkpoint.fingerprint}。`
      : '本机关尚未设置记录签名密钥，记录摘录不含已签名的检查点。'),
    { type: 'table', header: true, rows: [['序号', '时间', '操作人', '操作', '摘要'], ...d.timeline.map((t) => [String(t.seq), formatChinaMoment(t.at), t.actor, t.label, t.summary || '—'])], widths: [0.9, 2, 1.3, 1.6, 3.6] },
  ];
}

interface Built {
  manifest: CaseFileManifest;
  pdf: Buffer;
  record: Buffer;
  lastCaseSeq: number;
}

async function buildCaseFile(core: Core, actor: Actor, row: CaseListRow, custodian: string): Promise<Built> {
  const d = await caseDetail(core, actor, row.id);
  const agency = (await getAgency(core.db))?.name ?? '';
  const today = cstDate(core.now());
  const todayLabel = formatChineseDate(today);
  const fonts = await fontsFor(core);
  const events = await eventsOfCase(core.db, row.id);
  for (const e of events) {
    // The extract is verified before it is frozen: each event's own hash, as 记录校验 checks it.
    const problem = eventRowProblem(e);
    if (problem) throw new AppError('BAD_STATE', `本案的全过程记录未通过校验（第 ${e.seq} 号事件：${problem}），不能组卷归档。请系统管理员运行“记录校验”（lrw audit verify）查明。`);
  }
  const head = (await core.db.get<{ seq: number; hash: string }>('SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1'))!;
  const checkpoint = (await latestCheckpoint(core.db)) ?? null;
  const part = (kind: string, title: string, blocks: Block[]) => renderRecordPart(kind, title, blocks, agency, todayLabel, fonts);
  const stored = (sha256: string) => fs.readFileSync(storedPath(core, sha256));

  const items: Item[] = [];
  const issued = await issuedFilesWithTemplate(core.db, row.id);
  const versions = [...new Set(issued.map((f) => f.document_version_id))];
  const issuedItems = versions.map((v) => {
    const files = issued.filter((f) => f.document_version_id === v);
    const main = files.find((f) => f.format === 'pdf') ?? files[0];
    return {
      decision: DECISION_TEMPLATES.has(main.template_id),
      item: {
        title: main.name.replace(/\.(pdf|docx|p7s)$/i, ''), dateLabel: indexDate(dateOf(main.issued_at)),
        pdf: main.format === 'pdf' ? stored(main.sha256) : null,
        entry: { title: main.name.replace(/\.(pdf|docx|p7s)$/i, ''), date: dateOf(main.issued_at), kind: 'issued' as const, files: files.map((f) => ({ path: f.name, sha256: f.sha256, size: f.size })) },
      },
    };
  });
  const push = (title: string, date: string, pdf: Buffer | null, kind: CaseFileEntry['kind'], files: CaseFileFile[] = []) =>
    items.push({ title, dateLabel: indexDate(date), pdf, entry: { title, date, kind, files } });

  items.push(...issuedItems.filter((x) => x.decision).map((x) => x.item));
  for (const s of d.submissions) {
    push(`第${s.round}轮送审材料`, dateOf(s.submittedAt), await part('case-file-materials', `第${s.round}轮送审材料`, materialsBlocks(d, s)), 'materials');
    for (const a of s.attachments) push(`第${s.round}轮送审附件：${a.name}`, dateOf(s.submittedAt), null, 'attachment', [{ path: a.name, sha256: a.sha256, size: a.size }]);
  }
  if (d.reviews.length) push('法制审核记录', dateOf(d.reviews.at(-1)!.issuedAt), await part('case-file-reviews', '法制审核记录', reviewBlocks(d)), 'reviews');
  items.push(...issuedItems.filter((x) => !x.decision).map((x) => x.item));
  if (d.approvals.length || d.endings.length) {
    const last = d.approvals.at(-1)?.decidedAt ?? d.endings.at(-1)!.at;
    push('审批记录', dateOf(last), await part('case-file-approvals', '审批记录', approvalBlocks(d)), 'approvals');
  }
  if (d.enforcement) {
    push('送达与执行记录', today, await part('case-file-enforcement', '送达与执行记录', enforcementBlocks(d)), 'enforcement');
    const sizeOf = (sha: string) => fs.statSync(storedPath(core, sha)).size;
    for (const s of d.enforcement.services) for (const f of s.files) push(`送达材料（${s.documentName}）：${f.name}`, s.servedOn, null, 'attachment', [{ path: f.name, sha256: f.sha256, size: sizeOf(f.sha256) }]);
    for (const x of d.enforcement.executions) for (const f of x.files) push(`${x.stepLabel}材料：${f.name}`, x.onDate, null, 'attachment', [{ path: f.name, sha256: f.sha256, size: sizeOf(f.sha256) }]);
  }

  const record = Buffer.from(`${JSON.stringify({
    format: 'lrw-casefile-record/1', agency, caseId: row.id, caseNo: row.case_no, head,
    events: events.map((e) => ({
      seq: Number(e.seq), at: e.at, actorId: e.actor_id === null ? null : Number(e.actor_id), actorName: e.actor_name, action: e.action,
      caseId: e.case_id === null ? null : Number(e.case_id), payloadJson: e.payload_json, payloadDigest: e.payload_digest,
      prevHash: e.prev_hash, hash: e.hash, format: Number(e.format ?? 1), records: e.records ?? '',
    })),
    checkpoint: checkpoint && { ...checkpoint, seq: Number(checkpoint.seq) },
  }, null, 2)}\n`);
  push('全过程记录摘录', today, await part('case-file-record', '全过程记录摘录', recordBlocks(d, head, checkpoint)), 'record',
    [{ path: RECORD_FILE, sha256: sha256Hex(record), size: record.length }]);

  const cover = {
    agency,
    dateLabel: todayLabel,
    rows: [
      ['案件编号', row.case_no], ['案件名称', row.title], ['当事人', row.party_name], ['决定类型', DECISION_KIND_LABELS[d.kind]],
      ['承办人', d.responsible.handler], ['审核人', d.responsible.reviewer ?? '—'], ['批准人', d.responsible.approver ?? '—'],
      ['归档日期', todayLabel], ['档案管理员', custodian], ['件数', `${items.length}件`],
    ] as [string, string][],
  };
  const assembled = await assembleCaseFile(cover, items, fonts, { title: `${row.case_no} ${row.title} 案卷`, createdAt: core.now() });
  // Original files get their place in the export: 原件/<entry number>-<name>.
  const entries: CaseFileEntry[] = items.map((it, i) => ({
    ...it.entry,
    no: i + 1,
    pages: assembled.pages[i],
    files: it.entry.files.map((f) => ({ ...f, path: f.path === RECORD_FILE ? RECORD_FILE : `原件/${pad(i + 1)}-${safeName(f.path)}` })),
  }));
  const manifest: CaseFileManifest = {
    format: 'lrw-casefile/1', agency, caseId: row.id, caseNo: row.case_no, title: row.title, partyName: row.party_name,
    kindLabel: DECISION_KIND_LABELS[d.kind], handler: d.responsible.handler, custodian, archivedOn: today, head,
    pdf: { path: CASE_FILE_PDF, sha256: sha256Hex(assembled.pdf), size: assembled.pdf.length, pages: assembled.totalPages },
    record: { path: RECORD_FILE, sha256: sha256Hex(record), size: record.length },
    entries,
  };
  return { manifest, pdf: assembled.pdf, record, lastCaseSeq: events.length ? Number(events.at(-1)!.seq) : 0 };
}

// ----------------------------------------------------------------------------------------- actions

/** 归档: assembles and freezes the case file and hands it to the named custodian. */
export async function archiveCase(core: Core, actor: Actor, input: unknown): Promise<CaseDetail> {
  const x = parseInput(ArchiveInput, input);
  requirePermission(actor, 'archive.transfer');
  const row = await loadCase(core, x.caseId);
  if (row.handler_id !== actor.id) throw new AppError('FORBIDDEN', '只有本案承办人可以组卷归档。');
  assertState(row.state, 'archive');
  const custodian = await getUserById(core.db, x.custodianId);
  if (!custodian || !custodian.active || !(await activeCustodians(core.db)).some((c) => c.id === x.custodianId)) {
    throw new AppError('VALIDATION', '所选人员不是在岗的档案管理员：案卷只能移交给具有“档案管理员”角色的用户。');
  }
  if (custodian.id === actor.id) throw new AppError('VALIDATION', '案卷应移交档案管理员接收，承办人不能把案卷移交给本人。');
  const built = await buildCaseFile(core, actor, row, custodian.display_name);
  const pdfBlob = await core.blobs.putStream(Readable.from([built.pdf]));
  const recordBlob = await core.blobs.putStream(Readable.from([built.record]));
  await tx(core, async () => {
    const now = await loadCase(core, x.caseId);
    assertState(now.state, 'archive');
    const last = Number(await core.db.value('SELECT MAX(seq) FROM events WHERE case_id = ?', [x.caseId]) ?? 0);
    if (last !== built.lastCaseSeq) throw new AppError('CONFLICT', '组卷期间本案有新的记录，请重新归档。');
    const at = nowIso(core);
    await insertBlob(core.db, pdfBlob.sha256, pdfBlob.size, at);
    await insertBlob(core.db, recordBlob.sha256, recordBlob.size, at);
    const id = await insertCaseFile(core.db, {
      case_id: x.caseId, custodian_id: custodian.id, head_seq: built.manifest.head.seq, head_hash: built.manifest.head.hash,
      pdf_sha256: pdfBlob.sha256, record_sha256: recordBlob.sha256, manifest_json: JSON.stringify(built.manifest), by_id: actor.id, at,
    });
    await completeClock(core.db, x.caseId, 'archive', at, actor.id);
    await updateCase(core.db, x.caseId, { state: 'archived' }, at);
    await appendEvent(core, actor, 'archive.transfer', x.caseId, {
      caseFileId: id, custodianId: custodian.id, custodian: custodian.display_name, entries: built.manifest.entries.length,
      pages: built.manifest.pdf.pages, pdfSha256: pdfBlob.sha256, recordSha256: recordBlob.sha256,
    });
  });
  return await caseDetail(core, actor, x.caseId);
}

async function loadCaseFile(core: Core, caseId: number): Promise<CaseFileRow> {
  const f = await caseFileOf(core.db, caseId);
  if (!f) throw new AppError('BAD_STATE', '本案尚未归档：办结后由承办人组卷归档。');
  return f;
}

/** The named custodian acknowledges receipt of the case file (接收). */
export async function receiveCaseFile(core: Core, actor: Actor, input: unknown): Promise<CaseDetail> {
  const x = parseInput(CaseFileReceiveInput, input);
  requirePermission(actor, 'archive.receive');
  await tx(core, async () => {
    const f = await loadCaseFile(core, x.caseId);
    if (f.custodian_id !== actor.id) throw new AppError('FORBIDDEN', `本案卷移交给档案管理员${f.custodian_name}，只能由其本人接收。`);
    if (f.received_at) throw new AppError('BAD_STATE', `本案卷已于${formatChinaMoment(f.received_at)}接收。`);
    const at = nowIso(core);
    await insertReceipt(core.db, { case_file_id: f.id, custodian_id: actor.id, note: x.note, at });
    await appendEvent(core, actor, 'archive.receive', x.caseId, { caseFileId: f.id, note: x.note });
  });
  return await caseDetail(core, actor, x.caseId);
}

/** Who may append to an archived case file: the legal office head, the case's handler, its custodian. */
const maySupplement = (actor: Actor, row: CaseListRow, f: CaseFileRow): boolean =>
  actor.roles.includes('legal_head') || (actor.roles.includes('handler') && row.handler_id === actor.id) || (actor.roles.includes('custodian') && f.custodian_id === actor.id);

async function assertMaySupplement(core: Core, actor: Actor, caseId: number, files: { sha256: string }[]): Promise<CaseFileRow> {
  requirePermission(actor, 'archive.supplement');
  const row = await loadCase(core, caseId);
  const f = await loadCaseFile(core, caseId);
  if (!maySupplement(actor, row, f)) throw new AppError('FORBIDDEN', '补充归档由本案承办人、法制机构负责人或接收本案卷的档案管理员办理。');
  for (const file of files) {
    if (!await blobExists(core.db, file.sha256)) throw new AppError('VALIDATION', '所附文件尚未上传，请重新选择文件。');
  }
  return f;
}

export async function checkSupplement(core: Core, actor: Actor, input: unknown): Promise<null> {
  const x = parseInput(CaseFileSupplementInput, input);
  await assertMaySupplement(core, actor, x.caseId, x.files);
  return null;
}

/** 补充归档: later material appended with its own index entry; the archived file itself is never changed. */
export async function addSupplement(core: Core, actor: Actor, input: unknown): Promise<CaseDetail> {
  const x = parseInput(CaseFileSupplementInput, input);
  await tx(core, async () => {
    const f = await assertMaySupplement(core, actor, x.caseId, x.files);
    const id = await insertSupplement(core.db, {
      case_file_id: f.id, case_id: x.caseId, kind: x.kind, title: x.title, text: x.text, files_json: JSON.stringify(x.files), by_id: actor.id, at: nowIso(core),
    });
    await appendEvent(core, actor, 'archive.supplement', x.caseId, { supplementId: id, kind: x.kind, title: x.title, files: x.files.length });
  });
  return await caseDetail(core, actor, x.caseId);
}

export async function custodians(core: Core, actor: Actor): Promise<{ id: number; name: string }[]> {
  requirePermission(actor, 'archive.transfer');
  return await activeCustodians(core.db);
}

// ------------------------------------------------------------------------------------------ reading

async function supplementViews(core: Core, caseId: number, frozen: number): Promise<CaseFileSupplementView[]> {
  return (await supplementsOf(core.db, caseId)).map((s, i) => {
    const no = frozen + i + 1;
    const files = (JSON.parse(s.files_json) as { sha256: string; name: string }[]).map((f, j) => ({
      path: `补充归档/${pad(no)}-${j + 1}-${safeName(f.name)}`, sha256: f.sha256, size: fs.existsSync(core.blobs.pathOf(f.sha256)) ? fs.statSync(core.blobs.pathOf(f.sha256)).size : 0,
    }));
    return { id: s.id, no, kind: s.kind, kindLabel: SUPPLEMENT_KIND_LABELS[s.kind], title: s.title, text: s.text, files, by: s.by_name, at: s.at };
  });
}

/** CaseDetail.caseFile: the archived file, or for a closed case whether the viewer may archive it. */
export async function caseFileView(core: Core, actor: Actor, row: CaseListRow): Promise<CaseFileView | null> {
  if (row.state !== 'closed' && row.state !== 'archived') return null;
  const own = row.handler_id === actor.id;
  if (row.state === 'closed') {
    return { archived: null, canArchive: own && hasPermission(actor.roles, 'archive.transfer'), canReceive: false, canSupplement: false };
  }
  const f = await caseFileOf(core.db, row.id);
  if (!f) return { archived: null, canArchive: false, canReceive: false, canSupplement: false };
  const manifest = JSON.parse(f.manifest_json) as CaseFileManifest;
  const custodian = f.custodian_id === actor.id;
  return {
    archived: {
      at: f.at, by: f.by_name, custodian: f.custodian_name, custodianId: f.custodian_id,
      received: f.received_at ? { at: f.received_at, note: f.received_note ?? '' } : null,
      manifest, supplements: await supplementViews(core, row.id, manifest.entries.length),
    },
    canArchive: false,
    canReceive: custodian && actor.roles.includes('custodian') && !f.received_at,
    canSupplement: maySupplement(actor, row, f),
  };
}

/** `casefile.manifest`: what an export of the archived file holds, for whoever may read the case. */
export async function caseFileExport(core: Core, actor: Actor, caseId: number): Promise<CaseFileExport> {
  const row = await loadCase(core, caseId);
  await requireRead(core, actor, row);
  const f = await loadCaseFile(core, caseId);
  const manifest = JSON.parse(f.manifest_json) as CaseFileManifest;
  const supplements = await supplementViews(core, caseId, manifest.entries.length);
  const files = [manifest.pdf, manifest.record, ...manifest.entries.flatMap((e) => e.files).filter((x) => x.path !== manifest.record.path), ...supplements.flatMap((s) => s.files)]
    .map((x) => ({ path: x.path, sha256: x.sha256, size: x.size }));
  return { manifest, received: f.received_at ? { at: f.received_at, custodian: f.custodian_name, note: f.received_note ?? '' } : null, supplements, files };
}

/** One piece of a file of the case file (only files the case file holds; never any other stored file). */
export async function caseFileChunk(core: Core, actor: Actor, input: unknown): Promise<{ base64: string; size: number; next: number | null }> {
  const x = parseInput(CaseFileChunkInput, input);
  const ex = await caseFileExport(core, actor, x.caseId);
  const file = ex.files.find((f) => f.sha256 === x.sha256);
  if (!file) throw new AppError('NOT_FOUND', '该文件不属于本案卷。');
  const fd = fs.openSync(storedPath(core, file.sha256), 'r');
  try {
    const size = fs.fstatSync(fd).size;
    const buf = Buffer.alloc(Math.max(0, Math.min(CHUNK, size - x.offset)));
    const n = buf.length ? fs.readSync(fd, buf, 0, buf.length, x.offset) : 0;
    const end = x.offset + n;
    return { base64: buf.subarray(0, n).toString('base64'), size, next: end < size ? end : null };
  } finally {
    fs.closeSync(fd);
  }
}

// ---------------------------------------------------------------------------------------- verifying

/**
 * `lrw casefile verify DIR`: an exported folder against the record. `exported` is the folder's
 * manifest.json, `hashOf` reads a file of the folder (null when it is missing). Every difference is a
 * problem, named; supplements appended after the export are a note (the export is older, not changed).
 */
export function compareExport(
  recorded: CaseFileExport, exported: unknown, hashOf: (path: string) => { sha256: string; size: number } | null,
): { problems: string[]; notes: string[] } {
  const problems: string[] = [];
  const notes: string[] = [];
  const m = exported as Partial<CaseFileExport> | null;
  if (!m || typeof m !== 'object' || !m.manifest || typeof m.manifest !== 'object') return { problems: ['manifest.json 不是本系统导出的案卷清单。'], notes };
  if (JSON.stringify(m.manifest) !== JSON.stringify(recorded.manifest)) {
    problems.push('manifest.json 中的归档清单与记录中归档时冻结的清单不一致（卷内目录、文件或其校验值被改动）。');
  }
  const had = Array.isArray(m.supplements) ? m.supplements : [];
  const prefix = recorded.supplements.slice(0, had.length);
  if (JSON.stringify(had) !== JSON.stringify(prefix)) problems.push('manifest.json 中的补充归档材料与记录不一致。');
  const later = recorded.supplements.slice(had.length);
  if (later.length) notes.push(`导出后又补充归档 ${later.length} 件（${later.map((x) => `${x.no}. ${x.title}`).join('；')}），不在此导出中。`);
  const laterFiles = new Set(later.flatMap((x) => x.files.map((f) => f.path)));
  const listed = new Set((Array.isArray(m.files) ? m.files : []).map((f) => f.path));
  for (const f of recorded.files.filter((x) => !laterFiles.has(x.path))) {
    const got = hashOf(f.path);
    if (!got) problems.push(`缺少文件“${f.path}”。`);
    else if (got.sha256 !== f.sha256 || got.size !== f.size) problems.push(`文件“${f.path}”与归档时不一致（SHA-256 应为 ${f.sha256}，实为 ${got.sha256}）。`);
    if (!listed.has(f.path)) problems.push(`manifest.json 未列出文件“${f.path}”。`);
  }
  return { problems, notes };
}
