// Stale writes refused by version (issue 14, point 4: “已被某某更新”, services/versions.ts).
// - row_versions: for every record row, the event that last wrote it (its seq, actor and time).
//   appendEvent fills it from the record journal (chain_pending, migration 010) in the same
//   transaction, so every write of a record row — whichever use case made it — moves the row's
//   version, and who changed it and when is known without reading the chain. Operational (not part of
//   the record: it repeats what the events already say, domain/records.ts OPERATIONAL_TABLES); a row no
//   event has written since this migration has version 0.
// - review_drafts.version: the autosaved review draft (operational, no event) counts its own saves,
//   so a save from a second desk of the same reviewer is refused instead of overwriting the first.
export const version = 15;
export const name = 'row_versions';

const sql = (withoutRowid: string) => `
CREATE TABLE row_versions (
  tbl TEXT NOT NULL,
  key TEXT NOT NULL,
  seq INTEGER NOT NULL,
  actor_id INTEGER,
  at TEXT NOT NULL,
  PRIMARY KEY (tbl, key)
)${withoutRowid};
ALTER TABLE review_drafts ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
`;

export const sqlite = sql(' WITHOUT ROWID');

export const postgres = sql('');
