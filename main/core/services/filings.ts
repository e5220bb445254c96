// 备案 (000 四(一)4: 作出重大行政执法决定后，要及时向本级政府备案；备案监督机关经审查发现违法不当的，
// 要及时责令改正；拒不改正的，予以撤销. 004 五(一): 报送区政府和市级主管部门备案).
//
// A case is filed on its 备案报告: a document like any other (templates/filing-report.txt), drafted,
// finalised and issued through the gate by the legal office head once the decision is approved. Issuing
// it makes the package — the report, an index, and the decision, the review and re-review opinions, the
// minutes, the approval and every other signed document of the case — into one PDF signed as a whole
// (renderForIssue calls filingPackage), with the chain head at issue inside its signed bytes.
// Then the legal office head records the filing (date, recipients) and each recipient's response:
// 准予备案, 责令改正 (open on the case until the handler or the legal office head records the correction),
// 予以撤销. An archived case gets each response and correction as a supplement (补充归档).
import { FilingCorrectionInput, FilingRecordInput, FilingResponseInput, FilingSettingsInput } from '../../../preload/contract';
import fs from 'node:fs';
import { cstDate, formatChineseDate, formatChinaMoment } from '../domain/calendar/cst';
import { AppError } from '../domain/errors';
import { hasPermission } from '../domain/permissions';
import type { CaseDetail, CaseFilingView, FilingResponseView, FilingSettingsView, FilingView } from '../domain/views';
import type { Block } from '../documents/model';
import { appendEnclosures, pagesOf, renderRecordPart } from '../documents/caseFilePdf';
import { getAgency } from '../db/repos/agency';
import type { CaseListRow } from '../db/repos/cases';
import { caseFileOf, insertSupplement, issuedFilesWithTemplate } from '../db/repos/caseFiles';
import { getSetting, setSetting } from '../db/repos/deadlines';
import { appendEvent } from './audit';
import { requirePermission } from './auth';
import { approvalBlocks, reviewBlocks, storedPath } from './caseFiles';
import { caseDetail, loadCase } from './cases';
import { type Actor, type Core, nowIso, parseInput, tx } from './core';
import { fontsFor } from './fonts';
import { assertFresh, settingVersion } from './versions';

export const FILING_TEMPLATE = 'filing-report';
export const FILING_RESULT_LABELS = { accepted: '准予备案', correct: '责令改正', revoked: '予以撤销' } as const;
type FilingResult = keyof typeof FILING_RESULT_LABELS;

/** 004 五(一): the district government and the municipal competent department; each agency names its own. */
export const DEFAULT_FILING_RECIPIENTS = ['区人民政府（区司法局）', '市级主管部门'];

// ------------------------------------------------------------------------------------------ settings

export async function filingRecipients(core: Core): Promise<string[]> {
  return (await getSetting<{ recipients: string[] }>(core.db, 'filing'))?.recipients ?? DEFAULT_FILING_RECIPIENTS;
}

export async function filingSettingsView(core: Core): Promise<FilingSettingsView> {
  return { recipients: await filingRecipients(core), version: (await settingVersion(core, 'filing')).version };
}

export async function updateFilingSettings(core: Core, actor: Actor, input: unknown): Promise<FilingSettingsView> {
  requirePermission(actor, 'settings.manage');
  const { expectedVersion, recipients } = parseInput(FilingSettingsInput, input);
  await tx(core, async () => {
    await assertFresh(core, '备案接收机关设置', expectedVersion, await settingVersion(core, 'filing'));
    await setSetting(core.db, 'filing', { recipients }, nowIso(core));
    await appendEvent(core, actor, 'settings.filing', null, { recipients });
  });
  return await filingSettingsView(core);
}

// ------------------------------------------------------------------------------------------ package

/** Enclosures in the order a reader of the filing expects: the decision first, then how it was reached. */
const ENCLOSURE_ORDER = ['penalty-decision', 'no-penalty-decision', 'review-opinion', 'rereview-opinion', 'discussion-minutes', 'approval-form'];
const DECISIONS = new Set(['penalty-decision', 'no-penalty-decision']);
const p = (text: string): Block => ({ type: 'paragraph', text, indent: false });

/**
 * The issued 备案报告 as the package: the report's pages, then 备案材料目录 and each enclosure — the latest
 * issued PDF of every other document of the case, and the review and approval records rendered from the
 * record where no signed opinion or approval form was issued. A penalty case is filed only with its
 * decision document issued.
 */
export async function filingPackage(core: Core, actor: Actor, caseId: number, report: Buffer): Promise<Buffer> {
  const detail = await caseDetail(core, actor, caseId);
  const issued = (await issuedFilesWithTemplate(core.db, caseId)).filter((f) => f.format === 'pdf' && f.template_id !== FILING_TEMPLATE);
  const latest = new Map<string, (typeof issued)[number]>();
  for (const f of issued) latest.set(f.template_id, f);
  const templates = [...latest.keys()].sort((a, b) => rank(a) - rank(b));
  if (detail.kind === 'penalty' && !templates.some((t) => DECISIONS.has(t))) {
    throw new AppError('BAD_STATE', '备案材料须附决定文书：请先签发行政处罚决定书（或不予行政处罚决定书），再签发备案报告。');
  }
  const agency = (await getAgency(core.db))?.name ?? '';
  const today = formatChineseDate(cstDate(core.now()));
  const fonts = await fontsFor(core);
  const parts: { title: string; pdf: Buffer; date: string; sha256: string | null }[] = [];
  for (const t of templates) {
    const f = latest.get(t)!;
    parts.push({ title: f.name.replace(/\.pdf$/i, ''), pdf: fs.readFileSync(storedPath(core, f.sha256)), date: formatChinaMoment(f.issued_at), sha256: f.sha256 });
  }
  if (!latest.has('review-opinion') && detail.reviews.length) {
    parts.push({ title: '法制审核记录', pdf: await renderRecordPart('filing-reviews', '法制审核记录', reviewBlocks(detail), agency, today, fonts), date: today, sha256: null });
  }
  if (!latest.has('approval-form') && (detail.approvals.length || detail.endings.length)) {
    parts.push({ title: '审批记录', pdf: await renderRecordPart('filing-approvals', '审批记录', approvalBlocks(detail), agency, today, fonts), date: today, sha256: null });
  }
  if (!parts.length) throw new AppError('BAD_STATE', '本案没有可随备案报告报送的材料。');
  const counts = await Promise.all(parts.map((x) => pagesOf(x.pdf, x.title)));
  const index = await renderRecordPart('filing-index', '备案材料目录', [
    { type: 'table', header: true, widths: [0.7, 4.2, 2, 0.8], rows: [['序号', '材料', '日期', '页数'], ...parts.map((x, i) => [String(i + 1), x.title, x.date, String(counts[i])])] },
    p('以上签发文书与本机关存档的签名原件一致，其 SHA-256 校验值如下（由本机关法制审核工作台生成）：'),
    ...parts.filter((x) => x.sha256).map((x) => p(`${x.title}：${x.sha256}`)),
  ], agency, today, fonts);
  return await appendEnclosures(report, index, parts);
}

const rank = (t: string) => (ENCLOSURE_ORDER.includes(t) ? ENCLOSURE_ORDER.indexOf(t) : ENCLOSURE_ORDER.length);

// ------------------------------------------------------------------------------------------ rows

interface FilingRow {
  id: number;
  case_id: number | null;
  proposal_id: number | null;
  package_issued_id: number | null;
  package_name: string | null;
  catalog_version: number | null;
  filed_on: string;
  recipients_json: string;
  note: string;
  by_name: string;
  at: string;
}

interface ResponseRow {
  id: number;
  filing_id: number;
  recipient: string;
  result: FilingResult;
  received_on: string;
  text: string;
  by_name: string;
  at: string;
  c_text: string | null;
  c_by: string | null;
  c_at: string | null;
}

const FILING_SELECT = `SELECT f.id, f.case_id, f.proposal_id, f.package_issued_id, i.name AS package_name, f.catalog_version, f.filed_on,
    f.recipients_json, f.note, u.display_name AS by_name, f.at
  FROM filings f JOIN users u ON u.id = f.by_id LEFT JOIN issued_files i ON i.id = f.package_issued_id`;

const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
const filingRow = (r: FilingRow): FilingRow => ({ ...r, id: Number(r.id), case_id: num(r.case_id), proposal_id: num(r.proposal_id), package_issued_id: num(r.package_issued_id), catalog_version: num(r.catalog_version) });

export async function filingRows(core: Core, where: { caseId: number } | { proposalIds: true }): Promise<FilingRow[]> {
  const rows = 'caseId' in where
    ? await core.db.all<FilingRow>(`${FILING_SELECT} WHERE f.case_id = ? ORDER BY f.id`, [where.caseId])
    : await core.db.all<FilingRow>(`${FILING_SELECT} WHERE f.proposal_id IS NOT NULL ORDER BY f.id`);
  return rows.map(filingRow);
}

async function responsesOf(core: Core, filingIds: number[]): Promise<ResponseRow[]> {
  if (!filingIds.length) return [];
  const rows = await core.db.all<ResponseRow>(`SELECT r.id, r.filing_id, r.recipient, r.result, r.received_on, r.text, u.display_name AS by_name, r.at,
      c.text AS c_text, b.display_name AS c_by, c.at AS c_at
    FROM filing_responses r JOIN users u ON u.id = r.by_id
    LEFT JOIN filing_corrections c ON c.response_id = r.id LEFT JOIN users b ON b.id = c.by_id
    WHERE r.filing_id IN (${filingIds.map(() => '?').join(', ')}) ORDER BY r.id`, filingIds);
  return rows.map((r) => ({ ...r, id: Number(r.id), filing_id: Number(r.filing_id) }));
}

/** Filings with their responses; `mayCorrect` says whether the viewer may record a correction. */
export async function filingViews(core: Core, filings: FilingRow[], mayCorrect: boolean): Promise<FilingView[]> {
  const responses = await responsesOf(core, filings.map((f) => f.id));
  return filings.map((f) => {
    const recipients = JSON.parse(f.recipients_json) as string[];
    const mine = responses.filter((r) => r.filing_id === f.id);
    return {
      id: f.id, filedOn: f.filed_on, recipients, note: f.note, by: f.by_name, at: f.at,
      packageName: f.package_name, packageIssuedId: f.package_issued_id, catalogVersion: f.catalog_version,
      responses: mine.map((r): FilingResponseView => ({
        id: r.id, recipient: r.recipient, result: r.result, resultLabel: FILING_RESULT_LABELS[r.result], receivedOn: r.received_on, text: r.text, by: r.by_name, at: r.at,
        correction: r.c_text !== null ? { text: r.c_text, by: r.c_by ?? '', at: r.c_at ?? '' } : null,
        canCorrect: mayCorrect && r.result === 'correct' && r.c_text === null,
      })),
      awaiting: recipients.filter((x) => !mine.some((r) => r.recipient === x)),
    };
  });
}

/** Who records a correction on a case: its handler or the legal office head. */
const mayCorrectCase = (actor: Actor, row: CaseListRow): boolean =>
  hasPermission(actor.roles, 'filing.correct') && (actor.roles.includes('legal_head') || row.handler_id === actor.id);

const APPROVED_STATES = new Set(['approved', 'closed', 'archived']);

/** CaseDetail.filing: null until the decision is approved. */
export async function caseFilingView(core: Core, actor: Actor, row: CaseListRow): Promise<CaseFilingView | null> {
  const filings = await filingRows(core, { caseId: row.id });
  if (!APPROVED_STATES.has(row.state) && !filings.length) return null;
  const views = await filingViews(core, filings, mayCorrectCase(actor, row));
  const reports = (await issuedFilesWithTemplate(core.db, row.id)).filter((f) => f.template_id === FILING_TEMPLATE && f.format === 'pdf');
  const newest = reports.at(-1);
  const unfiled = newest && !filings.some((f) => f.package_issued_id === newest.id) ? newest : undefined;
  return {
    unfiledPackage: unfiled ? { issuedId: unfiled.id, name: unfiled.name, issuedAt: unfiled.issued_at } : null,
    filings: views,
    canRecord: hasPermission(actor.roles, 'filing.record'),
    defaultRecipients: await filingRecipients(core),
    revoked: views.some((f) => f.responses.some((r) => r.result === 'revoked')),
  };
}

// ------------------------------------------------------------------------------------------ dates

/** A date the user gives for something that has happened: not in the future (China calendar). */
export function assertPast(date: string, label: string, core: Core): void {
  const today = cstDate(core.now());
  if (date > today) throw new AppError('VALIDATION', `${label}（${formatChineseDate(date)}）不能晚于今天（${formatChineseDate(today)}）。`);
}

// ------------------------------------------------------------------------------------------ actions

/** 报送备案: the legal office head records that the newest issued 备案报告 was filed with the named recipients. */
export async function recordFiling(core: Core, actor: Actor, input: unknown): Promise<CaseDetail> {
  const x = parseInput(FilingRecordInput, input);
  requirePermission(actor, 'filing.record');
  assertPast(x.filedOn, '报送备案日期', core);
  await tx(core, async () => {
    const row = await loadCase(core, x.caseId);
    if (!APPROVED_STATES.has(row.state)) throw new AppError('BAD_STATE', '重大执法决定经批准后才能报送备案。');
    const reports = (await issuedFilesWithTemplate(core.db, x.caseId)).filter((f) => f.template_id === FILING_TEMPLATE && f.format === 'pdf');
    const pkg = reports.at(-1);
    if (!pkg) throw new AppError('BAD_STATE', '请先制作并签发“重大行政执法决定备案报告”（签发时附上决定文书等材料，合为一个签名文件），再登记报送备案。');
    if (await core.db.get('SELECT 1 FROM filings WHERE package_issued_id = ?', [pkg.id])) {
      throw new AppError('CONFLICT', `备案报告“${pkg.name}”已登记报送；改正后重新报送的，请签发新版本的备案报告。`);
    }
    const issuedOn = cstDate(new Date(pkg.issued_at));
    if (x.filedOn < issuedOn) throw new AppError('VALIDATION', `报送备案日期不能早于备案报告的签发日期（${formatChineseDate(issuedOn)}）。`);
    const at = nowIso(core);
    const id = await core.db.insert(`INSERT INTO filings (subject, case_id, package_issued_id, filed_on, recipients_json, note, by_id, at)
      VALUES ('case', ?, ?, ?, ?, ?, ?, ?)`, [x.caseId, pkg.id, x.filedOn, JSON.stringify(x.recipients), x.note, actor.id, at]) as number;
    await appendEvent(core, actor, 'filing.record', x.caseId, { filingId: Number(id), filedOn: x.filedOn, recipients: x.recipients, package: { name: pkg.name, sha256: pkg.sha256 }, note: x.note });
  });
  return await caseDetail(core, actor, x.caseId);
}

interface FilingTarget { id: number; case_id: number | null; proposal_id: number | null; filed_on: string; recipients_json: string }

/**
 * One recipient's response to a filing, for a case (filings.respond) or a catalog change (catalog.respond);
 * `subject` is the caller's, and a filing of the other kind is refused. Returns the response's id.
 */
export async function insertResponse(core: Core, actor: Actor, input: unknown, subject: 'case' | 'catalog',
  after?: (f: FilingTarget, responseId: number, result: FilingResult) => Promise<void>): Promise<FilingTarget> {
  const x = parseInput(FilingResponseInput, input);
  assertPast(x.receivedOn, '收到审查意见的日期', core);
  if (x.result !== 'accepted' && x.text.length < 2) throw new AppError('VALIDATION', `审查结果为“${FILING_RESULT_LABELS[x.result]}”的，请填写备案监督机关的审查意见（违法或不当之处及要求）。`);
  let target: FilingTarget | undefined;
  await tx(core, async () => {
    const f = await core.db.get<FilingTarget>('SELECT id, case_id, proposal_id, filed_on, recipients_json FROM filings WHERE id = ?', [x.filingId]);
    if (!f || (subject === 'case') !== (f.case_id !== null)) throw new AppError('NOT_FOUND', subject === 'case' ? '该案件备案记录不存在。' : '该目录清单备案记录不存在。');
    target = { ...f, id: Number(f.id), case_id: num(f.case_id), proposal_id: num(f.proposal_id) };
    if (target.case_id !== null) await loadCase(core, target.case_id);
    const recipients = JSON.parse(f.recipients_json) as string[];
    if (!recipients.includes(x.recipient)) throw new AppError('VALIDATION', `“${x.recipient}”不是本次备案的接收机关（${recipients.join('、')}）。`);
    if (await core.db.get('SELECT 1 FROM filing_responses WHERE filing_id = ? AND recipient = ?', [f.id, x.recipient])) {
      throw new AppError('CONFLICT', `已登记${x.recipient}对本次备案的审查意见；审查意见不能修改，如有新的意见，请在改正后重新报送备案。`);
    }
    if (x.receivedOn < f.filed_on) throw new AppError('VALIDATION', `收到审查意见的日期不能早于报送备案日期（${formatChineseDate(f.filed_on)}）。`);
    const at = nowIso(core);
    const id = Number(await core.db.insert(`INSERT INTO filing_responses (filing_id, case_id, recipient, result, received_on, text, by_id, at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, [f.id, target.case_id, x.recipient, x.result, x.receivedOn, x.text, actor.id, at]));
    if (target.case_id !== null) await supplementIfArchived(core, actor, target.case_id, x.result === 'accepted' ? 'other' : x.result === 'correct' ? 'correction' : 'withdrawal',
      `${x.recipient}备案审查意见（${FILING_RESULT_LABELS[x.result]}）`, x.text || `${FILING_RESULT_LABELS[x.result]}。`, at);
    await after?.(target, id, x.result);
    await appendEvent(core, actor, 'filing.respond', target.case_id, { filingId: target.id, responseId: id, recipient: x.recipient, result: x.result, receivedOn: x.receivedOn, text: x.text });
  });
  return target!;
}

async function supplementIfArchived(core: Core, actor: Actor, caseId: number, kind: 'correction' | 'withdrawal' | 'other', title: string, text: string, at: string): Promise<void> {
  const file = await caseFileOf(core.db, caseId);
  if (file) await insertSupplement(core.db, { case_file_id: file.id, case_id: caseId, kind, title, text, files_json: '[]', by_id: actor.id, at });
}

export async function respondFiling(core: Core, actor: Actor, input: unknown): Promise<CaseDetail> {
  requirePermission(actor, 'filing.record');
  const f = await insertResponse(core, actor, input, 'case');
  return await caseDetail(core, actor, f.case_id!);
}

/** The correction a 责令改正 asked for (once per order), for a case or a catalog change. */
export async function insertCorrection(core: Core, actor: Actor, input: unknown, subject: 'case' | 'catalog'): Promise<{ caseId: number | null }> {
  const x = parseInput(FilingCorrectionInput, input);
  let caseId: number | null = null;
  await tx(core, async () => {
    const r = await core.db.get<{ id: number; case_id: number | null; result: FilingResult; recipient: string }>('SELECT id, case_id, result, recipient FROM filing_responses WHERE id = ?', [x.responseId]);
    if (!r || (subject === 'case') !== (r.case_id !== null)) throw new AppError('NOT_FOUND', '备案审查意见不存在。');
    caseId = num(r.case_id);
    if (caseId !== null) {
      const row = await loadCase(core, caseId);
      if (!mayCorrectCase(actor, row)) throw new AppError('FORBIDDEN', '备案审查机关责令改正的，由本案承办人或法制机构负责人登记改正情况。');
    }
    if (r.result !== 'correct') throw new AppError('BAD_STATE', `该审查意见为“${FILING_RESULT_LABELS[r.result]}”，不是责令改正，无需登记改正情况。`);
    if (await core.db.get('SELECT 1 FROM filing_corrections WHERE response_id = ?', [r.id])) throw new AppError('CONFLICT', '该责令改正意见已登记改正情况。');
    const at = nowIso(core);
    await core.db.run('INSERT INTO filing_corrections (response_id, case_id, text, by_id, at) VALUES (?, ?, ?, ?, ?)', [r.id, caseId, x.text, actor.id, at]);
    if (caseId !== null) await supplementIfArchived(core, actor, caseId, 'correction', `对${r.recipient}责令改正意见的改正情况`, x.text, at);
    await appendEvent(core, actor, 'filing.correct', caseId, { responseId: Number(r.id), text: x.text });
  });
  return { caseId };
}

export async function correctFiling(core: Core, actor: Actor, input: unknown): Promise<CaseDetail> {
  requirePermission(actor, 'filing.correct');
  const { caseId } = await insertCorrection(core, actor, input, 'case');
  return await caseDetail(core, actor, caseId!);
}

/** The filed package's bytes (the issued 备案报告), for `lrw filing export` and the case page's 下载. */
export async function filingPackageFile(core: Core, actor: Actor, caseId: number): Promise<{ name: string; base64: string }> {
  const detail = await caseDetail(core, actor, caseId);
  if (!detail.filing) throw new AppError('BAD_STATE', '重大执法决定经批准后才有备案材料。');
  const reports = (await issuedFilesWithTemplate(core.db, caseId)).filter((f) => f.template_id === FILING_TEMPLATE && f.format === 'pdf');
  const pkg = reports.at(-1);
  if (!pkg) throw new AppError('BAD_STATE', '本案尚未签发备案报告：请在“文书”中起草“重大行政执法决定备案报告”，定稿后签发。');
  return { name: pkg.name, base64: fs.readFileSync(storedPath(core, pkg.sha256)).toString('base64') };
}

/** Cases whose filing has an open 责令改正 (their 待办), optionally of one handler. */
export async function casesAwaitingCorrection(core: Core, handlerId?: number): Promise<number[]> {
  const rows = await core.db.column(`SELECT DISTINCT r.case_id FROM filing_responses r JOIN cases c ON c.id = r.case_id
      LEFT JOIN filing_corrections x ON x.response_id = r.id
     WHERE r.result = 'correct' AND x.response_id IS NULL${handlerId === undefined ? '' : ' AND c.handler_id = ?'}`, handlerId === undefined ? [] : [handlerId]);
  return rows.map(Number);
}

/** Approved major decisions not yet filed (the legal office head's 待办): no filing recorded on the case. */
export async function casesAwaitingFiling(core: Core): Promise<number[]> {
  const rows = await core.db.column(`SELECT c.id FROM cases c
     WHERE c.state IN ('approved', 'closed', 'archived')
       AND EXISTS (SELECT 1 FROM approvals a WHERE a.case_id = c.id AND a.decision = 'approve')
       AND NOT EXISTS (SELECT 1 FROM filings f WHERE f.case_id = c.id)`);
  return rows.map(Number);
}
