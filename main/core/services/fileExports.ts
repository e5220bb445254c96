// Files in and out through the contract, for callers that cannot reach the core's functions
// (`lrw` on a server): a document draft rendered as PDF or Word, and a file a user brings to sign.
import { DocumentPreviewInput, DocumentRenderInput, SignFileInput } from '../../../preload/contract';
import { renderPdf } from '../documents/pdf';
import { renderDocx } from '../documents/docx';
import type { DocumentPreview } from '../domain/views';
import { type Actor, type Core, parseInput } from './core';
import { previewDocument } from './documents';
import { fontsFor } from './fonts';
import { layoutOf, renderOptionsOf } from './documentLayout';
import { signFile } from './issue';

/**
 * The draft of a case document as a file (unsigned, marked 草稿 by the renderers), with what the
 * preview says is still missing. Who may preview may export: previewDocument checks it.
 */
export async function renderDraftFile(
  core: Core,
  actor: Actor,
  input: unknown,
): Promise<{ name: string; base64: string; placeholders: DocumentPreview['placeholders']; missing: DocumentPreview['missing'] }> {
  const { format, ...rest } = parseInput(DocumentRenderInput, input);
  const p = await previewDocument(core, actor, parseInput(DocumentPreviewInput, rest));
  const layout = renderOptionsOf(await layoutOf(core, rest.templateId));
  const bytes = format === 'pdf' ? await renderPdf(p.model, await fontsFor(core), layout) : await renderDocx(p.model, layout);
  return { name: `${p.model.title}（草稿）.${format}`, base64: bytes.toString('base64'), placeholders: p.placeholders, missing: p.missing };
}

/** signFile (services/issue.ts) for bytes that came over the contract. */
export async function signUploadedFile(core: Core, actor: Actor, input: unknown): Promise<{ kind: 'pdf' | 'p7s'; base64: string }> {
  const { name, base64 } = parseInput(SignFileInput, input);
  const signed = await signFile(core, actor, name, Buffer.from(base64, 'base64'));
  return { kind: signed.kind, base64: signed.bytes.toString('base64') };
}
