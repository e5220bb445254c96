// PostgreSQL's second wall: the application's role may not UPDATE or DELETE append-only records
// (the triggers refuse them too), and the reader role used for whole-store work may only read.
// Applied by the owner after every migration; roles that do not exist are skipped.
import type pg from 'pg';

/** Records that are only ever inserted: the full-process record (000 第三十八条). */
export const APPEND_ONLY_TABLES = [
  'submissions', 'submission_officers', 'blobs', 'submission_attachments', 'review_rounds', 'findings', 'approvals',
  'events', 'calendar_overrides', 'rereview_requests', 'escalations', 'meeting_amendments', 'template_overrides',
  'document_versions', 'issued_files', 'lrw_schema', 'endings', 'ending_steps', 'meeting_recusals',
  'reviewer_exemptions', 'extension_requests', 'extension_decisions', 'expert_opinions',
  'record_keys', 'checkpoints', 'identity_certificates', 'referrals', 'referral_steps', 'service_records', 'execution_records',
  'case_files', 'case_file_receipts', 'case_file_supplements', 'inspections', 'inspection_replies',
  'catalog_proposals', 'filings', 'filing_responses', 'filing_corrections',
  'audit_alarms', 'audit_alarm_acks',
] as const;

/** Updated in place (a number set once, a lock set once) but never deleted. */
const NO_DELETE_TABLES = ['meetings', 'documents', 'cases', 'users', 'agency', 'catalog_versions', 'periods', 'clocks', 'signing_identities', 'clauses'];

export const APP_ROLE = process.env.LRW_PG_APP_ROLE ?? 'lrw_app';
export const READER_ROLE = process.env.LRW_PG_READER_ROLE ?? 'lrw_reader';

const ident = (s: string) => `"${s.replace(/"/g, '""')}"`;

export async function applyGrants(client: pg.PoolClient): Promise<void> {
  const roles = (await client.query('SELECT rolname FROM pg_roles WHERE rolname = ANY($1)', [[APP_ROLE, READER_ROLE]])).rows.map((r) => r.rolname as string);
  const tables = (await client.query("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")).rows.map((r) => r.tablename as string);
  const appendOnly = new Set<string>(APPEND_ONLY_TABLES);
  const noDelete = new Set(NO_DELETE_TABLES);
  const sql: string[] = [];
  if (roles.includes(APP_ROLE)) {
    const app = ident(APP_ROLE);
    sql.push(`GRANT USAGE ON SCHEMA ${ident('public')} TO ${app}`);
    for (const t of tables) {
      const privs = ['SELECT', 'INSERT'];
      if (!appendOnly.has(t)) privs.push('UPDATE');
      if (!appendOnly.has(t) && !noDelete.has(t)) privs.push('DELETE');
      sql.push(`REVOKE ALL ON ${ident(t)} FROM ${app}`, `GRANT ${privs.join(', ')} ON ${ident(t)} TO ${app}`);
    }
    sql.push(`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${app}`);
  }
  if (roles.includes(READER_ROLE)) {
    const reader = ident(READER_ROLE);
    sql.push(`GRANT USAGE ON SCHEMA public TO ${reader}`);
    for (const t of tables) sql.push(`REVOKE ALL ON ${ident(t)} FROM ${reader}`, `GRANT SELECT ON ${ident(t)} TO ${reader}`);
  }
  // Verification reads every record row past the row-level policies (migration 010): these roles only.
  const hasRowReader = (await client.query("SELECT 1 FROM pg_proc WHERE proname = 'lrw_record_rows'")).rowCount;
  if (hasRowReader) for (const r of roles) sql.push(`GRANT EXECUTE ON FUNCTION lrw_record_rows(text) TO ${ident(r)}`);
  if (sql.length) await client.query(sql.join(';\n'));
}
