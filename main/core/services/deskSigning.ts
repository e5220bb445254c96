// Signing stays personal (issue 14, point 5). On the agency server (Core.signingHere false) nobody's
// private key is held or used: a signer's desktop keeps the key in its keychain and
//   1. registers the public certificate chain, proving it holds the key by signing a statement naming
//      the user and the certificate (registerCertificate; only the public certificates are stored);
//   2. asks the server to prepare an issue (prepareIssue): every check of issuing runs here, the final
//      PDF is rendered with its signature dictionary and a zero-filled signature area sized for that
//      certificate, the DOCX too, both kept in the store with the signing time written into the PDF;
//   3. signs exactly those bytes (services/signAtDesk.ts) and sends back only the two CMS signatures;
//   4. the server (completeIssue) checks every rule of issuing again, writes the signature into the
//      PDF it kept, and accepts it only if both signatures verify over its own bytes, were made with the
//      certificate registered to that user and carry the signing time it set; then it stores and logs
//      the three files as issuing on a desktop does (services/issue.ts recordIssue).
import { randomBytes, X509Certificate, createHash } from 'node:crypto';
import { AppError } from '../domain/errors';
import { assertCertificateCurrent, certificateInfo } from '../documents/pkcs12';
import { fillSignature, placeholderBytes, preparePdfSignature } from '../documents/sign';
import { verifyDetached, verifyPdf } from '../documents/verify';
import {
  activeIdentitiesOf, certificateChainOf, dropIssueRequests, identityOfCertificate, insertCertificateChain, insertIdentity, issueRequestById, insertIssueRequest,
  takeIssueRequest,
} from '../db/repos/identities';
import { CompleteIssueInput, RegisterCertificateInput } from '../../../preload/contract';
import { appendEvent } from './audit';
import { requirePermission } from './auth';
import { type Actor, type Core, nowIso, parseInput, tx } from './core';
import { myIdentities, pdfSignatureTexts, planIssue, recordIssue, renderForIssue, type IdentityView, type IssuedView } from './issue';
import { lastEvent } from '../db/repos/events';

/** How long a prepared document waits for its desktop's signatures. */
export const ISSUE_REQUEST_MINUTES = 15;

/** What a desktop signs to show it holds the key of the certificate it registers for this user. */
export const registrationStatement = (username: string, fingerprint: string): Buffer =>
  Buffer.from(`法制审核工作台 签名证书登记\n用户：${username}\n证书SHA-256：${fingerprint}\n`, 'utf8');

/** What the server hands a desktop to sign. */
export interface IssueRequestView {
  requestId: string;
  /** The whole PDF as it will be issued, its signature area zero-filled (documents/sign.ts signatureSlot). */
  pdfBase64: string;
  /** The DOCX as it will be issued; the desktop signs it with a detached .p7s. */
  docxBase64: string;
  /** Written into the PDF's signature dictionary: both CMS signatures must carry exactly this time. */
  signingTime: string;
  /** The registered certificate the signatures must be made with. */
  fingerprint: string;
  /** 案号-标题-第N版 */
  name: string;
  expiresAt: string;
}

function requireServer(core: Core, what: string): void {
  if (core.signingHere) throw new AppError('BAD_STATE', `单机使用时签名私钥就在本机，${what}无需经过服务器：请直接在“签名证书”中导入或生成证书、在文书页签发。`);
}

const parseCertificate = (der: Buffer): X509Certificate => {
  try {
    return new X509Certificate(der);
  } catch {
    throw new AppError('VALIDATION', '证书无法解析：请提供 DER 编码的 X.509 证书。');
  }
};

/** Registers the public certificate chain of a key held on the actor's desktop as their signing identity. */
export async function registerCertificate(core: Core, actor: Actor, input: unknown): Promise<IdentityView> {
  requirePermission(actor, 'document.issue');
  requireServer(core, '登记证书');
  const i = parseInput(RegisterCertificateInput, input);
  const ders = i.chainBase64.map((b) => Buffer.from(b, 'base64'));
  const certs = ders.map(parseCertificate);
  if (certs[0].publicKey.asymmetricKeyType !== 'rsa') throw new AppError('VALIDATION', '目前只支持 RSA 签名证书。');
  for (let k = 0; k + 1 < certs.length; k++) {
    if (!certs[k].checkIssued(certs[k + 1]) || !certs[k].verify(certs[k + 1].publicKey)) {
      throw new AppError('VALIDATION', '证书链不完整或顺序不符：应从签名人证书开始，依次为其颁发者的证书。');
    }
  }
  const info = certificateInfo(ders[0]);
  assertCertificateCurrent(info, core.now());
  const fp = info.fingerprintSha256;
  const proof = verifyDetached(registrationStatement(actor.username, fp), Buffer.from(i.proofBase64, 'base64'));
  if (!proof.intact || proof.certificate?.fingerprintSha256 !== fp) {
    throw new AppError('SIGNATURE_REJECTED', '无法证明本机持有该证书的私钥，证书未登记。');
  }
  const existing = await identityOfCertificate(core.db, fp);
  if (existing && existing.user_id !== actor.id) throw new AppError('CONFLICT', '该证书已登记在其他用户名下，不能重复登记。');
  if (existing?.retired_at) throw new AppError('BAD_STATE', '该证书已停用，不能再次登记；请使用新的证书。');
  // An identity without its public certificates (it came from a desktop's store with `lrw db copy`) gets them now.
  if (!existing || !(await certificateChainOf(core.db, existing.id))) {
    await tx(core, async () => {
      const at = nowIso(core);
      const id = existing?.id ?? await insertIdentity(core.db, {
        user_id: actor.id,
        p12_sha256: fp,
        subject_cn: info.subject.CN ?? '',
        issuer_cn: info.issuer.text,
        serial: info.serialNumber,
        not_before: info.notBefore.toISOString(),
        not_after: info.notAfter.toISOString(),
        trial: info.trial ? 1 : 0,
        created_at: at,
      });
      await insertCertificateChain(core.db, id, ders, at);
      await appendEvent(core, actor, 'identity.register', null, {
        fingerprint: fp, subject: info.subject.text, issuer: info.issuer.text, serial: info.serialNumber, trial: info.trial,
        chain: ders.map((d) => createHash('sha256').update(d).digest('hex')),
      });
    });
  }
  return (await myIdentities(core, actor)).find((v) => v.fingerprint === fp)!;
}

/** Renders a final document for issuing and keeps it for the actor's desktop to sign. */
export async function prepareIssue(core: Core, actor: Actor, input: unknown): Promise<IssueRequestView> {
  requireServer(core, '签发');
  const plan = await planIssue(core, actor, input);
  const chain = await certificateChainOf(core.db, plan.identity.id);
  if (!chain) throw new AppError('BAD_STATE', '您的签名证书没有在服务器登记公开证书，无法签发：请在工作台的“签名证书”中重新导入或生成证书。');
  // Whole seconds: the PDF's /M and the CMS signingTime attribute say the same instant.
  const signingTime = new Date(Math.floor(core.now().getTime() / 1000) * 1000);
  assertCertificateCurrent(certificateInfo(chain[0]), signingTime);
  const head = await lastEvent(core.db);
  const { pdf, docx } = await renderForIssue(core, actor, plan);
  const prepared = await preparePdfSignature(pdf, { ...pdfSignatureTexts(actor, plan), signingTime, signatureLength: placeholderBytes(chain) });
  const requestId = randomBytes(16).toString('hex');
  const createdAt = nowIso(core);
  const expired = new Date(core.now().getTime() - ISSUE_REQUEST_MINUTES * 60_000).toISOString();
  await tx(core, async () => {
    // One request per signer and document at a time; abandoned ones go.
    await dropIssueRequests(core.db, expired, actor.id, plan.caseId, plan.templateId);
    await insertIssueRequest(core.db, {
      id: requestId, user_id: actor.id, case_id: plan.caseId, template_id: plan.templateId, version_id: plan.final.id,
      identity_id: plan.identity.id, signer_role: plan.model.signature.signer?.role ?? '', head_seq: head?.seq ?? null,
      signing_time: signingTime.toISOString(), pdf: prepared.toString('base64'), docx: docx.toString('base64'), created_at: createdAt,
    });
  });
  return {
    requestId,
    pdfBase64: prepared.toString('base64'),
    docxBase64: docx.toString('base64'),
    signingTime: signingTime.toISOString(),
    fingerprint: plan.identity.p12_sha256,
    name: plan.base,
    expiresAt: new Date(Date.parse(createdAt) + ISSUE_REQUEST_MINUTES * 60_000).toISOString(),
  };
}

const sameSecond = (a: Date | undefined, iso: string) => !!a && Math.floor(a.getTime() / 1000) === Math.floor(Date.parse(iso) / 1000);

/** Takes the desktop's two signatures for a prepared document; issues it if they check out. */
export async function completeIssue(core: Core, actor: Actor, input: unknown): Promise<IssuedView[]> {
  requireServer(core, '签发');
  const i = parseInput(CompleteIssueInput, input);
  const req = await issueRequestById(core.db, i.requestId);
  if (!req || req.user_id !== actor.id) throw new AppError('NOT_FOUND', '没有这份待签名的文书：可能已经签发、已过期，或不是您发起的签发。');
  if (Date.parse(req.created_at) < core.now().getTime() - ISSUE_REQUEST_MINUTES * 60_000) {
    await takeIssueRequest(core.db, req.id);
    throw new AppError('BAD_STATE', `待签名的文书已超过${ISSUE_REQUEST_MINUTES}分钟未签名，已作废：请重新签发。`);
  }
  // Every rule of issuing again: the gate, a final version not yet issued, the signer's certificate
  // (the one the document was prepared for, still current: the desk holds its key).
  const held = (await activeIdentitiesOf(core.db, actor.id)).find((x) => x.id === req.identity_id);
  if (!held) throw new AppError('BAD_STATE', '等待签名期间您的签名证书已停用：请重新签发。');
  const plan = await planIssue(core, actor, { caseId: req.case_id, templateId: req.template_id, fingerprint: held.p12_sha256 });
  if (plan.final.id !== req.version_id) throw new AppError('BAD_STATE', '等待签名期间该文书有了新的定稿版本：请重新签发。');
  if (plan.identity.id !== req.identity_id) throw new AppError('BAD_STATE', '等待签名期间您的签名证书有了变更：请重新签发。');
  const fp = plan.identity.p12_sha256;
  const reject = (why: string): never => {
    throw new AppError('SIGNATURE_REJECTED', `签名未被接受，文书未签发：${why}`);
  };
  let pdf: Buffer;
  try {
    pdf = fillSignature(Buffer.from(req.pdf, 'base64'), Buffer.from(i.pdfSignatureBase64, 'base64'));
  } catch (err) {
    return reject(err instanceof AppError ? err.message : 'PDF 签名数据无法写入。');
  }
  const p = verifyPdf(pdf);
  if (!p.intact || !p.coversWholeDocument || p.signatures.length !== 1) reject(`PDF 签名无效（${p.problem ?? '签名与文书不符'}）。`);
  if (p.certificate?.fingerprintSha256 !== fp) reject('PDF 不是用您在服务器登记的签名证书签的名。');
  if (!sameSecond(p.signingTime, req.signing_time)) reject('PDF 签名的时间与服务器确定的签名时间不符。');
  const docx = Buffer.from(req.docx, 'base64');
  const p7s = Buffer.from(i.p7sBase64, 'base64');
  const d = verifyDetached(docx, p7s);
  if (!d.intact) reject(`Word 文件的签名无效（${d.problem ?? '签名与文件不符'}）。`);
  if (d.certificate?.fingerprintSha256 !== fp) reject('Word 文件不是用您在服务器登记的签名证书签的名。');
  if (!sameSecond(d.signingTime, req.signing_time)) reject('Word 文件签名的时间与服务器确定的签名时间不符。');
  return await recordIssue(core, actor, plan, { pdf, docx, p7s }, { signedOnDesk: true }, async () => {
    // Taken inside the issuing transaction: of two completions of one request, one issues.
    if (await takeIssueRequest(core.db, req.id) === 0) throw new AppError('CONFLICT', '这份文书已经签发。');
  });
}
