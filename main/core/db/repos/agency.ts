import type { Db } from '../open';

export interface AgencyRow {
  name: string;
  doc_prefix: string;
  created_at: string;
}

export const getAgency = (db: Db): AgencyRow | undefined =>
  db.prepare('SELECT name, doc_prefix, created_at FROM agency WHERE id = 1').get() as AgencyRow | undefined;

export function insertAgency(db: Db, name: string, docPrefix: string, at: string): void {
  db.prepare('INSERT INTO agency (id, name, doc_prefix, created_at) VALUES (1, ?, ?, ?)').run(name, docPrefix, at);
}
