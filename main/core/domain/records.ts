// What the chain vouches for. Every table is either a record table (each row bound to the event that
// wrote it: the event carries the row's digest) or named in OPERATIONAL below. A row's digest covers
// its fields in the fixed order given here, each length-prefixed, so the same row digests the same
// on SQLite and PostgreSQL and no two rows share an encoding. Mutable tables (case state, roles,
// settings…) are vouched the same way: the event that changes a row carries its new digest, so the
// last event that names a row says what it must hold now.
import { hash } from 'node:crypto';

export interface RecordTable {
  table: string;
  /** Chinese name, for messages. */
  label: string;
  /** Primary key columns (the row's name in the chain). */
  key: readonly string[];
  /** Every column the record consists of, in digest order (the key columns included). */
  fields: readonly string[];
  /** Rows are changed in place by events (state); otherwise only ever inserted. */
  mutable: boolean;
}

const t = (table: string, label: string, key: string[], fields: string, mutable = false): RecordTable => ({
  table, label, key, fields: fields.trim().split(/\s+/), mutable,
});

export const RECORD_TABLES: readonly RecordTable[] = [
  t('agency', '机关档案', ['id'], 'id name doc_prefix created_at', true),
  t('users', '用户', ['id'], 'id username display_name password_hash active cert_no cert_expiry qualification_no created_at must_change_password password_reset_by password_reset_at', true),
  t('user_roles', '用户角色', ['user_id', 'role'], 'user_id role', true),
  t('catalog_versions', '目录清单版本', ['version'], 'version note items_json created_at'),
  t('cases', '案件', ['id'], 'id case_no kind title party_name state round handler_id reviewer_id last_outcome head_override catalog_version catalog_item created_at updated_at cycle', true),
  t('submissions', '送审材料', ['id'], 'id case_id round payload_json change_note submitted_by submitted_at'),
  t('submission_officers', '送审材料的执法人员', ['submission_id', 'user_id'], 'submission_id user_id'),
  t('blobs', '存储的文件', ['sha256'], 'sha256 size stored_at'),
  t('submission_attachments', '送审附件', ['submission_id', 'sha256', 'name'], 'submission_id sha256 name'),
  t('review_rounds', '审核意见', ['id'], 'id case_id round kind reviewer_id outcome opinion requests_json suggestions issued_at'),
  t('findings', '审核结论', ['review_id', 'criterion'], 'review_id criterion result reason'),
  t('approvals', '负责人审批', ['id'], 'id case_id head_id decision opinion review_outcome override override_reason decided_at meeting_id responsible_json'),
  t('settings', '设置', ['key'], 'key value_json updated_at', true),
  t('calendar_overrides', '节假日安排', ['id'], 'id year schedule_json entered_by entered_at'),
  t('periods', '审核期限', ['id'], 'id case_id round kind start_date days mode due_date provisional extension_days extended_due extended_by extended_at extension_reason ended_at end_reason', true),
  t('clocks', '计时', ['id'], 'id case_id kind started_at due unit provisional done_at done_by', true),
  t('rereview_requests', '复审申请', ['id'], 'id case_id cycle reasons requested_by requested_at against_review_id'),
  t('escalations', '提请集体讨论', ['id'], 'id case_id cycle kind reasons escalated_by escalated_at'),
  t('meetings', '负责人会议', ['id'], 'id title scheduled_at place chair_id quorum_rule created_by created_at started_at locked_at locked_by agenda_confirmed_at agenda_confirmed_by recorded_by', true),
  t('meeting_attendees', '会议出席情况', ['meeting_id', 'user_id'], 'meeting_id user_id present absence_reason', true),
  t('meeting_items', '会议议题', ['id'], 'id meeting_id case_id seq handling_statement legal_statement dissent notes decision decision_text decided_at', true),
  t('meeting_stances', '会议表态', ['item_id', 'user_id'], 'item_id user_id stance reason', true),
  t('meeting_amendments', '会议纪要补正', ['id'], 'id meeting_id text reason amended_by amended_at'),
  t('meeting_recusals', '会议回避', ['item_id', 'user_id'], 'item_id user_id source reason recorded_by recorded_at'),
  t('template_overrides', '模板修订', ['id'], 'id template_id source note saved_by saved_at'),
  t('documents', '文书', ['id'], 'id case_id template_id doc_number created_by created_at', true),
  t('document_versions', '文书版本', ['id'], 'id document_id version model_json draft_json sha256 final note saved_by saved_at'),
  t('doc_serials', '文号序列', ['prefix', 'year'], 'prefix year last_serial', true),
  t('clauses', '说理条目', ['id'], 'id category title text created_by created_at retired_at', true),
  t('signing_identities', '签名证书', ['id'], 'id user_id p12_sha256 subject_cn issuer_cn serial not_before not_after trial created_at retired_at', true),
  t('issued_files', '签发的文件', ['id'], 'id case_id document_version_id format sha256 size name signer_id identity_id issued_at'),
  t('expert_opinions', '专家论证意见', ['id'], 'id case_id round review_kind experts_json held_on opinion file_sha256 file_name added_by added_at'),
  t('endings', '终结意见', ['id'], 'id case_id cycle kind reason proposed_by proposed_at'),
  t('ending_steps', '终结意见的审核与批准', ['id'], 'id ending_id step outcome opinion by_id at'),
  t('reviewer_exemptions', '审核人员资格豁免', ['id'], 'id user_id note recorded_by recorded_at'),
  t('extension_requests', '延期申请', ['id'], 'id case_id period_id reason requested_by requested_at'),
  t('extension_decisions', '延期申请的决定', ['id'], 'id request_id decision reason decided_by decided_at'),
  // Migration 012 (services/alarms.ts): failed verifications and their acknowledgements.
  t('audit_alarms', '记录校验警报', ['id'], 'id raised_at raised_by raised_through quick event_count mismatch_kind first_bad_seq message summary_json'),
  t('audit_alarm_acks', '记录校验警报的确认', ['id'], 'id alarm_id acknowledged_by acknowledged_at reason'),
  // Migration 011 (services/checkpoints.ts): the public halves of the record-signing keys.
  t('record_keys', '记录签名公钥', ['id'], 'id algorithm public_key_pem fingerprint created_by created_at'),
  // A checkpoint is signed after its event and vouched for by the next event (Store.tx MARK_OUTSIDE).
  t('checkpoints', '已签名的检查点', ['id'], 'id seq hash at key_id reason prev signature'),
  // Migration 016 (services/deskSigning.ts): the public certificate a desktop registered for its key.
  t('identity_certificates', '登记的签名证书', ['identity_id'], 'identity_id chain_der registered_at'),
  // Migration 017 (services/referrals.ts): criminal referrals and their steps (report, decision, transfer).
  t('referrals', '移送涉嫌犯罪案件', ['id'], 'id case_id review_id opened_at'),
  t('referral_steps', '移送涉嫌犯罪案件的报告、审批与移送', ['id'], 'id referral_id step decision text organs_json by_id at'),
  // Migration 018 (services/enforcement.ts): service of decision documents and the facts of execution.
  t('service_records', '送达记录', ['id'], 'id case_id document_id document_name method recipient served_on details_json files_json by_id at'),
  t('execution_records', '履行与执行记录', ['id'], 'id case_id step on_date amount_fen measure text files_json by_id at'),
  // Migration 019 (services/caseFiles.ts): the archived case file, its receipt and its supplements.
  t('case_files', '归档案卷', ['id'], 'id case_id custodian_id head_seq head_hash pdf_sha256 record_sha256 manifest_json by_id at'),
  t('case_file_receipts', '案卷接收记录', ['case_file_id'], 'case_file_id custodian_id note at'),
  t('case_file_supplements', '补充归档材料', ['id'], 'id case_file_id case_id kind title text files_json by_id at'),
  // Migration 020 (services/inspections.ts): case-file evaluations and the replies to their requests.
  t('inspections', '案卷评查意见', ['id'], 'id case_id case_file_id inspector_id result findings requests_json at'),
  t('inspection_replies', '评查整改答复', ['inspection_id'], 'inspection_id case_id text by_id at'),
  // Migration 021 (services/filings.ts): 备案 of decisions and catalog changes, the responses, the corrections.
  t('catalog_proposals', '目录清单调整方案', ['id'], 'id base_version items_json note by_id at'),
  t('filings', '备案记录', ['id'], 'id subject case_id proposal_id package_issued_id catalog_version filed_on recipients_json note by_id at'),
  t('filing_responses', '备案审查意见', ['id'], 'id filing_id case_id recipient result received_on text by_id at'),
  t('filing_corrections', '备案纠错整改', ['response_id'], 'response_id case_id text by_id at'),
];

/**
 * Not part of the record, so not vouched for by the chain (each with why). Everything else is.
 * Tables: the chain itself, its journal, autosaved work in progress, a derived index, the schema version.
 */
export const OPERATIONAL_TABLES: Record<string, string> = {
  events: '记录链本身（逐条哈希相连）',
  chain_pending: '本事务中待记入下一事件的行（事务结束时为空）',
  drafts: '自动保存的未提交草稿',
  review_drafts: '自动保存的审核意见草稿',
  case_search: '检索索引（可由案件重建）',
  lrw_schema: '数据库结构版本',
  row_versions: '各记录行最近一次由哪个事件写入（防止覆盖他人的修改；与记录链所载重复）',
  sessions: '服务器会话（仅存令牌摘要；登录与退出另记入记录链）',
  uploads: '正在上传的附件（分块暂存；存入后另记入记录链）',
  verify_jobs: '后台记录校验任务的进度与结果（失败时的警报另记入记录链）',
  issue_requests: '等待签名人电脑签名的待签发文书（签名回传并核验后，签发另记入记录链）',
};
/** Columns of record tables that are operational (sign-in lockout counters). */
export const OPERATIONAL_COLUMNS: Record<string, readonly string[]> = {
  users: ['failed_attempts', 'locked_until'],
};

export const isOperationalTable = (name: string): boolean =>
  name in OPERATIONAL_TABLES || name.startsWith('case_search_') || name.startsWith('sqlite_');

export const RECORD_TABLE = new Map(RECORD_TABLES.map((r) => [r.table, r]));

/** Separates the columns of a composite key inside the chain (never in a value a user types). */
export const KEY_SEP = '\u001f';
export const displayKey = (key: string): string => key.split(KEY_SEP).join(' · ');

/**
 * The encoding of one field: null is "~", anything else the byte length of its UTF-8 text, ":" and
 * the text (SHA-256 then hashes the UTF-8 bytes, so the length is in the unit it hashes).
 */
const enc = (v: unknown): string => {
  if (v === null || v === undefined) return '\u0000~';
  const s = typeof v === 'string' ? v : String(v);
  return `\u0000${Buffer.byteLength(s)}:${s}`;
};

/** The row's digest (base64 SHA-256 over the table name and every field in order). */
export function rowDigest(table: string, values: readonly unknown[]): string {
  let s = table;
  for (const v of values) s += enc(v);
  return hash('sha256', s, 'base64');
}

/** One byte per field (FNV-1a): lets verification name the field that changed. Not a security measure. */
export function fieldHints(values: readonly unknown[]): string {
  let out = '';
  for (const v of values) {
    const s = enc(v);
    let h = 0x811c9dc5;
    for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
    out += ((h >>> 0) & 0xff).toString(16).padStart(2, '0');
  }
  return out;
}

/** The key of a row from its values in field order. */
export function rowKey(rt: RecordTable, values: readonly unknown[]): string {
  if (rt.key.length === 1) return String(values[rt.fields.indexOf(rt.key[0])]);
  return rt.key.map((k) => String(values[rt.fields.indexOf(k)])).join(KEY_SEP);
}

export interface RecordEntry {
  table: string;
  key: string;
  /** null: the event says the row no longer exists. */
  digest: string | null;
  hints: string;
  /** The row was found changed by a write outside any event (it was in the journal when a transaction began). */
  outside?: boolean;
}

export const esc = (s: string) => s.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n');
export const unesc = (s: string) => (s.includes('\\') ? s.replace(/\\(.)/g, (_m, c: string) => (c === 't' ? '\t' : c === 'n' ? '\n' : c)) : s);

/**
 * The event's records column: one line per row, "table<TAB>key<TAB>digest<TAB>hints" ("-" for a
 * removed row; "!table" for a row found changed outside any event).
 */
export function formatRecords(entries: readonly RecordEntry[]): string {
  return entries.map((e) => `${e.outside ? '!' : ''}${e.table}\t${esc(e.key)}\t${e.digest ?? '-'}\t${e.hints}`).join('\n');
}

export function parseRecords(text: string): RecordEntry[] {
  if (!text) return [];
  return text.split('\n').map((line) => {
    const [t, key, digest, hints] = line.split('\t');
    const outside = t.startsWith('!');
    return { table: outside ? t.slice(1) : t, key: unesc(key ?? ''), digest: digest === '-' ? null : digest ?? '', hints: hints ?? '', ...(outside && { outside }) };
  });
}

/** Chain format 2: one SHA-256 over every field of the event, each length-prefixed, in a fixed order. */
export const CHAIN_FORMAT = 2;

export interface EventFieldsV2 {
  seq: number;
  at: string;
  actorId: number | null;
  actorName: string;
  action: string;
  caseId: number | null;
  payloadJson: string;
  payloadDigest: string;
  records: string;
  prevHash: string;
}

export function eventHashV2(e: EventFieldsV2): string {
  const s = `lrw2${enc(e.seq)}${enc(e.at)}${enc(e.actorId)}${enc(e.actorName)}${enc(e.action)}${enc(e.caseId)}${enc(e.payloadDigest)}${enc(e.prevHash)}${enc(e.records)}${enc(e.payloadJson)}`;
  return hash('sha256', s, 'hex');
}
