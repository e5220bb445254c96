// Layout profiles per template (issue 15, point 2). GB/T 9704-2012 governs 党政机关公文; enforcement
// documents follow their ministry's or the municipality's format (000 第二十二条), so the layout is a
// profile an administrator chooses per template. Both keep the 28 × 22 grid and the line-breaking rules;
// they differ where the formats do: GB/T 9704 numbers pages on the outer side (odd right, even left,
// 空一字), the enforcement-document format centres them. GB/T 9704 is every template's default until an
// administrator chooses another. The choice is a setting (documents.layouts), changed by an event.
import { TemplateLayoutInput } from '../../../preload/contract';
import type { RenderOptions } from '../documents/common';
import { getSetting, setSetting } from '../db/repos/deadlines';
import type { LayoutProfile } from '../domain/types';
import { appendEvent } from './audit';
import { requirePermission } from './auth';
import { type Actor, type Core, nowIso, parseInput, tx } from './core';
import { templateOf } from './documents';
import { assertFresh, settingVersion } from './versions';

export const DEFAULT_LAYOUT: LayoutProfile = 'gbt9704';
const KEY = 'documents.layouts';

/** Each template's chosen profile (templates not named use the default). */
export async function templateLayouts(core: Core): Promise<Record<string, LayoutProfile>> {
  return (await getSetting<Record<string, LayoutProfile>>(core.db, KEY)) ?? {};
}

export async function layoutOf(core: Core, templateId: string): Promise<LayoutProfile> {
  return (await templateLayouts(core))[templateId] ?? DEFAULT_LAYOUT;
}

/** What the renderers take from a profile. */
export function renderOptionsOf(profile: LayoutProfile): Pick<RenderOptions, 'pageNumbers'> {
  return { pageNumbers: profile === 'enforcement' ? 'center' : 'outside' };
}

/** Every template's choice and the setting's version (a change at another desk meanwhile is refused). */
export async function layoutsView(core: Core): Promise<{ byTemplate: Record<string, LayoutProfile>; version: number }> {
  return { byTemplate: await templateLayouts(core), version: await layoutVersion(core) };
}

export async function layoutVersion(core: Core): Promise<number> {
  return (await settingVersion(core, KEY)).version;
}

/** An administrator chooses a template's profile; an unknown template or profile is refused, nothing changes. */
export async function setTemplateLayout(core: Core, actor: Actor, input: unknown): Promise<{ templateId: string; layout: LayoutProfile; version: number }> {
  requirePermission(actor, 'settings.manage');
  const { templateId, layout, expectedVersion } = parseInput(TemplateLayoutInput, input);
  await templateOf(core, templateId);
  await tx(core, async () => {
    await assertFresh(core, '文书版式设置', expectedVersion, await settingVersion(core, KEY));
    const all = { ...(await templateLayouts(core)), [templateId]: layout };
    await setSetting(core.db, KEY, all, nowIso(core));
    await appendEvent(core, actor, 'settings.documentLayout', null, { templateId, layout });
  });
  return { templateId, layout, version: await layoutVersion(core) };
}
