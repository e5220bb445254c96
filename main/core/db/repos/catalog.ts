import type { CatalogView } from '../../domain/views';
import type { Db } from '../open';

export async function currentCatalog(
  db: Db): Promise<CatalogView | undefined> {
  const row = await db.get('SELECT version, items_json FROM catalog_versions ORDER BY version DESC LIMIT 1') as
    | { version: number; items_json: string }
    | undefined;
  return row ? { version: row.version, items: JSON.parse(row.items_json) } : undefined;
}

export async function getCatalogVersion(
  db: Db, version: number): Promise<CatalogView | undefined> {
  const row = await db.get('SELECT version, items_json FROM catalog_versions WHERE version = ?', [version]) as
    | { version: number; items_json: string }
    | undefined;
  return row ? { version: row.version, items: JSON.parse(row.items_json) } : undefined;
}

export async function insertCatalogVersion(
  db: Db, cat: CatalogView, note: string, at: string): Promise<void> {
  await db.run('INSERT INTO catalog_versions (version, note, items_json, created_at) VALUES (?, ?, ?, ?)', [cat.version,
    note,
    JSON.stringify(cat.items),
    at,]);
}
