import type { CatalogView } from '../../domain/views';
import type { Db } from '../open';

export function currentCatalog(db: Db): CatalogView | undefined {
  const row = db.prepare('SELECT version, items_json FROM catalog_versions ORDER BY version DESC LIMIT 1').get() as
    | { version: number; items_json: string }
    | undefined;
  return row ? { version: row.version, items: JSON.parse(row.items_json) } : undefined;
}

export function getCatalogVersion(db: Db, version: number): CatalogView | undefined {
  const row = db.prepare('SELECT version, items_json FROM catalog_versions WHERE version = ?').get(version) as
    | { version: number; items_json: string }
    | undefined;
  return row ? { version: row.version, items: JSON.parse(row.items_json) } : undefined;
}

export function insertCatalogVersion(db: Db, cat: CatalogView, note: string, at: string): void {
  db.prepare('INSERT INTO catalog_versions (version, note, items_json, created_at) VALUES (?, ?, ?, ?)').run(
    cat.version,
    note,
    JSON.stringify(cat.items),
    at,
  );
}
