// The catalog of decisions that must be reviewed (目录清单), as in force now: the handler table's
// way to it, never through the repository.
import type { CatalogView } from '../domain/views';
import { currentCatalog } from '../db/repos/catalog';
import type { Core } from './core';

/** The newest catalog version (every set-up store has one: setup writes the first). */
export async function catalogInForce(core: Core): Promise<CatalogView> {
  return (await currentCatalog(core.db))!;
}
