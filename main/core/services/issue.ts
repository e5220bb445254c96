// Issuing: a finalised document becomes a signed PDF (embedded CMS signature) and a DOCX with a
// detached .p7s, stored by hash in the case and recorded in the log; issued files never change — a
// correction is a new final version, issued and signed again. Signing identities: PKCS#12 files in
// the keys folder, their passphrases only in the OS keychain.
import { layoutOf, renderOptionsOf } from './documentLayout';
import { Readable } from 'node:stream';
import { AppError } from '../domain/errors';
import { ROLE_LABELS } from '../domain/types';
import { fontsFor } from './fonts';
import { cstDateTime } from '../domain/calendar';
import { PDF_DRAFT_KEY, renderPdf } from '../documents/pdf';
import { renderDocx } from '../documents/docx';
import { signDocx, signPdf } from '../documents/sign';
import { SIGNATURE_AREA_CHANGED, verifyDetached, verifyPdf, type SignatureReport } from '../documents/verify';
import { createTrialIdentity, importP12Identity, loadSigningKey, type SigningIdentity } from '../documents/identity';
import type { DocModel } from '../documents/model';
import { getAgency } from '../db/repos/agency';
import { getDocument, versionsOf } from '../db/repos/documents';
import { getCase, insertBlob } from '../db/repos/cases';
import { insertIssued, issuedById, issuedFilesOfCase } from '../db/repos/issued';
import { activeIdentitiesOf, identityByFingerprint, insertIdentity, issuedBySha, retireIdentity, type IdentityRow } from '../db/repos/identities';
import { getSetting, setSetting } from '../db/repos/deadlines';
import { IdentityImportInput, IssueInput, SealInput, VerifyInput } from '../../../preload/contract';
import { appendEvent } from './audit';
import { startServiceClock } from './enforcement';
import { requirePermission } from './auth';
import { canRead, caseDetail, loadCase } from './cases';
import { templateOf } from './documents';
import { requireDocumentStep } from './authority';
import { documentRule, RELATION_ROLE, stands } from '../domain/authority';
import { type Actor, type Core, nowIso, parseInput, tx } from './core';
import fs from 'node:fs';
import { createHash } from 'node:crypto';
import { lastEvent } from '../db/repos/events';
import { PDF_HEAD_KEY, pdfHeadValue } from './checkpoints';
import { FILING_TEMPLATE, filingPackage } from './filings';

export interface IdentityView {
  fingerprint: string;
  subjectCN: string;
  issuer: string;
  serial: string;
  notBefore: string;
  notAfter: string;
  trial: boolean;
  createdAt: string;
  /** In team mode, said by the desktop (services/signAtDesk.ts): is this certificate's private key on this computer? */
  keyHere?: boolean;
}

function keysOpts(core: Core, store: Awaited<ReturnType<Core['secrets']>>) {
  return { keysDir: core.keysDir, store };
}

async function recordIdentity(core: Core, actor: Actor, id: SigningIdentity): Promise<IdentityView> {
  await tx(core, async () => {
    if (!await identityByFingerprint(core.db, actor.id, id.id)) {
      await insertIdentity(core.db, {
        user_id: actor.id,
        p12_sha256: id.id,
        subject_cn: id.subjectCN,
        issuer_cn: id.issuer,
        serial: id.serialNumber,
        not_before: id.notBefore.toISOString(),
        not_after: id.notAfter.toISOString(),
        trial: id.trial ? 1 : 0,
        created_at: nowIso(core),
      });
    }
    await appendEvent(core, actor, 'identity.create', null, { fingerprint: id.id, subject: id.subject, issuer: id.issuer, serial: id.serialNumber, trial: id.trial });
  });
  return (await myIdentities(core, actor)).find((i) => i.fingerprint === id.id)!;
}

export async function myIdentities(core: Core, actor: Actor): Promise<IdentityView[]> {
  return (await activeIdentitiesOf(core.db, actor.id)).map((r) => ({
    fingerprint: r.p12_sha256,
    subjectCN: r.subject_cn,
    issuer: r.issuer_cn,
    serial: r.serial,
    notBefore: r.not_before,
    notAfter: r.not_after,
    trial: r.trial === 1,
    createdAt: r.created_at,
  }));
}

/** Stops using one of my certificates for signing (kept on record; documents it signed still verify). */
export async function retireMyIdentity(core: Core, actor: Actor, fingerprint: string): Promise<IdentityView[]> {
  await tx(core, async () => {
    if (await retireIdentity(core.db, actor.id, fingerprint, nowIso(core)) === 0) throw new AppError('NOT_FOUND', '没有这张在用的签名证书。');
    await appendEvent(core, actor, 'identity.retire', null, { fingerprint });
  });
  return await myIdentities(core, actor);
}

/** A self-signed certificate for trial use (marked 试用), in the signer's own name. */
/** On the agency server nobody's private key is held or used (Core.signingHere). */
export function requireSigningHere(core: Core): void {
  if (!core.signingHere) {
    throw new AppError('SIGNING_ON_DESKTOP', '签名私钥只保存在本人电脑的工作台中，服务器不保存也不使用任何人的私钥：请在安装了工作台的电脑上导入或生成签名证书、签发文书。');
  }
}

export async function createTrialIdentityFor(core: Core, actor: Actor): Promise<IdentityView> {
  requirePermission(actor, 'document.issue');
  requireSigningHere(core);
  const store = await core.secrets();
  const id = await createTrialIdentity({ ...keysOpts(core, store), signerName: actor.displayName, agency: (await getAgency(core.db))!.name, now: core.now() });
  return await recordIdentity(core, actor, id);
}

/** Imports a PKCS#12 file issued by the agency's CA; the passphrase goes to the keychain only. */
export async function importIdentity(core: Core, actor: Actor, input: unknown): Promise<IdentityView> {
  requirePermission(actor, 'document.issue');
  requireSigningHere(core);
  const i = parseInput(IdentityImportInput, input);
  const store = await core.secrets();
  const id = await importP12Identity({ ...keysOpts(core, store), p12: Buffer.from(i.base64, 'base64'), passphrase: i.passphrase, now: core.now() });
  return await recordIdentity(core, actor, id);
}

export async function setSeal(core: Core, actor: Actor, input: unknown): Promise<null> {
  requirePermission(actor, 'settings.manage');
  const s = parseInput(SealInput, input);
  const png = Buffer.from(s.pngBase64, 'base64');
  if (png.length < 8 || png.readUInt32BE(0) !== 0x89504e47) throw new AppError('VALIDATION', '印章图片须为 PNG 格式。');
  await tx(core, async () => {
    await setSetting(core.db, 'seal', s.pngBase64, nowIso(core));
    await appendEvent(core, actor, 'settings.seal', null, { sha256: createHash('sha256').update(png).digest('hex') });
  });
  return null;
}

const putBytes = (core: Core, bytes: Buffer) => core.blobs.putStream(Readable.from([bytes]));

export interface IssuedView {
  id: number;
  format: 'pdf' | 'docx' | 'p7s';
  name: string;
  sha256: string;
  size: number;
  issuedAt: string;
}

/** What issuing the latest final version of one case document consists of, once every check has passed. */
export interface IssuePlan {
  caseId: number;
  templateId: string;
  caseNo: string;
  docNumber: string | null;
  final: Awaited<ReturnType<typeof versionsOf>>[number];
  rule: ReturnType<typeof documentRule>;
  facts: Awaited<ReturnType<typeof requireDocumentStep>>;
  identity: IdentityRow;
  /** The model as signed: the signer's name and role, the seal. */
  model: DocModel;
  /** File name stem: 案号-标题-第N版. */
  base: string;
  agencyName: string;
}

/**
 * Every check of issuing (permission, the case, the authority table's gate, a final version not yet
 * issued, the signer's certificate), then the model as it will be signed. Issuing here and issuing from
 * a desktop through the agency server (services/deskSigning.ts) both start with it.
 */
export async function planIssue(core: Core, actor: Actor, input: unknown): Promise<IssuePlan> {
  requirePermission(actor, 'document.issue');
  const r = parseInput(IssueInput, input);
  const detail = await caseDetail(core, actor, r.caseId);
  const template = await templateOf(core, r.templateId);
  // The authority table: who signs, and what must have happened first (an outward decision only once approved).
  const facts = await requireDocumentStep(core, actor, await loadCase(core, r.caseId), template, 'issue');
  const rule = documentRule(template.id, template.kind);
  const doc = await getDocument(core.db, r.caseId, r.templateId);
  const final = doc ? [...(await versionsOf(core.db, doc.id))].reverse().find((v) => v.final === 1) : undefined;
  if (!doc || !final) throw new AppError('BAD_STATE', '请先定稿，再签发。');
  if ((await issuedFilesOfCase(core.db, r.caseId)).some((f) => f.document_version_id === final.id)) {
    throw new AppError('CONFLICT', `第${final.version}版已签发，不能重复签发；如需更正，请修改后重新定稿，作为新版本签发。`);
  }
  const current = await activeIdentitiesOf(core.db, actor.id);
  const identity = r.fingerprint ? current.find((x) => x.p12_sha256 === r.fingerprint) : current[0];
  if (!identity && r.fingerprint && current.length) {
    throw new AppError('BAD_STATE', '所选的签名证书不是您现用的证书（未登记或已停用）：请在“签名证书”中查看现用证书。');
  }
  if (!identity) {
    throw new AppError('BAD_STATE', core.signingHere
      ? '您还没有签名证书：请在“签名证书”中导入机关CA颁发的证书，或生成试用证书。'
      : '您还没有在本单位服务器登记签名证书：请在安装了工作台的电脑上打开“签名证书”，导入机关CA颁发的证书或生成试用证书（证书的公开部分会登记到服务器）。');
  }
  const role = RELATION_ROLE[rule.signers.find((rel) => stands(rel, actor, facts))!];
  const seal = await getSetting<string>(core.db, 'seal');
  const stored = JSON.parse(final.model_json) as DocModel;
  const model: DocModel = {
    ...stored,
    signature: { ...stored.signature, signer: { name: actor.displayName, role: ROLE_LABELS[role] }, ...(seal && { sealPngBase64: seal }) },
  };
  return {
    caseId: r.caseId,
    templateId: r.templateId,
    caseNo: detail.caseNo,
    docNumber: doc.doc_number,
    final,
    rule,
    facts,
    identity,
    model,
    base: `${detail.caseNo}-${model.title}-第${final.version}版`.replace(/[\\/:*?"<>|]/g, '_'),
    agencyName: (await getAgency(core.db))!.name,
  };
}

/**
 * The final PDF as rendered for signing. The chain head at issue goes into its signed bytes: every copy
 * handed out witnesses the record up to that event (services/checkpoints.ts checkWitnesses).
 */
export async function renderForIssue(core: Core, actor: Actor, plan: IssuePlan): Promise<{ pdf: Buffer; docx: Buffer }> {
  const headAtIssue = await lastEvent(core.db);
  const pdfInfo = headAtIssue ? { [PDF_HEAD_KEY]: pdfHeadValue(headAtIssue) } : undefined;
  const layout = renderOptionsOf(await layoutOf(core, plan.templateId));
  const report = await renderPdf(plan.model, await fontsFor(core), { final: true, ...layout, ...(pdfInfo && { pdfInfo }) });
  // The 备案报告 is issued as the whole package: its enclosures follow it inside the one signed file.
  const pdf = plan.templateId === FILING_TEMPLATE ? await filingPackage(core, actor, plan.caseId, report) : report;
  return { pdf, docx: await renderDocx(plan.model, { final: true, ...layout }) };
}

/** The PDF signature dictionary's texts. */
export const pdfSignatureTexts = (actor: Actor, plan: IssuePlan) => ({ name: actor.displayName, reason: plan.model.title, location: plan.agencyName });

/** Stores the three signed files, their rows and the document.issue event (what allowed it, the certificate, the hashes). */
export async function recordIssue(
  core: Core, actor: Actor, plan: IssuePlan, signed: { pdf: Buffer; docx: Buffer; p7s: Buffer }, extra: Record<string, unknown> = {},
  /** Runs first inside the issuing transaction (a refusal there stores nothing). */
  inTx?: () => Promise<void>,
): Promise<IssuedView[]> {
  const { rule, facts, final, identity: idRow } = plan;
  const files = [
    { format: 'pdf' as const, bytes: signed.pdf, name: `${plan.base}.pdf` },
    { format: 'docx' as const, bytes: signed.docx, name: `${plan.base}.docx` },
    { format: 'p7s' as const, bytes: signed.p7s, name: `${plan.base}.docx.p7s` },
  ];
  const stored: ((typeof files)[number] & { blob: { sha256: string; size: number } })[] = [];
  for (const f of files) stored.push({ ...f, blob: await putBytes(core, f.bytes) });
  const at = nowIso(core);
  await tx(core, async () => {
    await inTx?.();
    for (const f of stored) {
      await insertBlob(core.db, f.blob.sha256, f.blob.size, at);
      await insertIssued(core.db, {
        case_id: plan.caseId,
        document_version_id: final.id,
        format: f.format,
        sha256: f.blob.sha256,
        size: f.blob.size,
        name: f.name,
        signer_id: actor.id,
        identity_id: idRow.id,
        issued_at: at,
      });
    }
    // A penalty decision's first issue starts the 7-working-day service clock (行政处罚法 第六十一条).
    await startServiceClock(core, plan.caseId, plan.templateId, new Date(at));
    await appendEvent(core, actor, 'document.issue', plan.caseId, {
      templateId: plan.templateId,
      version: final.version,
      docNumber: plan.docNumber,
      // What allowed it: the approval (or the locked meeting decision, or the approved ending) it rests on.
      authorisedBy: {
        gate: rule.gate,
        ...(facts.approval && { approvalId: facts.approval.id, decision: facts.approval.decision, meetingId: facts.approval.meetingId }),
        ...(rule.gate === 'endedNoPenalty' && facts.ending && { endingId: facts.ending.id }),
        ...(rule.gate === 'minutesLocked' && { meetingId: facts.lockedMeetingId }),
      },
      certificate: { fingerprint: idRow.p12_sha256, subject: idRow.subject_cn, serial: idRow.serial, trial: idRow.trial === 1 },
      files: stored.map((f) => ({ format: f.format, name: f.name, sha256: f.blob.sha256, size: f.blob.size })),
      ...extra,
    });
  });
  return (await issuedFilesOfCase(core.db, plan.caseId))
    .filter((f) => f.document_version_id === final.id)
    .map((f) => ({ id: f.id, format: f.format, name: f.name, sha256: f.sha256, size: f.size, issuedAt: f.issued_at }));
}

/**
 * Renders the latest final version of a case document to PDF and DOCX, signs both with the actor's
 * identity, stores the three files and logs their hashes.
 */
export async function issueDocument(core: Core, actor: Actor, input: unknown): Promise<IssuedView[]> {
  requirePermission(actor, 'document.issue');
  requireSigningHere(core);
  const plan = await planIssue(core, actor, input);
  const key = await loadSigningKey(plan.identity.p12_sha256, keysOpts(core, await core.secrets()), { trial: plan.identity.trial === 1 });
  const now = core.now();
  const { pdf, docx } = await renderForIssue(core, actor, plan);
  const signedPdf = await signPdf(pdf, key.p12, key.passphrase, { ...pdfSignatureTexts(actor, plan), signingTime: now });
  const p7s = await signDocx(docx, key.p12, key.passphrase, { signingTime: now });
  return await recordIssue(core, actor, plan, { pdf: signedPdf, docx, p7s });
}

/** An issued file's bytes, for saving a copy (the stored file itself is read-only). */
export async function downloadIssued(core: Core, actor: Actor, issuedId: number): Promise<{ name: string; base64: string }> {
  const f = await issuedById(core.db, issuedId);
  if (!f) throw new AppError('NOT_FOUND', '文件不存在。');
  await caseDetail(core, actor, f.case_id);
  return { name: f.name, base64: fs.readFileSync(core.blobs.pathOf(f.sha256)).toString('base64') };
}

export interface VerifyView {
  kind: 'pdf' | 'detached';
  signed: boolean;
  intact: boolean;
  signer: string | null;
  signingTime: string | null;
  certificate: { subject: string; issuer: string; serial: string; notBefore: string; notAfter: string; selfSigned: boolean; trial: boolean } | null;
  validAtSigningTime: boolean | null;
  coversWholeDocument: boolean | null;
  /**
   * Bytes the signature cannot cover changed (the signature itself, its zero padding, bytes after the
   * signed range, a byte range leaving more than the signature unsigned): status 签名区被改动.
   */
  signatureAreaChanged: boolean;
  /** One status: 签名有效 | 签名区被改动 | 文件内容被改动 | 签名无效 | 未签名. */
  status: '签名有效' | '签名区被改动' | '文件内容被改动' | '签名无效' | '未签名';
  /** What the check could not vouch for (e.g. a certificate without its issuer's), in Chinese. */
  warnings: string[];
  problem: string | null;
  /**
   * The file is one this system issued (matched by SHA-256). The case number and the file name (which
   * carries the title and document number) are given only to a viewer who may read that case
   * (cases.canRead); anyone else learns only that this system issued it, and when (caseShown false).
   */
  issuedHere: { caseNo: string | null; name: string | null; issuedAt: string; caseShown: boolean } | null;
  summary: string;
}

function reportView(kind: VerifyView['kind'], r: SignatureReport & { coversWholeDocument?: boolean }, issuedHere: VerifyView['issuedHere']): VerifyView {
  const c = r.certificate;
  const summary = !r.signed
    ? '文件未签名。'
    : r.intact
      ? `签名有效：由${r.signerCN ?? '（未知）'}于${r.signingTime ? `${cstDateTime(r.signingTime)}（北京时间）` : '（未知时间）'}签名，文件自签名后未被改动${c?.trial ? '（试用证书，非CA颁发）' : ''}。`
      : r.signatureAreaChanged
        ? `签名无效：${r.problem?.startsWith(SIGNATURE_AREA_CHANGED) ? r.problem : `${SIGNATURE_AREA_CHANGED}：${r.problem ?? '签名数据已被改动。'}`}`
        : `签名无效：${r.problem ?? '文件在签名后被改动，或签名已损坏。'}`;
  return {
    kind,
    signed: r.signed,
    intact: r.intact,
    signer: r.signerCN ?? null,
    signingTime: r.signingTime?.toISOString() ?? null,
    certificate: c ? { subject: c.subject, issuer: c.issuer, serial: c.serialNumber, notBefore: c.notBefore.toISOString(), notAfter: c.notAfter.toISOString(), selfSigned: c.selfSigned, trial: c.trial } : null,
    validAtSigningTime: r.validAtSigningTime ?? null,
    coversWholeDocument: r.coversWholeDocument ?? null,
    signatureAreaChanged: r.signatureAreaChanged,
    status: !r.signed ? '未签名' : r.intact ? '签名有效' : r.signatureAreaChanged ? SIGNATURE_AREA_CHANGED : r.signatureValid && !r.digestMatches ? '文件内容被改动' : '签名无效',
    warnings: r.warnings ?? [],
    problem: r.problem ?? null,
    issuedHere,
    summary,
  };
}

/** Which case issued these bytes, named only to a viewer who may read that case. */
async function issuedHereFor(core: Core, sha: string, viewer: Actor | undefined): Promise<VerifyView['issuedHere']> {
  const hit = await issuedBySha(core.db, sha);
  if (!hit) return null;
  const row = viewer ? await getCase(core.db, hit.case_id) : undefined;
  if (viewer && row && await canRead(core, viewer, row)) return { caseNo: row.case_no, name: hit.name, issuedAt: hit.issued_at, caseShown: true };
  return { caseNo: null, name: null, issuedAt: hit.issued_at, caseShown: false };
}

/**
 * Signs a file a user brings (a PDF gets an embedded signature, anything else a detached .p7s), as
 * that user, and records it in the chain. A document this system rendered is signed only by issuing
 * it through the gate (issueDocument): a draft rendered here, or a document already issued, is refused.
 */
export async function signFile(core: Core, actor: Actor, name: string, bytes: Buffer): Promise<{ kind: 'pdf' | 'p7s'; bytes: Buffer }> {
  requireSigningHere(core);
  const idRow = (await myIdentities(core, actor))[0];
  if (!idRow) throw new AppError('BAD_STATE', '您还没有签名证书：请先运行 lrw identity import 或 lrw identity trial。');
  const isPdf = bytes.subarray(0, 5).toString('latin1') === '%PDF-';
  if (isPdf && bytes.includes(`/${PDF_DRAFT_KEY}`)) {
    throw new AppError('BAD_STATE', '这是本系统生成的文书草稿（未经审批签发），不能单独签名：正式文书须在审批后通过“签发”生成并签名（lrw issue）。');
  }
  if (isPdf && bytes.includes(`/${PDF_HEAD_KEY}`)) {
    throw new AppError('BAD_STATE', '这是本系统已签发的文书，不能再次签名：如需更正，请签发新的版本。');
  }
  const key = await loadSigningKey(idRow.fingerprint, { keysDir: core.keysDir, store: await core.secrets() }, { trial: idRow.trial });
  const out = isPdf
    ? await signPdf(bytes, key.p12, key.passphrase, { name: actor.displayName, reason: '签名', location: (await getAgency(core.db))?.name ?? '' })
    : await signDocx(bytes, key.p12, key.passphrase);
  const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
  await tx(core, () => appendEvent(core, actor, 'file.sign', null, { name, kind: isPdf ? 'pdf' : 'p7s', sha256: sha(bytes), signedSha256: sha(out), certificate: idRow.fingerprint }));
  return { kind: isPdf ? 'pdf' : 'p7s', bytes: out };
}

/**
 * Who signed, when, with which certificate, and whether the bytes changed since. `viewer` is the user
 * asking: the case behind a file this system issued is named only if they may read it (none: not named).
 */
export async function verifyBytes(core: Core | null, file: Buffer, sig?: Buffer, viewer?: Actor): Promise<VerifyView> {
  const sha = createHash('sha256').update(file).digest('hex') as string;
  const issuedHere = core ? await issuedHereFor(core, sha, viewer) : null;
  if (sig) return reportView('detached', verifyDetached(file, sig), issuedHere);
  if (file.subarray(0, 5).toString('latin1') !== '%PDF-') {
    throw new AppError('VALIDATION', '该文件不是 PDF；Word 文件请同时提供其签名文件（.p7s）。');
  }
  return reportView('pdf', verifyPdf(file), issuedHere);
}

export async function verifyUpload(core: Core, input: unknown, viewer?: Actor): Promise<VerifyView> {
  const v = parseInput(VerifyInput, input);
  return await verifyBytes(core, Buffer.from(v.base64, 'base64'), v.sigBase64 ? Buffer.from(v.sigBase64, 'base64') : undefined, viewer);
}
