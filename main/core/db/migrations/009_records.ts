// Records of the decision stage (003 第十六、十八条) and the minutes' recorder (issue 10, points 9 and 11).
// - expert_opinions: an expert opinion (专家论证) the assigned reviewer attaches to the review of a
//   round (001 附件3 / 003 第十八条: 组织专家论证的，应制作专家论证会议纪要或专家意见书). Append-only; on
//   PostgreSQL visible under the same row-level rule as the case it belongs to.
// - meetings.recorded_by: the secretary who recorded the minutes (the creator until a secretary saves
//   the record). Existing meetings keep NULL and read as their creator: a locked meeting refuses UPDATE.
import { pgId, pgImmutable } from './001_init';

export const version = 9;
export const name = 'records';

const columns = (id: string) => `
  id ${id},
  case_id INTEGER NOT NULL REFERENCES cases(id),
  round INTEGER NOT NULL,
  review_kind TEXT NOT NULL CHECK (review_kind IN ('review', 'rereview')),
  experts_json TEXT NOT NULL,
  held_on TEXT NOT NULL,
  opinion TEXT NOT NULL,
  file_sha256 TEXT REFERENCES blobs(sha256),
  file_name TEXT,
  added_by INTEGER NOT NULL REFERENCES users(id),
  added_at TEXT NOT NULL`;

export const sqlite = `
CREATE TABLE expert_opinions (${columns('INTEGER PRIMARY KEY')}
);
CREATE INDEX expert_opinions_case ON expert_opinions(case_id, id);
CREATE TRIGGER expert_opinions_no_update BEFORE UPDATE ON expert_opinions BEGIN SELECT RAISE(ABORT, 'IMMUTABLE:expert_opinions'); END;
CREATE TRIGGER expert_opinions_no_delete BEFORE DELETE ON expert_opinions BEGIN SELECT RAISE(ABORT, 'IMMUTABLE:expert_opinions'); END;

ALTER TABLE meetings ADD COLUMN recorded_by INTEGER REFERENCES users(id);
`;

export const postgres = `
CREATE TABLE expert_opinions (${columns(pgId)}
);
CREATE INDEX expert_opinions_case ON expert_opinions(case_id, id);
${pgImmutable('expert_opinions')}
ALTER TABLE expert_opinions ENABLE ROW LEVEL SECURITY;
CREATE POLICY expert_opinions_visible ON expert_opinions
  USING (lrw_is_reader() OR lrw_reads_all_cases() OR lrw_acted_on_case(case_id))
  WITH CHECK (true);

ALTER TABLE meetings ADD COLUMN recorded_by INTEGER REFERENCES users(id);
`;
