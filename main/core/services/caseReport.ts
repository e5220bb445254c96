// 打印 and 导出 of a list of cases (the queue or search results): one table, decided here, that the
// print view shows and the .xlsx file holds, so what is printed, what is exported and what `lrw`
// writes never differ. The rows are exactly what cases.queue / cases.search return to this user
// (the same permission filter); times are China time in Chinese.
import { z } from 'zod';
import { AppError } from '../domain/errors';
import { CASE_STATE_LABELS, DECISION_KIND_LABELS, OUTCOME_LABELS } from '../domain/types';
import { cstDate, formatChinaMoment } from '../domain/calendar/cst';
import { PROVISIONAL_LABEL } from '../domain/calendar';
import type { CaseReportView, CaseSummary, QueueItem } from '../domain/views';
import { getAgency } from '../db/repos/agency';
import { CaseReportInput } from '../../../preload/contract';
import { parseInput, type Actor, type Core } from './core';
import { queue, search } from './cases';

/** Most rows a report holds: search counts exactly up to 1000 (see SearchResult). */
export const REPORT_MAX_ROWS = 1000;
const PAGE = 200;

interface Column {
  header: string;
  /** Width in characters, for the spreadsheet. */
  width: number;
  value: (c: CaseSummary | QueueItem, i: number) => string;
}

/** The columns a legal office reports on; 待办事项 only for the queue. */
function columnsFor(source: 'queue' | 'search'): Column[] {
  const cols: (Column | null)[] = [
    { header: '序号', width: 6, value: (_c, i) => String(i + 1) },
    { header: '案件编号', width: 24, value: (c) => c.caseNo },
    { header: '案件名称', width: 36, value: (c) => c.title },
    { header: '决定类型', width: 12, value: (c) => DECISION_KIND_LABELS[c.kind] },
    { header: '当事人', width: 28, value: (c) => c.partyName },
    { header: '案件状态', width: 14, value: (c) => CASE_STATE_LABELS[c.state] },
    source === 'queue' ? { header: '待办事项', width: 22, value: (c) => ('reason' in c ? c.reason : '') } : null,
    { header: '送审轮次', width: 10, value: (c) => `第${c.round}轮` },
    { header: '法制审核意见', width: 14, value: (c) => (c.lastOutcome ? OUTCOME_LABELS[c.lastOutcome] : '—') },
    { header: '是否采纳审核意见', width: 16, value: (c) => (c.headOverride ? '未采纳' : '—') },
    { header: '审核期限届满日', width: 20, value: (c) => (c.reviewClock ? `${c.reviewClock.dueLabel}${c.reviewClock.provisional ? `（${PROVISIONAL_LABEL}）` : ''}` : '—') },
    { header: '剩余期限', width: 14, value: (c) => c.reviewClock?.remainingLabel ?? '—' },
    { header: '承办人', width: 12, value: (c) => c.handler },
    { header: '审核人', width: 12, value: (c) => c.reviewer ?? '—' },
    { header: '更新时间（北京时间）', width: 22, value: (c) => formatChinaMoment(c.updatedAt) },
  ];
  return cols.filter((c): c is Column => c !== null);
}

type ReportInput = z.output<typeof CaseReportInput>;

async function rowsOf(core: Core, actor: Actor, f: ReportInput): Promise<{ items: (CaseSummary | QueueItem)[]; capped: boolean }> {
  if (f.source === 'queue') return { items: (await queue(core, actor)).items, capped: false };
  const items: CaseSummary[] = [];
  let capped = false;
  for (let offset = 0; offset < REPORT_MAX_ROWS; offset += PAGE) {
    const r = await search(core, actor, { query: f.query, state: f.state, limit: PAGE, offset });
    items.push(...r.items);
    capped = r.totalCapped || r.total > REPORT_MAX_ROWS;
    if (r.items.length < PAGE || items.length >= r.total) break;
  }
  return { items: items.slice(0, REPORT_MAX_ROWS), capped };
}

/** The table of the queue or of a search, and with xlsx: true the same table as an .xlsx file (base64). */
export async function caseReport(core: Core, actor: Actor, input: unknown): Promise<CaseReportView> {
  const f = parseInput(CaseReportInput, input);
  const { items, capped } = await rowsOf(core, actor, f);
  const cols = columnsFor(f.source);
  const now = core.now();
  const title = f.source === 'queue' ? `${actor.displayName}的待办事项` : '案件检索结果';
  const conditions =
    f.source === 'queue'
      ? []
      : [`关键词：${f.query || '（无）'}`, `案件状态：${f.state ? CASE_STATE_LABELS[f.state] : '全部状态'}`];
  const view: CaseReportView = {
    title,
    agencyName: (await getAgency(core.db))?.name ?? '',
    generatedAt: now.toISOString(),
    generatedAtLabel: formatChinaMoment(now.toISOString()),
    generatedBy: actor.displayName,
    conditions,
    capped,
    columns: cols.map((c) => c.header),
    rows: items.map((c, i) => cols.map((col) => col.value(c, i))),
    caseIds: items.map((c) => c.id),
    fileName: `${f.source === 'queue' ? '待办事项' : '案件检索结果'}-${cstDate(now).replaceAll('-', '')}.xlsx`,
    base64: null,
  };
  if (f.xlsx) view.base64 = await toXlsx(view, cols);
  return view;
}

async function toXlsx(v: CaseReportView, cols: Column[]): Promise<string> {
  let ExcelJS: typeof import('exceljs');
  try {
    ExcelJS = await import('exceljs');
  } catch {
    throw new AppError('INTERNAL', '导出 Excel 所需的组件（exceljs）未安装，无法导出。');
  }
  const Workbook = (ExcelJS as unknown as { Workbook?: typeof import('exceljs').Workbook }).Workbook ?? (ExcelJS as unknown as { default: typeof import('exceljs') }).default.Workbook;
  const wb = new Workbook();
  wb.creator = v.agencyName || '法制审核工作台';
  wb.created = new Date(v.generatedAt);
  const sheet = wb.addWorksheet(v.title.slice(0, 31), { views: [{ state: 'frozen', ySplit: 1 }], pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 } });
  sheet.columns = cols.map((c) => ({ header: c.header, key: c.header, width: c.width }));
  const head = sheet.getRow(1);
  head.font = { bold: true };
  head.alignment = { vertical: 'middle', horizontal: 'center', wrapText: true };
  for (const r of v.rows) sheet.addRow(r).alignment = { vertical: 'top', wrapText: true };
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: cols.length } };
  // Who exported what, and when: on a second sheet, so the first stays a plain table to sort and filter.
  const about = wb.addWorksheet('导出说明');
  about.columns = [{ width: 16 }, { width: 60 }];
  const lines: [string, string][] = [
    ['机关', v.agencyName],
    ['内容', v.title],
    ...v.conditions.map((c): [string, string] => [c.slice(0, c.indexOf('：')), c.slice(c.indexOf('：') + 1)]),
    ['件数', `${v.rows.length}件${v.capped ? `（超过${REPORT_MAX_ROWS}件，只导出最新的${REPORT_MAX_ROWS}件）` : ''}`],
    ['导出人', v.generatedBy],
    ['导出时间', `${v.generatedAtLabel}（北京时间）`],
  ];
  for (const l of lines) about.addRow(l);
  about.getColumn(1).font = { bold: true };
  const buf = await wb.xlsx.writeBuffer();
  return Buffer.from(buf as ArrayBuffer).toString('base64');
}
