// What a window shows about who is signed in (auth.signIn, app.setup, auth.changePassword, auth.me
// answer it): the user, the agency's name, and whether a reset password must be changed first.
import { getAgency } from '../db/repos/agency';
import { getUserById } from '../db/repos/users';
import type { SessionView } from '../domain/views';
import { passwordResetOf } from './auth';
import type { Actor, Core } from './core';
import { toUserView } from './users';

export async function sessionView(core: Core, actor: Actor): Promise<SessionView> {
  const u = (await getUserById(core.db, actor.id))!;
  return { user: toUserView(u), agencyName: (await getAgency(core.db))?.name ?? '', passwordReset: await passwordResetOf(core, u) };
}
