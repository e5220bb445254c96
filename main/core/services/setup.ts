// First run: the agency profile, the first administrator and the default catalog, in one transaction.
// The first administrator holds 系统管理员, 安全管理员 and 审计管理员 until two other accounts hold the
// latter two (三员分立; services/security.ts settleAdminSplit); app.status says which are missing.
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
import { ADMIN_ROLES } from '../domain/types';
import { adminSplitStatus } from './security';
import { createKeyAtSetup, recordKeyStorable, type RecordKeyAlgorithm } from './checkpoints';

export async function appStatus(core: Core): Promise<AppStatus> {
  const a = await getAgency(core.db);
  return {
    setupDone: !!a,
    agencyName: a?.name ?? null,
    docPrefix: a?.doc_prefix ?? null,
    dbPath: core.dbPath,
    schemaVersion: await schemaVersion(core.db),
    adminSplit: a ? await adminSplitStatus(core) : null,
  };
}

/**
 * The agency's record-signing key is made here too (services/checkpoints.ts): when the keychain or key
 * file cannot take it, setup goes on without one and recordKeyStatus says why (lrw audit key init later).
 */
export async function setup(core: Core, input: unknown, opts: { recordKeyAlgorithm?: RecordKeyAlgorithm } = {}): Promise<Actor> {
  const inp = parseInput(SetupInput, input);
  if (await getAgency(core.db)) throw new AppError('SETUP_DONE', '本机关档案已创建，不能重复初始化。');
  // On a server reachable from the intranet, whoever opened the page first would become its administrator.
  if (!core.setupHere) {
    throw new AppError('SETUP_REQUIRED', '本单位服务器尚未初始化：须由信息化管理员在服务器上运行 lrw init 创建机关档案和首位管理员，不能在浏览器或其他电脑上初始化。');
  }
  const passwordHash = await hashPassword(inp.admin.password);
  const keyStorable = await recordKeyStorable(core);
  return await tx(core, async () => {
    if (await getAgency(core.db) || await countUsers(core.db) > 0) {
      throw new AppError('SETUP_DONE', '本机关档案已创建，不能重复初始化。');
    }
    const at = nowIso(core);
    await insertAgency(core.db, inp.agencyName, inp.docPrefix, at);
    const id = await insertUser(
      core.db,
      { username: inp.admin.username, displayName: inp.admin.displayName, passwordHash, roles: [...ADMIN_ROLES] },
      at,
    );
    await insertCatalogVersion(core.db, DEFAULT_CATALOG, '默认重大执法决定目录清单（依据 001 附件3 第五至八条）', at);
    const actor = toActor((await getUserById(core.db, id))!);
    await appendEvent(core, actor, 'agency.setup', null, { agencyName: inp.agencyName, docPrefix: inp.docPrefix, admin: inp.admin.username, roles: [...ADMIN_ROLES] });
    await appendEvent(core, actor, 'catalog.version', null, { version: DEFAULT_CATALOG.version, items: DEFAULT_CATALOG.items.length });
    await createKeyAtSetup(core, actor, opts.recordKeyAlgorithm ?? 'ed25519', keyStorable);
    return actor;
  });
}

/** True once the agency's profile and first administrator exist. */
export async function isSetUp(core: Core): Promise<boolean> {
  return !!await getAgency(core.db);
}

/** Stores known to be set up: an agency, once created, is never removed, so each request need not ask again. */
const setUp = new WeakSet<object>();

export async function requireSetup(core: Core): Promise<void> {
  if (setUp.has(core.db)) return;
  if (!await getAgency(core.db)) throw new AppError('SETUP_REQUIRED', '尚未初始化：请先创建机关档案和首位管理员。');
  setUp.add(core.db);
}
