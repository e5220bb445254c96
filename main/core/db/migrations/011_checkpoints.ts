// The agency's record-signing key and the signed checkpoints of the chain head (issue 11, points 3–4).
// - record_keys: the public half of each record-signing key (PEM and SHA-256 fingerprint of its SPKI DER).
//   The private half is never in the database: it lives in the OS keychain (desktop) or in a key file
//   readable only by the service (server). Append-only; a key is superseded by a newer row, never edited.
// - checkpoints: the chain head (seq, hash, at) signed with a record key, every 100 events, at every
//   issue, at a clean shutdown and on export. Append-only. prev links each checkpoint to the one before
//   it (SHA-256 of that one's signed message and signature), so the latest signature vouches for them
//   all. Each row vouches for itself by its signature
//   (services/checkpoints.ts checkpointMessage), not by an event: a checkpoint event would move the head.
//   So record_keys is a record table (its row bound by the journal to 'record.key.create'), and a
//   checkpoint row is journalled too and vouched for by the next event (Store.tx does not mark it as a
//   write outside an event): deleting checkpoints is then caught like deleting any record row.
import { pgId, pgImmutable } from './001_init';
import { journalPostgres, journalSqlite } from './010_chain_rows';

export const version = 11;
export const name = 'checkpoints';

const keyColumns = (id: string) => `
  id ${id},
  algorithm TEXT NOT NULL CHECK (algorithm IN ('ed25519', 'sm2')),
  public_key_pem TEXT NOT NULL,
  fingerprint TEXT NOT NULL UNIQUE,
  created_by INTEGER REFERENCES users(id),
  created_at TEXT NOT NULL`;

const checkpointColumns = (id: string) => `
  id ${id},
  seq INTEGER NOT NULL,
  hash TEXT NOT NULL,
  at TEXT NOT NULL,
  key_id INTEGER NOT NULL REFERENCES record_keys(id),
  reason TEXT NOT NULL CHECK (reason IN ('interval', 'issue', 'shutdown', 'export')),
  prev TEXT NOT NULL,
  signature TEXT NOT NULL`;

export const sqlite = `
CREATE TABLE record_keys (${keyColumns('INTEGER PRIMARY KEY')}
);
CREATE TRIGGER record_keys_no_update BEFORE UPDATE ON record_keys BEGIN SELECT RAISE(ABORT, 'IMMUTABLE:record_keys'); END;
CREATE TRIGGER record_keys_no_delete BEFORE DELETE ON record_keys BEGIN SELECT RAISE(ABORT, 'IMMUTABLE:record_keys'); END;
${journalSqlite('record_keys', ['id'])}

CREATE TABLE checkpoints (${checkpointColumns('INTEGER PRIMARY KEY')}
);
CREATE INDEX checkpoints_seq ON checkpoints(seq);
CREATE TRIGGER checkpoints_no_update BEFORE UPDATE ON checkpoints BEGIN SELECT RAISE(ABORT, 'IMMUTABLE:checkpoints'); END;
CREATE TRIGGER checkpoints_no_delete BEFORE DELETE ON checkpoints BEGIN SELECT RAISE(ABORT, 'IMMUTABLE:checkpoints'); END;
${journalSqlite('checkpoints', ['id'])}
`;

export const postgres = `
CREATE TABLE record_keys (${keyColumns(pgId)}
);
${pgImmutable('record_keys')}
${journalPostgres('record_keys', ['id'])}

CREATE TABLE checkpoints (${checkpointColumns(pgId)}
);
CREATE INDEX checkpoints_seq ON checkpoints(seq);
${pgImmutable('checkpoints')}
${journalPostgres('checkpoints', ['id'])}
`;
