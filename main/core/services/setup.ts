// First run: the agency profile, the first administrator and the default catalog, in one transaction.
import { AppError } from '../domain/errors';
import { DEFAULT_CATALOG } from '../domain/catalog';
import type { AppStatus } from '../domain/views';
import { getAgency, insertAgency } from '../db/repos/agency';
import { insertCatalogVersion } from '../db/repos/catalog';
import { countUsers, getUserById, insertUser } from '../db/repos/users';
import { schemaVersion } from '../db/open';
import { SetupInput } from '../../../preload/contract';
import { appendEvent } from './audit';
import { hashPassword, toActor } from './auth';
import { type Actor, type Core, nowIso, parseInput, tx } from './core';

export function appStatus(core: Core): AppStatus {
  const a = getAgency(core.db);
  return {
    setupDone: !!a,
    agencyName: a?.name ?? null,
    docPrefix: a?.doc_prefix ?? null,
    dbPath: core.dbPath,
    schemaVersion: schemaVersion(core.db),
  };
}

export function setup(core: Core, input: unknown): Actor {
  const inp = parseInput(SetupInput, input);
  const passwordHash = hashPassword(inp.admin.password);
  return tx(core, () => {
    if (getAgency(core.db) || countUsers(core.db) > 0) {
      throw new AppError('SETUP_DONE', '本机关档案已创建，不能重复初始化。');
    }
    const at = nowIso(core);
    insertAgency(core.db, inp.agencyName, inp.docPrefix, at);
    const id = insertUser(
      core.db,
      { username: inp.admin.username, displayName: inp.admin.displayName, passwordHash, roles: ['admin'] },
      at,
    );
    insertCatalogVersion(core.db, DEFAULT_CATALOG, '默认重大执法决定目录清单（依据 001 附件3 第五至八条）', at);
    const actor = toActor(getUserById(core.db, id)!);
    appendEvent(core, actor, 'agency.setup', null, { agencyName: inp.agencyName, docPrefix: inp.docPrefix, admin: inp.admin.username });
    appendEvent(core, actor, 'catalog.version', null, { version: DEFAULT_CATALOG.version, items: DEFAULT_CATALOG.items.length });
    return actor;
  });
}

export function requireSetup(core: Core): void {
  if (!getAgency(core.db)) throw new AppError('SETUP_REQUIRED', '尚未初始化：请先创建机关档案和首位管理员。');
}
