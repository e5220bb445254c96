// Agency-level workflow settings that local rules vary.
import { WorkflowSettingsInput } from '../../../preload/contract';
import { getSetting, setSetting } from '../db/repos/deadlines';
import { appendEvent } from './audit';
import { requirePermission } from './auth';
import { type Actor, type Core, nowIso, parseInput, tx } from './core';

export interface WorkflowSettings {
  /** Re-review by someone other than the first reviewer (a setting: 001 附件3 第十二条 is silent). */
  rereviewDifferentReviewer: boolean;
  /** Quorum of the heads' meeting: more than half, or at least two thirds, of the expected attendees. */
  quorum: 'half' | 'two_thirds';
}

export const DEFAULT_WORKFLOW_SETTINGS: WorkflowSettings = { rereviewDifferentReviewer: true, quorum: 'half' };

export async function workflowSettings(core: Core): Promise<WorkflowSettings> {
  return { ...DEFAULT_WORKFLOW_SETTINGS, ...await getSetting<Partial<WorkflowSettings>>(core.db, 'workflow') };
}

export async function updateWorkflowSettings(core: Core, actor: Actor, input: unknown): Promise<WorkflowSettings> {
  requirePermission(actor, 'settings.manage');
  const s = parseInput(WorkflowSettingsInput, input);
  await tx(core, async () => {
    await setSetting(core.db, 'workflow', s, nowIso(core));
    await appendEvent(core, actor, 'settings.workflow', null, s);
  });
  return s;
}
