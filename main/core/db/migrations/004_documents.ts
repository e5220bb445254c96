// Documents: administrators' template copies, drafted documents with append-only versions,
// document numbers, the clause library, signing identities and issued (signed) files.
import { pgId, pgImmutable } from './001_init';

export const version = 4;
export const name = 'documents';

const immutable = (table: string) => `
CREATE TRIGGER ${table}_no_update BEFORE UPDATE ON ${table} BEGIN SELECT RAISE(ABORT, 'IMMUTABLE:${table}'); END;
CREATE TRIGGER ${table}_no_delete BEFORE DELETE ON ${table} BEGIN SELECT RAISE(ABORT, 'IMMUTABLE:${table}'); END;`;

export const sqlite = `
-- An administrator's edited copy of a template; the newest per template id is in force.
CREATE TABLE template_overrides (
  id INTEGER PRIMARY KEY,
  template_id TEXT NOT NULL,
  source TEXT NOT NULL,
  note TEXT NOT NULL,
  saved_by INTEGER NOT NULL REFERENCES users(id),
  saved_at TEXT NOT NULL
);
CREATE INDEX template_overrides_id ON template_overrides(template_id, id);
${immutable('template_overrides')}

CREATE TABLE documents (
  id INTEGER PRIMARY KEY,
  case_id INTEGER NOT NULL REFERENCES cases(id),
  template_id TEXT NOT NULL,
  doc_number TEXT,
  created_by INTEGER NOT NULL REFERENCES users(id),
  created_at TEXT NOT NULL,
  UNIQUE (case_id, template_id)
);
-- Only the document number may be set, once.
CREATE TRIGGER documents_number_once BEFORE UPDATE ON documents
  WHEN OLD.doc_number IS NOT NULL OR NEW.case_id IS NOT OLD.case_id OR NEW.template_id IS NOT OLD.template_id
  BEGIN SELECT RAISE(ABORT, 'IMMUTABLE:documents'); END;
CREATE TRIGGER documents_no_delete BEFORE DELETE ON documents BEGIN SELECT RAISE(ABORT, 'IMMUTABLE:documents'); END;

CREATE TABLE document_versions (
  id INTEGER PRIMARY KEY,
  document_id INTEGER NOT NULL REFERENCES documents(id),
  version INTEGER NOT NULL,
  model_json TEXT NOT NULL,
  draft_json TEXT,
  sha256 TEXT NOT NULL,
  final INTEGER NOT NULL DEFAULT 0,
  note TEXT NOT NULL,
  saved_by INTEGER NOT NULL REFERENCES users(id),
  saved_at TEXT NOT NULL,
  UNIQUE (document_id, version)
);
${immutable('document_versions')}

CREATE TABLE doc_serials (
  prefix TEXT NOT NULL,
  year INTEGER NOT NULL,
  last_serial INTEGER NOT NULL,
  PRIMARY KEY (prefix, year)
);

-- Reusable reasoning paragraphs (事理、法理、情理) the office maintains; retired, never deleted.
CREATE TABLE clauses (
  id INTEGER PRIMARY KEY,
  category TEXT NOT NULL CHECK (category IN ('事理', '法理', '情理')),
  title TEXT NOT NULL,
  text TEXT NOT NULL,
  created_by INTEGER NOT NULL REFERENCES users(id),
  created_at TEXT NOT NULL,
  retired_at TEXT
);

CREATE TABLE signing_identities (
  id INTEGER PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id),
  p12_sha256 TEXT NOT NULL,
  subject_cn TEXT NOT NULL,
  issuer_cn TEXT NOT NULL,
  serial TEXT NOT NULL,
  not_before TEXT NOT NULL,
  not_after TEXT NOT NULL,
  trial INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  retired_at TEXT
);

-- A rendered and signed file handed out of the system; never changed (a correction is a new row).
CREATE TABLE issued_files (
  id INTEGER PRIMARY KEY,
  case_id INTEGER NOT NULL REFERENCES cases(id),
  document_version_id INTEGER NOT NULL REFERENCES document_versions(id),
  format TEXT NOT NULL CHECK (format IN ('pdf', 'docx', 'p7s')),
  sha256 TEXT NOT NULL,
  size INTEGER NOT NULL,
  name TEXT NOT NULL,
  signer_id INTEGER NOT NULL REFERENCES users(id),
  identity_id INTEGER NOT NULL REFERENCES signing_identities(id),
  issued_at TEXT NOT NULL
);
${immutable('issued_files')}
`;

export const postgres = `
CREATE TABLE template_overrides (
  id ${pgId},
  template_id TEXT NOT NULL,
  source TEXT NOT NULL,
  note TEXT NOT NULL,
  saved_by INTEGER NOT NULL REFERENCES users(id),
  saved_at TEXT NOT NULL
);
CREATE INDEX template_overrides_id ON template_overrides(template_id, id);
${pgImmutable('template_overrides')}

CREATE TABLE documents (
  id ${pgId},
  case_id INTEGER NOT NULL REFERENCES cases(id),
  template_id TEXT NOT NULL,
  doc_number TEXT,
  created_by INTEGER NOT NULL REFERENCES users(id),
  created_at TEXT NOT NULL,
  UNIQUE (case_id, template_id)
);
-- Only the document number may be set, once.
CREATE FUNCTION documents_number_once() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' OR OLD.doc_number IS NOT NULL OR NEW.case_id IS DISTINCT FROM OLD.case_id
     OR NEW.template_id IS DISTINCT FROM OLD.template_id THEN
    RAISE EXCEPTION 'IMMUTABLE:documents';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER documents_number_once BEFORE UPDATE OR DELETE ON documents FOR EACH ROW EXECUTE FUNCTION documents_number_once();

CREATE TABLE document_versions (
  id ${pgId},
  document_id INTEGER NOT NULL REFERENCES documents(id),
  version INTEGER NOT NULL,
  model_json TEXT NOT NULL,
  draft_json TEXT,
  sha256 TEXT NOT NULL,
  final INTEGER NOT NULL DEFAULT 0,
  note TEXT NOT NULL,
  saved_by INTEGER NOT NULL REFERENCES users(id),
  saved_at TEXT NOT NULL,
  UNIQUE (document_id, version)
);
${pgImmutable('document_versions')}

CREATE TABLE doc_serials (
  prefix TEXT NOT NULL,
  year INTEGER NOT NULL,
  last_serial INTEGER NOT NULL,
  PRIMARY KEY (prefix, year)
);

CREATE TABLE clauses (
  id ${pgId},
  category TEXT NOT NULL CHECK (category IN ('事理', '法理', '情理')),
  title TEXT NOT NULL,
  text TEXT NOT NULL,
  created_by INTEGER NOT NULL REFERENCES users(id),
  created_at TEXT NOT NULL,
  retired_at TEXT
);

CREATE TABLE signing_identities (
  id ${pgId},
  user_id INTEGER NOT NULL REFERENCES users(id),
  p12_sha256 TEXT NOT NULL,
  subject_cn TEXT NOT NULL,
  issuer_cn TEXT NOT NULL,
  serial TEXT NOT NULL,
  not_before TEXT NOT NULL,
  not_after TEXT NOT NULL,
  trial INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  retired_at TEXT
);

CREATE TABLE issued_files (
  id ${pgId},
  case_id INTEGER NOT NULL REFERENCES cases(id),
  document_version_id INTEGER NOT NULL REFERENCES document_versions(id),
  format TEXT NOT NULL CHECK (format IN ('pdf', 'docx', 'p7s')),
  sha256 TEXT NOT NULL,
  size BIGINT NOT NULL,
  name TEXT NOT NULL,
  signer_id INTEGER NOT NULL REFERENCES users(id),
  identity_id INTEGER NOT NULL REFERENCES signing_identities(id),
  issued_at TEXT NOT NULL
);
${pgImmutable('issued_files')}
`;
