// Agency settings of the decision gate (issue 10, points 8 and 10): whether every decision outside the
// simplified procedure is reviewed (001 二（三）), and who approves the one extension of a review period
// (001 附件3 第十三条 says 经负责人批准 without naming which head).
import { ReviewSettingsInput } from '../../../preload/contract';
import { AppError } from '../domain/errors';
import { getSetting, setSetting } from '../db/repos/deadlines';
import type { ReviewSettingsView } from '../domain/views';
import { appendEvent } from './audit';
import { requirePermission } from './auth';
import { type Actor, type Core, nowIso, parseInput, tx } from './core';
import { assertFresh, settingVersion } from './versions';

export const EXTENSION_APPROVER_LABELS = { legal_head: '法制机构负责人', agency_head: '机关负责人' } as const;

export const DEFAULT_REVIEW_SETTINGS: ReviewSettingsView = { reviewAllDecisions: false, extensionApprover: 'legal_head' };

export async function reviewSettings(core: Core): Promise<ReviewSettingsView> {
  return { ...DEFAULT_REVIEW_SETTINGS, ...await getSetting<Partial<ReviewSettingsView>>(core.db, 'review') };
}

/** The settings page's view: the settings and their version (services/versions.ts). */
export async function reviewSettingsView(core: Core): Promise<ReviewSettingsView & { version: number }> {
  return { ...await reviewSettings(core), version: (await settingVersion(core, 'review')).version };
}

export async function updateReviewSettings(core: Core, actor: Actor, input: unknown): Promise<ReviewSettingsView & { version: number }> {
  requirePermission(actor, 'settings.manage');
  const { expectedVersion, ...s } = parseInput(ReviewSettingsInput, input);
  await tx(core, async () => {
    await assertFresh(core, '法制审核范围设置', expectedVersion, await settingVersion(core, 'review'));
    const next = { ...await reviewSettings(core), ...Object.fromEntries(Object.entries(s).filter(([, v]) => v !== undefined)) };
    await setSetting(core.db, 'review', next, nowIso(core));
    await appendEvent(core, actor, 'settings.review', null, next);
  });
  return await reviewSettingsView(core);
}

/** The one extension is approved only by the head the agency named (legal office head by default). */
export async function assertExtensionApprover(core: Core, actor: Actor): Promise<void> {
  requirePermission(actor, 'deadline.extend');
  const { extensionApprover } = await reviewSettings(core);
  if (!actor.roles.includes(extensionApprover)) {
    throw new AppError('FORBIDDEN', `本机关规定延长审核期限由${EXTENSION_APPROVER_LABELS[extensionApprover]}批准（001 附件3 第十三条：经负责人批准），您无权批准。`);
  }
}
