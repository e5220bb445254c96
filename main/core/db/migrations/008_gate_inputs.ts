// What decides the gate (issue 10, points 8 and 10):
// - the default catalog's version 2, which declares the quantities that make each item major, added to
//   databases that already hold a catalog (old cases keep the version that classified them; a fresh
//   database gets version 2 at setup);
// - 行政处罚法 第五十八条: the security administrator's record that a reviewer without a 法律职业资格
//   reviewed penalty decisions before the law took effect (append-only, one per user);
// - the reviewer's request to extend a review period and the approver's decision (both append-only).
import { CATALOG_V2_ITEMS } from '../../domain/catalog';
import { pgId, pgImmutable } from './001_init';

export const version = 8;
export const name = 'gate_inputs';

const quote = (s: string) => `'${s.replace(/'/g, "''")}'`;
const CATALOG_NOTE = '默认重大执法决定目录清单第2版：各事项载明认定重大的数量标准及兜底事项（依据 001 附件3 第五至八条）；由数据库升级加入';

/** Adds catalog version 2 after the newest one, only where a catalog exists (setup writes it on fresh databases). */
export const catalogUpgrade = (nowExpr: string) => `
INSERT INTO catalog_versions (version, note, items_json, created_at)
  SELECT MAX(version) + 1, ${quote(CATALOG_NOTE)}, ${quote(JSON.stringify(CATALOG_V2_ITEMS))}, ${nowExpr}
  FROM catalog_versions HAVING COUNT(*) > 0;`;

export const SQLITE_NOW = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')";
export const PG_NOW = `to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

const tables = (idCol: string) => `
CREATE TABLE reviewer_exemptions (
  id ${idCol},
  user_id INTEGER NOT NULL UNIQUE REFERENCES users(id),
  note TEXT NOT NULL,
  recorded_by INTEGER NOT NULL REFERENCES users(id),
  recorded_at TEXT NOT NULL
);

CREATE TABLE extension_requests (
  id ${idCol},
  case_id INTEGER NOT NULL REFERENCES cases(id),
  period_id INTEGER NOT NULL REFERENCES periods(id),
  reason TEXT NOT NULL,
  requested_by INTEGER NOT NULL REFERENCES users(id),
  requested_at TEXT NOT NULL
);
CREATE INDEX extension_requests_case ON extension_requests(case_id, id);

CREATE TABLE extension_decisions (
  id ${idCol},
  request_id INTEGER NOT NULL UNIQUE REFERENCES extension_requests(id),
  decision TEXT NOT NULL CHECK (decision IN ('approve', 'refuse')),
  reason TEXT NOT NULL,
  decided_by INTEGER NOT NULL REFERENCES users(id),
  decided_at TEXT NOT NULL
);
`;

const APPEND_ONLY = ['reviewer_exemptions', 'extension_requests', 'extension_decisions'];

export const sqlite = `
${tables('INTEGER PRIMARY KEY')}
${APPEND_ONLY.map(
  (t) => `CREATE TRIGGER ${t}_no_update BEFORE UPDATE ON ${t} BEGIN SELECT RAISE(ABORT, 'IMMUTABLE:${t}'); END;
CREATE TRIGGER ${t}_no_delete BEFORE DELETE ON ${t} BEGIN SELECT RAISE(ABORT, 'IMMUTABLE:${t}'); END;`,
).join('\n')}
${catalogUpgrade(SQLITE_NOW)}
`;

export const postgres = `
${tables(pgId)}
${APPEND_ONLY.map((t) => pgImmutable(t)).join('\n')}
${catalogUpgrade(PG_NOW)}

-- An extension request's reasons are case contents: the same row-level rule as the case (migration 005).
ALTER TABLE extension_requests ENABLE ROW LEVEL SECURITY;
CREATE POLICY extension_requests_visible ON extension_requests
  USING (lrw_is_reader() OR lrw_reads_all_cases() OR lrw_acted_on_case(case_id));
ALTER TABLE extension_decisions ENABLE ROW LEVEL SECURITY;
CREATE POLICY extension_decisions_visible ON extension_decisions
  USING (lrw_is_reader() OR lrw_reads_all_cases() OR lrw_acted_on_case((SELECT r.case_id FROM extension_requests r WHERE r.id = request_id)));
`;
