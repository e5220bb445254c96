// Names a person types for records the contract addresses by id: a case by its 案件编号, an account
// by its username. `lrw` takes both (lrw case show 某市监罚立〔2026〕101号, meeting recuse --user qian);
// through the handler table, locally and on a server alike, only a signed-in user may look them up.
import { AppError } from '../domain/errors';
import { CaseByNoInput, UsersByNameInput } from '../../../preload/contract';
import { caseIdByNo, getCase } from '../db/repos/cases';
import { canRead } from './cases';
import { getUserByUsername } from '../db/repos/users';
import { type Actor, type Core, parseInput } from './core';

/**
 * The internal id of the case with this 案件编号. A case the actor may not read is answered exactly like
 * one that does not exist, on SQLite as on PostgreSQL (where row-level security hides it anyway): a
 * case number's existence is not told to someone outside the case.
 */
export async function caseIdOfNumber(core: Core, actor: Actor, input: unknown): Promise<{ caseId: number }> {
  const { caseNo } = parseInput(CaseByNoInput, input);
  const caseId = await caseIdByNo(core.db, caseNo);
  const row = caseId === undefined ? undefined : await getCase(core.db, caseId);
  if (caseId === undefined || !row || !await canRead(core, actor, row)) throw new AppError('NOT_FOUND', `找不到案件编号为“${caseNo}”的案件。`);
  return { caseId };
}

/** The accounts with these usernames, in the order given; an unknown one is refused by name. */
export async function usersByUsername(core: Core, _actor: Actor, input: unknown): Promise<{ id: number; username: string; displayName: string }[]> {
  const { usernames, purpose } = parseInput(UsersByNameInput, input);
  const out: { id: number; username: string; displayName: string }[] = [];
  for (const name of usernames) {
    const u = await getUserByUsername(core.db, name);
    if (!u) {
      throw purpose === 'officer'
        ? new AppError('VALIDATION', `执法人员用户名“${name}”不存在。`)
        : new AppError('NOT_FOUND', `用户“${name}”不存在。`);
    }
    out.push({ id: u.id, username: u.username, displayName: u.display_name });
  }
  return out;
}
