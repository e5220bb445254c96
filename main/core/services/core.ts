// The core handle every service takes: the database, the attachment store and a clock.
import path from 'node:path';
import type { Db } from '../db/open';
import { isPostgresUrl, openDb } from '../db/open';
import { BlobStore } from '../files/blobStore';
import type { Role } from '../domain/types';
import { ZodError, type ZodType } from 'zod';
import { AppError } from '../domain/errors';
import { findTemplatesDir } from './templatesDir';
import { createKeytarSecretStore, type SecretStore } from '../secrets';
// Circular with these two modules; used only at call time, never while modules load.
import { vouchUpgradedRows } from './audit';
import { shutdownCheckpoint } from './checkpoints';

export interface Core {
  db: Db;
  /** The SQLite file or the PostgreSQL URL (without password) the core runs on. */
  dbPath: string;
  blobs: BlobStore;
  now: () => Date;
  /** The shipped templates folder. */
  templatesDir: string;
  /** Signing identities (.p12 files); their passphrases are only in the keychain. */
  keysDir: string;
  /** The OS keychain (opened on first use, so cores that never sign never load keytar). */
  secrets: () => Promise<SecretStore>;
  /** Server: the file holding the record-signing private key (mode 0600); none on a desktop (keychain). */
  recordKeyFile?: string;
  /**
   * False on the agency server: a signer's private key never leaves their desktop, so the server
   * neither holds nor uses one (services/issue.ts refuses to create, import or sign with it).
   */
  signingHere: boolean;
  /** False on an agency server reachable from other machines: the first setup is done with `lrw init` only. */
  setupHere: boolean;
}

export interface Actor {
  id: number;
  username: string;
  displayName: string;
  roles: Role[];
}

export interface OpenCoreOptions {
  /** A SQLite file path, or a postgres:// URL. */
  dbPath: string;
  /** Where attachments live; defaults to "<db file>-files" beside a SQLite file (required for PostgreSQL). */
  filesDir?: string;
  now?: () => Date;
  /** Shipped templates; found beside the app when not given. */
  templatesDir?: string;
  /** Default "<db file>-keys" beside the database. */
  keysDir?: string;
  /** Default: the OS keychain through keytar. Tests pass a MemorySecretStore. */
  secrets?: SecretStore;
  /**
   * A server keeps the record-signing private key in this file, readable only by the service (mode 0600;
   * `lrw`: env LRW_RECORD_KEY_FILE). Without it the key lives in the OS keychain (services/checkpoints.ts).
   */
  recordKeyFile?: string;
  /** The agency server passes false (see Core.signingHere). */
  signingHere?: boolean;
  /** The agency server passes false unless it listens on loopback only (see Core.setupHere). */
  setupHere?: boolean;
}

export async function openCore(opts: OpenCoreOptions): Promise<Core> {
  const pg = isPostgresUrl(opts.dbPath);
  if (pg && !opts.filesDir) {
    throw new AppError('FILES_DIR_REQUIRED', '使用 PostgreSQL 时须指定附件与文书文件的存放目录（--files 或 LRW_FILES）。');
  }
  const filesDir = opts.filesDir ?? `${path.resolve(opts.dbPath)}-files`;
  const db = await openDb(opts.dbPath);
  const now = opts.now ?? (() => new Date());
  const blobs = new BlobStore(filesDir);
  // Temp files nobody wrote to for 24 hours belong to abandoned uploads (services/uploads.ts: their rows go at the next upload request).
  blobs.sweepTemp(new Date(now().getTime() - 24 * 3600_000));
  const core: Core = {
    db,
    dbPath: db.location,
    blobs,
    now,
    templatesDir: opts.templatesDir ?? findTemplatesDir(),
    keysDir: opts.keysDir ?? (pg ? `${path.resolve(filesDir)}-keys` : `${path.resolve(opts.dbPath)}-keys`),
    secrets: opts.secrets ? async () => opts.secrets! : lazyKeytar(),
    ...(opts.recordKeyFile && { recordKeyFile: path.resolve(opts.recordKeyFile) }),
    signingHere: opts.signingHere ?? true,
    setupHere: opts.setupHere ?? true,
  };
  // A store upgraded from the first chain format: its existing rows are vouched for from here on.
  await vouchUpgradedRows(core);
  return core;
}

function lazyKeytar(): () => Promise<SecretStore> {
  let store: Promise<SecretStore> | null = null;
  return () => (store ??= createKeytarSecretStore().catch((err) => {
    store = null;
    throw err;
  }));
}

export async function closeCore(core: Core): Promise<void> {
  // A clean shutdown signs the head if it moved since the last checkpoint (never fails the close).
  await shutdownCheckpoint(core);
  await core.db.close();
}

export const nowIso = (core: Core): string => core.now().toISOString();

/** Runs fn in one write transaction: every write of a use case and its audit event land together or not at all. */
export function tx<T>(core: Core, fn: () => Promise<T>): Promise<T> {
  return core.db.tx(fn);
}

/** Chinese names of input fields, so a refusal says where in words a user knows. */
const FIELD_LABELS: Record<string, string> = {
  caseNo: '案件编号', title: '名称', kind: '决定类型', catalogItem: '目录事项', party: '当事人', type: '类型', name: '名称',
  idNumber: '证件号码', address: '地址', facts: '违法事实', evidence: '证据清单', legalBasis: '法律依据', law: '法律名称',
  article: '条款', proposedDecision: '拟作出的决定', fineAmount: '罚款金额', procedure: '程序', step: '程序环节', date: '日期',
  note: '说明', officerIds: '执法人员', attachments: '附件', findings: '审核结论', criterion: '审核项', result: '结论',
  reason: '理由', reasons: '理由', outcome: '审核意见', opinion: '意见', requests: '退回事项', suggestions: '建议',
  decision: '决定', override: '不采纳声明', username: '用户名', displayName: '姓名', password: '密码', roles: '角色',
  certNo: '执法证号', certExpiry: '执法证有效期', qualificationNo: '法律职业资格证号', agencyName: '机关名称',
  docPrefix: '文号前缀', admin: '管理员', changeNote: '补正说明', case: '案件材料', year: '年份', source: '来源',
  holidays: '放假日期', workdays: '调休上班日期', scheduledAt: '会议时间', place: '会议地点', chairId: '主持人',
  attendeeIds: '出席人员', attendance: '出席情况', stances: '表态', stance: '表态', decisionText: '会议决定', text: '内容',
  startedAt: '开始时间', from: '起算日', days: '天数', mode: '计算方式',
};

function describePath(path: PropertyKey[]): string {
  return path
    .map((p) => (typeof p === 'number' ? `第${p + 1}项` : FIELD_LABELS[String(p)] ?? String(p)))
    .join(' · ');
}

/** Zod issues -> one Chinese message naming the field in words, e.g. “输入有误：请填写证件号码（当事人 · 证件号码）”. */
/** A NUL character: SQLite would keep it, PostgreSQL refuses it; neither is ever meant by a user. */
function hasNul(v: unknown, depth = 0): boolean {
  if (typeof v === 'string') return v.includes('\u0000');
  if (depth > 20 || v === null || typeof v !== 'object') return false;
  return Object.entries(v as Record<string, unknown>).some(([k, x]) => k.includes('\u0000') || hasNul(x, depth + 1));
}

export function parseInput<T>(schema: ZodType<T>, input: unknown): T {
  if (hasNul(input)) throw new AppError('VALIDATION', '输入有误：内容含有不可见的空字符（NUL），请删除后重新输入。');
  try {
    return schema.parse(input);
  } catch (err) {
    if (err instanceof ZodError) {
      const first = err.issues[0];
      // The field is named once: a message that already says where ("机关名称不能为空", "当事人地址不能为空")
      // gets no path after it; otherwise the path in words ("请填写证件号码（当事人 · 证件号码）").
      const labels = first.path.filter((p): p is string => typeof p === 'string').map((p) => FIELD_LABELS[p]).filter(Boolean);
      const named = labels.length > 0 && labels.every((l) => first.message.includes(l)) && !first.path.some((p) => typeof p === 'number');
      const where = first.path.length && !named ? `（${describePath(first.path)}）` : '';
      throw new AppError('VALIDATION', `输入有误：${first.message}${where}`, {
        issues: err.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
      });
    }
    throw err;
  }
}
