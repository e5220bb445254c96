import type { Db } from '../open';

export interface AgencyRow {
  name: string;
  doc_prefix: string;
  created_at: string;
}

export const getAgency = async (db: Db): Promise<AgencyRow | undefined> =>
  await db.get('SELECT name, doc_prefix, created_at FROM agency WHERE id = 1') as AgencyRow | undefined;

export async function insertAgency(
  db: Db, name: string, docPrefix: string, at: string): Promise<void> {
  await db.run('INSERT INTO agency (id, name, doc_prefix, created_at) VALUES (1, ?, ?, ?)', [name, docPrefix, at]);
}
