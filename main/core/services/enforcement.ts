// After the decision: service and execution (送达、执行). The handler records each service of a decision
// document with what its method's article requires (000 第二十四至二十八条) and each fact of execution
// (第二十九至三十二条): payment or performance, a rectification checked, the 催告 served, the party's
// statement reviewed, an enforcement measure, the application to the court and its result. The statutory
// periods are clocks:
// - service of a penalty decision within 7 days of its issue when the party was not present (行政处罚法
//   第六十一条; 第八十五条: 七日 counts working days);
// - payment within 15 days of receipt (第六十七条), then a surcharge of 3% of the fine a day, never above
//   the fine (第七十二条; 15 days is not one of 第八十五条's short periods, so natural days);
// - after the 催告 is served, 10 days before the court may be asked (行政强制法 第五十四条; 第六十九条: 十日
//   counts working days), and at most 3 months after the period for review or suit ends (第五十三条;
//   the later of the two is suit, 6 months from receipt: 行政诉讼法 第四十六条).
// 办结 (closing the enforcement act) needs every issued decision document served and, for an approved
// decision, its execution concluded; the 30-day archive clock then starts (cases.closeCase).
import { ExecutionRecordInput, ServiceRecordInput } from '../../../preload/contract';
import { addDays, addMonths, cstDate, cstInstant, diffDays } from '../domain/calendar/cst';
import { addPeriod, isProvisionalDate, isWorkingDay, type Calendar } from '../domain/calendar';
import { AppError } from '../domain/errors';
import { formatYuan, parseYuan } from '../domain/money';
import { hasPermission } from '../domain/permissions';
import { CASE_STATE_LABELS } from '../domain/types';
import type { CaseDetail, ClockView, EnforcementView, ExecutionRecordView, ServiceRecordView } from '../domain/views';
import { blobExists, submissionsOf, type CaseListRow } from '../db/repos/cases';
import { completeClock, upsertClock } from '../db/repos/deadlines';
import {
  executionRecordsOf, insertExecutionRecord, insertServiceRecord, issuedDocumentsOf, serviceRecordsOf,
  type ExecutionRecordRow, type ExecutionStep, type ServiceRecordRow,
} from '../db/repos/enforcement';
import { appendEvent } from './audit';
import { requirePermission } from './auth';
import { caseDetail, loadCase, requireRead } from './cases';
import { type Actor, type Core, nowIso, parseInput, tx } from './core';
import { loadCalendar } from './deadlines';

export const SERVICE_METHOD_LABELS: Record<ServiceRecordRow['method'], string> = {
  direct: '直接送达',
  post: '邮寄送达',
  left: '留置送达',
  entrusted: '委托、转交送达',
  notice: '公告送达',
};

export const EXECUTION_STEP_LABELS: Record<ExecutionStep, string> = {
  paid: '缴纳罚款（款项）',
  performed: '当事人履行',
  rectification: '改正情况核查',
  reminder: '催告书送达',
  statement: '陈述、申辩的复核',
  enforced: '强制执行',
  court_applied: '申请人民法院强制执行',
  court_result: '人民法院强制执行结果',
};

export const ENFORCEMENT_MEASURE_LABELS: Record<string, string> = {
  surcharge: '加处罚款或滞纳金',
  transfer: '划拨存款、汇款',
  auction: '拍卖或依法处理查封、扣押的场所、设施或财物',
  restore: '排除妨碍、恢复原状',
  substitute: '代履行',
  other: '其他强制执行方式',
};

/** The particulars each method records, with their labels (the keys of details_json). */
const DETAIL_LABELS: Record<string, string> = {
  server: '送达人',
  signer: '签收人',
  carrier: '邮寄方式',
  trackingNo: '邮件号码',
  postedOn: '交邮日期',
  refusal: '拒收事由',
  witness: '见证人',
  avRecord: '音像记录',
  reason: '委托、转交原因',
  via: '受托或转交单位',
  otherMeansFailed: '已采用其他方式均无法送达的情况',
};
const CARRIER_LABELS: Record<string, string> = { registered: '挂号信', express: '特快专递' };

/** The documents a party must be served with before the enforcement act can close. */
const DECISION_TEMPLATES: Record<string, string> = {
  'penalty-decision': '行政处罚决定书',
  'no-penalty-decision': '不予行政处罚决定书',
};

export const ENFORCEMENT_CLOCK_LABELS = {
  service: '送达行政处罚决定书（7个工作日）',
  payment: '缴纳罚款（收到决定书之日起15日）',
  court_application: '申请人民法院强制执行（复议、诉讼期限届满后3个月内）',
} as const;

/** Surcharge days and amount on a date: 3% of the fine for each day after the due date, never above the fine. */
export function surchargeOn(fineFen: number, dueOn: string, on: string): { days: number; fen: number; capped: boolean } {
  const days = Math.max(0, diffDays(dueOn, on));
  const raw = Math.floor((fineFen * 3 * days) / 100);
  return { days, fen: Math.min(raw, fineFen), capped: raw >= fineFen && days > 0 };
}

/** A period's last day that is a holiday or weekend moves to the next working day (as addPeriod's natural mode). */
function onWorkingDay(date: string, cal: Calendar): string {
  let d = date;
  while (!isWorkingDay(d, cal)) d = addDays(d, 1);
  return d;
}

const fileList = (json: string) => JSON.parse(json) as { sha256: string; name: string }[];

/** Everything the rules read about a case's enforcement, in one place. */
async function facts(core: Core, row: CaseListRow) {
  const [services, executions, issued, submissions, cal] = await Promise.all([
    serviceRecordsOf(core.db, row.id), executionRecordsOf(core.db, row.id), issuedDocumentsOf(core.db, row.id), submissionsOf(core.db, row.id), loadCalendar(core),
  ]);
  const last = submissions.at(-1);
  const fineFen = row.kind === 'penalty' && last ? ((JSON.parse(last.payload_json) as { fineFen?: number | null }).fineFen ?? null) : null;
  const decisions = issued.filter((d) => d.template_id in DECISION_TEMPLATES);
  const firstService = services.map((s) => s.served_on).sort()[0] ?? null;
  const paymentDue = fineFen && fineFen > 0 && firstService ? addPeriod(firstService, 15, 'natural', cal).due : null;
  const reminder = executions.find((e) => e.step === 'reminder') ?? null;
  // 行政强制法 第五十三条: within 3 months of the end of the period for review or suit (suit: 6 months from receipt).
  const courtLatest = firstService ? onWorkingDay(addMonths(firstService, 9), cal) : null;
  return { services, executions, issued, decisions, fineFen, firstService, paymentDue, reminder, courtLatest, cal };
}
type Facts = Awaited<ReturnType<typeof facts>>;

function payment(f: Facts) {
  if (!f.fineFen || f.fineFen <= 0) return null;
  const paid = f.executions.filter((e) => e.step === 'paid');
  const paidFen = paid.reduce((n, e) => n + (e.amount_fen ?? 0), 0);
  const lastPaid = paid.map((e) => e.on_date).sort().at(-1) ?? null;
  return { paidFen, lastPaid };
}

/** Whether execution is concluded, and by what (the first concluding record). */
function conclusion(f: Facts, cal: { today: string }): { concluded: boolean; text: string | null; owed: { fineFen: number; surcharge: ReturnType<typeof surchargeOn>; owedFen: number; paidFen: number } | null } {
  const p = payment(f);
  let owed: { fineFen: number; surcharge: ReturnType<typeof surchargeOn>; owedFen: number; paidFen: number } | null = null;
  if (p && f.fineFen) {
    const on = p.paidFen > 0 && p.lastPaid ? p.lastPaid : cal.today;
    const surcharge = f.paymentDue ? surchargeOn(f.fineFen, f.paymentDue, on) : { days: 0, fen: 0, capped: false };
    owed = { fineFen: f.fineFen, surcharge, owedFen: f.fineFen + surcharge.fen, paidFen: p.paidFen };
  }
  for (const e of f.executions) {
    if (e.step === 'performed') return { concluded: true, text: `当事人已履行（${e.on_date}）`, owed };
    if (e.step === 'rectification') return { concluded: true, text: `改正情况已核查（${e.on_date}）`, owed };
    if (e.step === 'enforced') return { concluded: true, text: `已强制执行：${ENFORCEMENT_MEASURE_LABELS[e.measure ?? 'other']}（${e.on_date}）`, owed };
    if (e.step === 'court_result') return { concluded: true, text: `人民法院强制执行终结（${e.on_date}）`, owed };
  }
  if (owed && owed.paidFen >= owed.owedFen) return { concluded: true, text: `罚款${owed.surcharge.fen > 0 ? '及加处罚款' : ''}已缴清（${formatYuan(owed.paidFen)}）`, owed };
  return { concluded: false, text: null, owed };
}

/** What still stands between the case and 办结 (empty: it may close). */
function closeBlockers(row: CaseListRow, f: Facts, today: string): string[] {
  const out: string[] = [];
  for (const d of f.decisions) {
    if (!f.services.some((s) => s.document_id === d.id)) out.push(`${DECISION_TEMPLATES[d.template_id]}${d.doc_number ? `（${d.doc_number}）` : ''}尚未登记送达`);
  }
  if (row.state === 'approved') {
    if (f.services.length === 0) out.push('尚未登记执法决定文书的送达');
    const c = conclusion(f, { today });
    if (!c.concluded) {
      out.push(c.owed && c.owed.paidFen > 0
        ? `罚款尚未缴清：应缴${formatYuan(c.owed.owedFen)}（罚款${formatYuan(c.owed.fineFen)}${c.owed.surcharge.fen > 0 ? `，加处罚款${formatYuan(c.owed.surcharge.fen)}` : ''}），已缴${formatYuan(c.owed.paidFen)}`
        : '尚未登记履行或执行完毕的情况（缴清罚款、当事人履行、改正核查、强制执行或人民法院执行结果）');
    }
  }
  return out;
}

/** Called by cases.closeCase inside its transaction: refuses 办结 while service or execution is outstanding. */
export async function assertEnforcementConcluded(core: Core, row: CaseListRow): Promise<void> {
  const blockers = closeBlockers(row, await facts(core, row), cstDate(core.now()));
  if (blockers.length > 0) throw new AppError('BAD_STATE', `执法行为尚未终结，不能办结：${blockers.join('；')}。`);
}

/** The enforcement clocks still running, completed at 办结. */
export async function completeEnforcementClocks(core: Core, actor: Actor, caseId: number, at: string): Promise<void> {
  for (const kind of ['service', 'payment', 'court_application']) await completeClock(core.db, caseId, kind, at, actor.id);
}

function assertHandlerAndState(actor: Actor, row: CaseListRow, what: string): void {
  if (row.handler_id !== actor.id) throw new AppError('FORBIDDEN', `只有本案承办人可以${what}。`);
  if (row.state === 'closed' || row.state === 'archived') throw new AppError('BAD_STATE', `本案已办结，不能再${what}；办结后发现的情况作为补充材料归档。`);
  if (row.state !== 'approved' && row.state !== 'ended') {
    throw new AppError('BAD_STATE', `案件当前状态为“${CASE_STATE_LABELS[row.state]}”：执法决定经批准（或不予行政处罚经批准终结）后才能${what}。`);
  }
}

function assertNotFuture(core: Core, date: string, label: string): void {
  const today = cstDate(core.now());
  if (date > today) throw new AppError('VALIDATION', `${label}${date}晚于今天（${today}），请填写实际发生的日期。`);
}

async function assertFilesStored(core: Core, files: readonly { sha256: string; name: string }[]): Promise<void> {
  for (const f of files) if (!await blobExists(core.db, f.sha256)) throw new AppError('VALIDATION', `文件“${f.name}”尚未上传成功，请重新上传。`);
}

/** Every rule of a service record, without writing (lrw checks before it stores files). */
async function checkedService(core: Core, actor: Actor, input: unknown) {
  requirePermission(actor, 'enforcement.record');
  const s = parseInput(ServiceRecordInput, input);
  const row = await loadCase(core, s.caseId);
  assertHandlerAndState(actor, row, '登记送达');
  const f = await facts(core, row);
  let documentName: string;
  if (s.documentId !== undefined) {
    const d = f.issued.find((x) => x.id === s.documentId);
    if (!d) throw new AppError('VALIDATION', `文书（编号 ${s.documentId}）不是本案已签发的文书：只能登记本案已签发文书的送达。`);
    if (s.servedOn < cstDate(new Date(d.issued_at))) throw new AppError('VALIDATION', `送达日期${s.servedOn}早于该文书的签发日期${cstDate(new Date(d.issued_at))}。`);
    documentName = `${DECISION_TEMPLATES[d.template_id] ?? d.template_id}${d.doc_number ? `（${d.doc_number}）` : ''}`;
  } else {
    if (!s.documentName) throw new AppError('VALIDATION', '请选择送达的文书，或填写文书名称及文号（未在本系统签发的文书）。');
    documentName = s.documentName;
  }
  assertNotFuture(core, s.servedOn, '送达日期');
  if (s.method === 'post') {
    assertNotFuture(core, s.postedOn, '交邮日期');
    if (s.postedOn > s.servedOn) throw new AppError('VALIDATION', `交邮日期${s.postedOn}晚于送达（签收）日期${s.servedOn}。`);
  }
  await assertFilesStored(core, s.files);
  const { caseId: _c, documentId: _d, documentName: _n, method, recipient, servedOn, files, ...details } = s;
  return { s, row, f, documentName, method, recipient, servedOn, files, details };
}

export async function checkServiceRecord(core: Core, actor: Actor, input: unknown): Promise<void> {
  await checkedService(core, actor, input);
}

export async function recordService(core: Core, actor: Actor, input: unknown): Promise<CaseDetail> {
  requirePermission(actor, 'enforcement.record');
  const { caseId } = parseInput(ServiceRecordInput, input);
  await tx(core, async () => {
    const { s, row, f, documentName, method, recipient, servedOn, files, details } = await checkedService(core, actor, input);
    const at = nowIso(core);
    const serviceId = await insertServiceRecord(core.db, {
      case_id: row.id, document_id: s.documentId ?? null, document_name: documentName, method, recipient, served_on: servedOn,
      details_json: JSON.stringify(details), files_json: JSON.stringify(files), by_id: actor.id, at,
    });
    const served = f.decisions.find((d) => d.id === s.documentId);
    if (served?.template_id === 'penalty-decision') await completeClock(core.db, row.id, 'service', at, actor.id);
    // The 15 days to pay run from receipt (the first service of the decision).
    if (f.fineFen && f.fineFen > 0 && !f.firstService) {
      await startDayClock(core, row.id, 'payment', cstInstant(servedOn, '12:00'), addPeriod(servedOn, 15, 'natural', f.cal));
    }
    await appendEvent(core, actor, 'enforcement.service', row.id, { serviceId, documentId: s.documentId ?? null, documentName, method, recipient, servedOn, details, files });
  });
  return await caseDetail(core, actor, caseId);
}

async function startDayClock(core: Core, caseId: number, kind: keyof typeof ENFORCEMENT_CLOCK_LABELS, start: Date, due: { due: string; provisional: boolean }, unit: 'working' | 'natural' = 'natural'): Promise<void> {
  await upsertClock(core.db, { case_id: caseId, kind, started_at: start.toISOString(), due: due.due, unit, provisional: due.provisional ? 1 : 0 });
}

/** Inside the issuing transaction: a penalty decision's first issue starts the 7-working-day service clock. */
export async function startServiceClock(core: Core, caseId: number, templateId: string, at: Date): Promise<void> {
  if (templateId !== 'penalty-decision') return;
  await startDayClock(core, caseId, 'service', at, addPeriod(cstDate(at), 7, 'working', await loadCalendar(core)), 'working');
}

const STEP_NEEDS_REMINDER: ExecutionStep[] = ['statement', 'enforced', 'court_applied'];

async function checkedExecution(core: Core, actor: Actor, input: unknown) {
  requirePermission(actor, 'enforcement.record');
  const e = parseInput(ExecutionRecordInput, input);
  const row = await loadCase(core, e.caseId);
  assertHandlerAndState(actor, row, '登记履行或执行情况');
  if (row.state === 'ended') throw new AppError('BAD_STATE', '本案以终结方式结束，没有需要履行或执行的决定。');
  const f = await facts(core, row);
  const today = cstDate(core.now());
  assertNotFuture(core, e.onDate, '日期');
  if (!f.firstService) throw new AppError('BAD_STATE', '请先登记执法决定文书的送达：当事人收到决定后才有履行和执行。');
  if (e.onDate < f.firstService) throw new AppError('VALIDATION', `日期${e.onDate}早于决定送达的日期${f.firstService}。`);
  const c = conclusion(f, { today });
  if (c.concluded) throw new AppError('CONFLICT', `本案执行已经终结（${c.text ?? ''}），请办结案件；之后的情况作为补充材料归档。`);
  let amountFen: number | null = null;
  if (e.step === 'paid') {
    amountFen = parseYuan(e.amount);
    if (amountFen <= 0) throw new AppError('VALIDATION', '缴纳金额应大于零。');
  }
  if (e.step === 'reminder') {
    if (f.reminder) throw new AppError('CONFLICT', `本案已于${f.reminder.on_date}送达催告书，不能重复登记；当事人陈述、申辩的复核请登记为“陈述、申辩的复核”。`);
    if (f.paymentDue && e.onDate <= f.paymentDue) {
      throw new AppError('BAD_STATE', `缴纳罚款的期限至${f.paymentDue}届满，期限届满前不能催告（行政强制法第三十五条：当事人逾期不履行的，方可催告）。`);
    }
  }
  if (STEP_NEEDS_REMINDER.includes(e.step) && !f.reminder) {
    throw new AppError('BAD_STATE', `${EXECUTION_STEP_LABELS[e.step]}须先依法催告：请先登记催告书的送达（行政强制法第三十五条，执法全过程记录办法第三十条）。`);
  }
  if (f.reminder && (e.step === 'enforced' || e.step === 'court_applied' || e.step === 'statement') && e.onDate < f.reminder.on_date) {
    throw new AppError('VALIDATION', `日期${e.onDate}早于催告书送达的日期${f.reminder.on_date}。`);
  }
  if (e.step === 'court_applied') {
    const earliest = addPeriod(f.reminder!.on_date, 10, 'working', f.cal).due;
    if (e.onDate <= earliest) {
      throw new AppError('BAD_STATE', `催告书送达十日后当事人仍未履行的，方可申请人民法院强制执行（行政强制法第五十四条；十日按工作日计算）：催告书于${f.reminder!.on_date}送达，${earliest}之后方可申请。`);
    }
    if (f.courtLatest && e.onDate > f.courtLatest) {
      throw new AppError('BAD_STATE', `已超过申请人民法院强制执行的期限（行政强制法第五十三条：复议、诉讼期限届满之日起三个月内，本案至${f.courtLatest}）。`);
    }
    if (f.executions.some((x) => x.step === 'court_applied')) throw new AppError('CONFLICT', '本案已登记申请人民法院强制执行，法院的裁定及执行结果请登记为“人民法院强制执行结果”。');
  }
  if (e.step === 'court_result' && !f.executions.some((x) => x.step === 'court_applied')) {
    throw new AppError('BAD_STATE', '尚未登记申请人民法院强制执行，不能登记法院的执行结果。');
  }
  if (e.step === 'enforced' && e.measure === 'restore' && !e.avRecord) {
    throw new AppError('VALIDATION', '采取排除妨碍、恢复原状强制执行方式的，应当同时进行音像记录：请填写音像记录的编号或存放位置（执法全过程记录办法第三十一条）。');
  }
  await assertFilesStored(core, e.files);
  return { e, row, f, amountFen };
}

export async function checkExecutionRecord(core: Core, actor: Actor, input: unknown): Promise<void> {
  await checkedExecution(core, actor, input);
}

export async function recordExecution(core: Core, actor: Actor, input: unknown): Promise<CaseDetail> {
  requirePermission(actor, 'enforcement.record');
  const { caseId } = parseInput(ExecutionRecordInput, input);
  await tx(core, async () => {
    const { e, row, f, amountFen } = await checkedExecution(core, actor, input);
    const at = nowIso(core);
    const measure = e.step === 'enforced' ? e.measure : null;
    const avRecord = e.step === 'enforced' ? e.avRecord : '';
    const text = avRecord ? `${e.text}\n音像记录：${avRecord}` : e.text;
    const executionId = await insertExecutionRecord(core.db, {
      case_id: row.id, step: e.step, on_date: e.onDate, amount_fen: amountFen, measure, text, files_json: JSON.stringify(e.files), by_id: actor.id, at,
    });
    if (e.step === 'reminder' && f.courtLatest) {
      await startDayClock(core, row.id, 'court_application', cstInstant(e.onDate, '12:00'), { due: f.courtLatest, provisional: isProvisionalDate(f.courtLatest, f.cal) });
    }
    if (e.step === 'court_applied') await completeClock(core.db, row.id, 'court_application', at, actor.id);
    const after = await facts(core, row);
    if (conclusion(after, { today: cstDate(core.now()) }).concluded) await completeClock(core.db, row.id, 'payment', at, actor.id);
    await appendEvent(core, actor, 'enforcement.execution', row.id, { executionId, step: e.step, onDate: e.onDate, amountFen, measure, text, files: e.files });
  });
  return await caseDetail(core, actor, caseId);
}

function serviceView(s: ServiceRecordRow): ServiceRecordView {
  const details = JSON.parse(s.details_json) as Record<string, string>;
  return {
    id: s.id,
    documentId: s.document_id,
    documentName: s.document_name,
    method: s.method,
    methodLabel: SERVICE_METHOD_LABELS[s.method],
    recipient: s.recipient,
    servedOn: s.served_on,
    details: Object.entries(details).map(([k, v]) => ({ label: DETAIL_LABELS[k] ?? k, value: k === 'carrier' ? (CARRIER_LABELS[v] ?? v) : v })),
    files: fileList(s.files_json),
    by: s.by_name,
    at: s.at,
  };
}

function executionView(e: ExecutionRecordRow): ExecutionRecordView {
  return {
    id: e.id,
    step: e.step,
    stepLabel: EXECUTION_STEP_LABELS[e.step],
    onDate: e.on_date,
    amountFen: e.amount_fen,
    amountLabel: e.amount_fen === null ? null : formatYuan(e.amount_fen),
    measure: e.measure,
    measureLabel: e.measure ? (ENFORCEMENT_MEASURE_LABELS[e.measure] ?? e.measure) : null,
    text: e.text,
    files: fileList(e.files_json),
    by: e.by_name,
    at: e.at,
  };
}

/** The case page's 送达与执行 card (null before the decision). */
export async function enforcementView(core: Core, actor: Actor, row: CaseListRow, clocks: readonly ClockView[]): Promise<EnforcementView | null> {
  if (!['approved', 'ended', 'closed', 'archived'].includes(row.state)) return null;
  await requireRead(core, actor, row);
  const f = await facts(core, row);
  if (row.state === 'ended' && f.decisions.length === 0 && f.services.length === 0) return null;
  const today = cstDate(core.now());
  const c = conclusion(f, { today });
  const open = row.state === 'approved' || row.state === 'ended';
  const mine = open && row.handler_id === actor.id && hasPermission(actor.roles, 'enforcement.record');
  const steps: ExecutionStep[] = [];
  if (mine && row.state === 'approved' && f.firstService && !c.concluded) {
    steps.push('paid', 'performed', 'rectification');
    if (!f.reminder) steps.push('reminder');
    else {
      steps.push('statement', 'enforced');
      if (!f.executions.some((x) => x.step === 'court_applied')) steps.push('court_applied');
    }
    if (f.executions.some((x) => x.step === 'court_applied')) steps.push('court_result');
  }
  let courtWindow: EnforcementView['courtWindow'] = null;
  if (f.reminder && f.courtLatest) courtWindow = { after: addPeriod(f.reminder.on_date, 10, 'working', f.cal).due, until: f.courtLatest };
  return {
    services: f.services.map(serviceView),
    executions: f.executions.map(executionView),
    toServe: f.decisions.map((d) => ({
      documentId: d.id,
      name: `${DECISION_TEMPLATES[d.template_id]}${d.doc_number ? `（${d.doc_number}）` : ''}`,
      served: f.services.some((s) => s.document_id === d.id),
    })),
    documents: f.issued.map((d) => ({ documentId: d.id, name: `${DECISION_TEMPLATES[d.template_id] ?? d.template_id}${d.doc_number ? `（${d.doc_number}）` : ''}` })),
    fine: c.owed && f.fineFen ? {
      fineFen: f.fineFen,
      fineLabel: formatYuan(f.fineFen),
      dueOn: f.paymentDue,
      surchargeDays: c.owed.surcharge.days,
      surchargeFen: c.owed.surcharge.fen,
      surchargeLabel: formatYuan(c.owed.surcharge.fen),
      capped: c.owed.surcharge.capped,
      owedFen: c.owed.owedFen,
      owedLabel: formatYuan(c.owed.owedFen),
      paidFen: c.owed.paidFen,
      paidLabel: formatYuan(c.owed.paidFen),
    } : null,
    concluded: c.concluded,
    conclusion: c.text,
    closeBlockers: row.state === 'closed' || row.state === 'archived' ? [] : closeBlockers(row, f, today),
    courtWindow,
    clocks: clocks.filter((k) => k.kind in ENFORCEMENT_CLOCK_LABELS),
    canServe: mine,
    steps,
  };
}
