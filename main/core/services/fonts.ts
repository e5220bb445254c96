// Which Chinese fonts PDFs embed: the default candidates in an order the administrator can change
// (e.g. put the agency's licensed 方正小标宋 or 仿宋_GB2312 first, or a font file in a custom place).
import { DEFAULT_FONT_CANDIDATES, describeFontSet, findCjkFonts, type FontCandidate, type FontSet } from '../documents/fonts';
import { getSetting, setSetting } from '../db/repos/deadlines';
import { FontOrderInput } from '../../../preload/contract';
import { appendEvent } from './audit';
import { requirePermission } from './auth';
import { type Actor, type Core, nowIso, parseInput, tx } from './core';
import { assertFresh, settingVersion } from './versions';

/** The administrator's candidates first (in their order), then the defaults not already listed. */
export async function fontCandidates(core: Core): Promise<FontCandidate[]> {
  const chosen = (await getSetting<FontCandidate[]>(core.db, 'fonts.order')) ?? [];
  const key = (c: FontCandidate) => `${c.file.toLowerCase()}|${c.face ?? ''}|${c.style}`;
  const seen = new Set(chosen.map(key));
  return [...chosen, ...DEFAULT_FONT_CANDIDATES.filter((c) => !seen.has(key(c)))];
}

export const fontsFor = async (core: Core): Promise<FontSet> => findCjkFonts({ candidates: await fontCandidates(core) });

export async function fontReport(core: Core): Promise<{ order: FontCandidate[]; roles: Record<string, string>; version: number }> {
  return {
    order: (await getSetting<FontCandidate[]>(core.db, 'fonts.order')) ?? [],
    roles: describeFontSet(await fontsFor(core)),
    version: (await settingVersion(core, 'fonts.order')).version,
  };
}

export async function setFontOrder(core: Core, actor: Actor, input: unknown) {
  requirePermission(actor, 'settings.manage');
  const { order, expectedVersion } = parseInput(FontOrderInput, input);
  // Refuse an order that leaves the machine without any usable Chinese font.
  findCjkFonts({ candidates: [...order, ...DEFAULT_FONT_CANDIDATES] });
  await tx(core, async () => {
    await assertFresh(core, '字体设置', expectedVersion, await settingVersion(core, 'fonts.order'));
    await setSetting(core.db, 'fonts.order', order, nowIso(core));
    await appendEvent(core, actor, 'settings.fonts', null, { order });
  });
  return await fontReport(core);
}

/**
 * Parses the fonts the documents use and runs the PDF code once, in the background after start-up
 * (issue 15: the first document after start-up as quick as the next): a one-page document with every
 * role's face, never stored. Errors are ignored here (no font installed is said where a document is made).
 */
export async function prewarmDocuments(core: Core): Promise<void> {
  try {
    const { prewarmPdf } = await import('../documents/prewarm');
    await prewarmPdf(await fontsFor(core));
  } catch {
    /* nothing to warm: the first document reports the problem */
  }
}

/** prewarmDocuments a little after start-up, without keeping the process alive for it. */
export function prewarmDocumentsSoon(core: Core, delayMs = 1500): void {
  setTimeout(() => void prewarmDocuments(core), delayMs).unref();
}
