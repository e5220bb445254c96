// The signed-in user's own autosaved forms (a case being written, a search, …): work in progress,
// operational and not part of the record (no event), each user's drafts visible to that user only.
// The handler table reaches them through here, never through the repository.
import { DraftInput } from '../../../preload/contract';
import { clearDraft, loadDraft, saveDraft } from '../db/repos/drafts';
import { type Actor, type Core, nowIso, parseInput } from './core';
import { z } from 'zod';

const DraftKey = z.object({ key: DraftInput.shape.key });

export async function saveOwnDraft(core: Core, actor: Actor, input: unknown): Promise<{ savedAt: string }> {
  const { key, json } = parseInput(DraftInput, input);
  const at = nowIso(core);
  await saveDraft(core.db, actor.id, key, json, at);
  return { savedAt: at };
}

export async function loadOwnDraft(core: Core, actor: Actor, input: unknown): Promise<{ json: string; savedAt: string } | null> {
  const { key } = parseInput(DraftKey, input);
  return (await loadDraft(core.db, actor.id, key)) ?? null;
}

export async function clearOwnDraft(core: Core, actor: Actor, input: unknown): Promise<null> {
  const { key } = parseInput(DraftKey, input);
  await clearDraft(core.db, actor.id, key);
  return null;
}
