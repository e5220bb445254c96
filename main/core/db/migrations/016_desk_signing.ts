// Signing stays personal (issue 14, point 5): on the agency server nobody's private key is held; the
// desktop signs what the server renders.
// - identity_certificates: the public certificate chain (DER, base64, signer first, comma-separated) a
//   user registered from their desktop for a signing identity, with proof that the desktop holds its key.
//   Part of the record (domain/records.ts), insert-only: a registration is never changed, a certificate is
//   retired through signing_identities.retired_at as before. signing_identities keeps its columns (a new
//   column would change the digest of every row the chain already vouches for).
// - issue_requests: a document rendered for issuing and waiting for its signer's desktop (the exact PDF
//   whose signature area the desktop fills, the DOCX it signs, the signing time written into both). In
//   the store, so any server process completes what another prepared; operational (the issue itself is
//   recorded when the signatures come back and check out); abandoned after 15 minutes.
import { journalPostgres, journalSqlite } from './010_chain_rows';
import { pgImmutable } from './001_init';

export const version = 16;
export const name = 'desk_signing';

const certificates = `
CREATE TABLE identity_certificates (
  identity_id INTEGER PRIMARY KEY REFERENCES signing_identities(id),
  chain_der TEXT NOT NULL,
  registered_at TEXT NOT NULL
);`;

const requests = `
CREATE TABLE issue_requests (
  id TEXT PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id),
  case_id INTEGER NOT NULL REFERENCES cases(id),
  template_id TEXT NOT NULL,
  version_id INTEGER NOT NULL REFERENCES document_versions(id),
  identity_id INTEGER NOT NULL REFERENCES signing_identities(id),
  signer_role TEXT NOT NULL,
  head_seq INTEGER,
  signing_time TEXT NOT NULL,
  pdf TEXT NOT NULL,
  docx TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX issue_requests_user ON issue_requests(user_id);`;

export const sqlite = `${certificates}
CREATE TRIGGER identity_certificates_no_update BEFORE UPDATE ON identity_certificates BEGIN SELECT RAISE(ABORT, 'IMMUTABLE:identity_certificates'); END;
CREATE TRIGGER identity_certificates_no_delete BEFORE DELETE ON identity_certificates BEGIN SELECT RAISE(ABORT, 'IMMUTABLE:identity_certificates'); END;
${journalSqlite('identity_certificates', ['identity_id'])}
${requests}
`;

export const postgres = `${certificates}
${pgImmutable('identity_certificates')}
${journalPostgres('identity_certificates', ['identity_id'])}
${requests}
`;
