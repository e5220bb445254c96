// Agency-level workflow settings that local rules vary.
import { WorkflowSettingsInput } from '../../../preload/contract';
import { getSetting, setSetting } from '../db/repos/deadlines';
import { appendEvent } from './audit';
import { requirePermission } from './auth';
import { type Actor, type Core, nowIso, parseInput, tx } from './core';
import { assertFresh, settingVersion } from './versions';

export interface WorkflowSettings {
  /** Re-review by someone other than the first reviewer (a setting: 001 附件3 第十二条 is silent). */
  rereviewDifferentReviewer: boolean;
  /** Quorum of the heads' meeting: more than half, or at least two thirds, of the expected attendees. */
  quorum: 'half' | 'two_thirds';
  /** Departing from a 不同意 opinion only through collective discussion (on by default; 第十七条 grants no power). */
  departOnlyByMeeting: boolean;
  /** Cases that must be decided by the heads' meeting: none, every major case, or chosen catalog items. */
  discussionRequired: 'none' | 'all' | 'items';
  discussionItems: string[];
}

export const DEFAULT_WORKFLOW_SETTINGS: WorkflowSettings = {
  rereviewDifferentReviewer: true,
  quorum: 'half',
  departOnlyByMeeting: true,
  discussionRequired: 'none',
  discussionItems: [],
};

/** Must this case be decided by the heads' collective discussion (agency setting)? */
export function discussionRequiredFor(s: WorkflowSettings, catalogItem: string): boolean {
  return s.discussionRequired === 'all' || (s.discussionRequired === 'items' && s.discussionItems.includes(catalogItem));
}

export async function workflowSettings(core: Core): Promise<WorkflowSettings> {
  return { ...DEFAULT_WORKFLOW_SETTINGS, ...await getSetting<Partial<WorkflowSettings>>(core.db, 'workflow') };
}

/** The settings page's view: the settings and their version (services/versions.ts). */
export async function workflowSettingsView(core: Core): Promise<WorkflowSettings & { version: number }> {
  return { ...await workflowSettings(core), version: (await settingVersion(core, 'workflow')).version };
}

export async function updateWorkflowSettings(core: Core, actor: Actor, input: unknown): Promise<WorkflowSettings & { version: number }> {
  requirePermission(actor, 'settings.manage');
  const { expectedVersion, ...given } = parseInput(WorkflowSettingsInput, input);
  await tx(core, async () => {
    await assertFresh(core, '工作流程设置', expectedVersion, await settingVersion(core, 'workflow'));
    // Fields not sent keep their value (older clients send only the first two).
    const s = { ...(await workflowSettings(core)), ...Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined)) } as WorkflowSettings;
    await setSetting(core.db, 'workflow', s, nowIso(core));
    await appendEvent(core, actor, 'settings.workflow', null, s);
  });
  return await workflowSettingsView(core);
}
