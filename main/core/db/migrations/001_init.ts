// Initial schema. Issued records (submissions, review rounds, findings, approvals, events) have
// triggers that refuse UPDATE and DELETE: there is no code path that alters them in place.
export const version = 1;
export const name = 'init';

const immutable = (table: string) => `
CREATE TRIGGER ${table}_no_update BEFORE UPDATE ON ${table} BEGIN SELECT RAISE(ABORT, 'IMMUTABLE:${table}'); END;
CREATE TRIGGER ${table}_no_delete BEFORE DELETE ON ${table} BEGIN SELECT RAISE(ABORT, 'IMMUTABLE:${table}'); END;`;

export const sql = `
CREATE TABLE agency (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  name TEXT NOT NULL,
  doc_prefix TEXT NOT NULL,
  created_at TEXT NOT NULL
);

CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  username TEXT NOT NULL UNIQUE COLLATE NOCASE,
  display_name TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  active INTEGER NOT NULL DEFAULT 1,
  cert_no TEXT,
  cert_expiry TEXT,
  qualification_no TEXT,
  created_at TEXT NOT NULL
);

CREATE TABLE user_roles (
  user_id INTEGER NOT NULL REFERENCES users(id),
  role TEXT NOT NULL CHECK (role IN ('handler','reviewer','legal_head','agency_head','secretary','admin')),
  PRIMARY KEY (user_id, role)
);

CREATE TABLE catalog_versions (
  version INTEGER PRIMARY KEY,
  note TEXT NOT NULL,
  items_json TEXT NOT NULL,
  created_at TEXT NOT NULL
);

CREATE TABLE cases (
  id INTEGER PRIMARY KEY,
  case_no TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL,
  title TEXT NOT NULL,
  party_name TEXT NOT NULL,
  state TEXT NOT NULL,
  round INTEGER NOT NULL DEFAULT 1,
  handler_id INTEGER NOT NULL REFERENCES users(id),
  reviewer_id INTEGER REFERENCES users(id),
  last_outcome TEXT,
  head_override INTEGER NOT NULL DEFAULT 0,
  catalog_version INTEGER NOT NULL REFERENCES catalog_versions(version),
  catalog_item TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX cases_state ON cases(state, updated_at);
CREATE INDEX cases_handler ON cases(handler_id, state);
CREATE INDEX cases_reviewer ON cases(reviewer_id, state);

CREATE TABLE submissions (
  id INTEGER PRIMARY KEY,
  case_id INTEGER NOT NULL REFERENCES cases(id),
  round INTEGER NOT NULL,
  payload_json TEXT NOT NULL,
  change_note TEXT,
  submitted_by INTEGER NOT NULL REFERENCES users(id),
  submitted_at TEXT NOT NULL,
  UNIQUE (case_id, round)
);
${immutable('submissions')}

CREATE TABLE submission_officers (
  submission_id INTEGER NOT NULL REFERENCES submissions(id),
  user_id INTEGER NOT NULL REFERENCES users(id),
  PRIMARY KEY (submission_id, user_id)
);
${immutable('submission_officers')}

CREATE TABLE blobs (
  sha256 TEXT PRIMARY KEY,
  size INTEGER NOT NULL,
  stored_at TEXT NOT NULL
);
${immutable('blobs')}

CREATE TABLE submission_attachments (
  submission_id INTEGER NOT NULL REFERENCES submissions(id),
  sha256 TEXT NOT NULL REFERENCES blobs(sha256),
  name TEXT NOT NULL,
  PRIMARY KEY (submission_id, sha256, name)
);
${immutable('submission_attachments')}

CREATE TABLE review_rounds (
  id INTEGER PRIMARY KEY,
  case_id INTEGER NOT NULL REFERENCES cases(id),
  round INTEGER NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('review','rereview')),
  reviewer_id INTEGER NOT NULL REFERENCES users(id),
  outcome TEXT NOT NULL CHECK (outcome IN ('agree','return','disagree')),
  opinion TEXT NOT NULL,
  requests_json TEXT NOT NULL,
  suggestions TEXT NOT NULL,
  issued_at TEXT NOT NULL
);
${immutable('review_rounds')}

CREATE TABLE findings (
  review_id INTEGER NOT NULL REFERENCES review_rounds(id),
  criterion INTEGER NOT NULL CHECK (criterion BETWEEN 1 AND 9),
  result TEXT NOT NULL CHECK (result IN ('conform','nonconform','needs_correction')),
  reason TEXT NOT NULL,
  PRIMARY KEY (review_id, criterion)
);
${immutable('findings')}

CREATE TABLE review_drafts (
  case_id INTEGER NOT NULL REFERENCES cases(id),
  reviewer_id INTEGER NOT NULL REFERENCES users(id),
  draft_json TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (case_id, reviewer_id)
);

CREATE TABLE approvals (
  id INTEGER PRIMARY KEY,
  case_id INTEGER NOT NULL REFERENCES cases(id),
  head_id INTEGER NOT NULL REFERENCES users(id),
  decision TEXT NOT NULL CHECK (decision IN ('approve','reject')),
  opinion TEXT NOT NULL,
  review_outcome TEXT,
  override INTEGER NOT NULL,
  override_reason TEXT,
  decided_at TEXT NOT NULL
);
${immutable('approvals')}

CREATE TABLE events (
  seq INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  actor_id INTEGER,
  actor_name TEXT NOT NULL,
  action TEXT NOT NULL,
  case_id INTEGER,
  payload_json TEXT NOT NULL,
  payload_digest TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
CREATE INDEX events_case ON events(case_id, seq);
${immutable('events')}

CREATE TABLE drafts (
  user_id INTEGER NOT NULL REFERENCES users(id),
  key TEXT NOT NULL,
  json TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (user_id, key)
);

-- Search index (derived, rebuilt per case): trigram tokens give Chinese substring search.
CREATE VIRTUAL TABLE case_search USING fts5(body, tokenize = 'trigram');
`;
