// Signed documents, checked by the tools a recipient would trust — poppler's pdfsig for PDF, openssl cms for
// the DOCX's detached .p7s — and by our own verify.ts; then one flipped byte must fail all of them.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import forge from 'node-forge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderDocx } from '../../../main/core/documents/docx';
import { findCjkFonts } from '../../../main/core/documents/fonts';
import { createTrialIdentity, importP12Identity, loadSigningKey, type LoadedSigningKey } from '../../../main/core/documents/identity';
import { renderPdf } from '../../../main/core/documents/pdf';
import { openP12, openP12Cached } from '../../../main/core/documents/pkcs12';
import { AppError } from '../../../main/core/domain/errors';
import { signDocx, signPdf } from '../../../main/core/documents/sign';
import { verifyDetached, verifyPdf } from '../../../main/core/documents/verify';
import { MemorySecretStore } from '../../../main/core/secrets/index';
import { signedReviewOpinion } from '../../unit/documents/sample-model';
import { ARTIFACTS, flipByteInStream, issueP12, ok, run, sealPngBase64 } from './tools';

let dir: string;
let trial: LoadedSigningKey;
let trialCertPem: string;
let pdf: Buffer;
let docx: Buffer;
const store = new MemorySecretStore();

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lrw-sign-'));
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const keysDir = path.join(dir, 'keys');
  const id = await createTrialIdentity({ signerName: '张三', agency: '某市市场监督管理局', keysDir, store });
  trial = await loadSigningKey(id.id, { keysDir, store });
  trialCertPem = forge.pki.certificateToPem(openP12(trial.p12, trial.passphrase).cert);
  fs.writeFileSync(path.join(dir, 'trial.pem'), trialCertPem);
  const model = signedReviewOpinion(undefined, sealPngBase64());
  pdf = await renderPdf(model, findCjkFonts(), { final: true });
  docx = await renderDocx(model, { final: true });
});

afterAll(async () => fs.rmSync(dir, { recursive: true, force: true }));

const write = (name: string, bytes: Buffer) => {
  const p = path.join(dir, name);
  fs.writeFileSync(p, bytes);
  return p;
};

async function pdfsig(file: string): Promise<string> {
  const r = await run('pdfsig', ['-nocert', file]);
  return r.stdout + r.stderr;
}

describe('trial identity file', () => {
  it('is a PKCS#12 that openssl opens with the passphrase from the keychain', async () => {
    const p12 = write('trial.p12', trial.p12);
    const out = await ok('openssl', ['pkcs12', '-in', p12, '-passin', `pass:${trial.passphrase}`, '-nokeys', '-info']);
    // openssl escapes the UTF-8 bytes of 张三 and 试用 in this listing.
    expect(out).toContain('CN = \\E5\\BC\\A0\\E4\\B8\\89');
    expect(out).toContain('OU = \\E8\\AF\\95\\E7\\94\\A8');
    expect(out).toContain('-----BEGIN CERTIFICATE-----');
    const wrong = await run('openssl', ['pkcs12', '-in', p12, '-passin', 'pass:wrong', '-nokeys']);
    expect(wrong.code).not.toBe(0);
    const text = await ok('openssl', ['x509', '-in', path.join(dir, 'trial.pem'), '-noout', '-text', '-nameopt', 'utf8']);
    expect(text).toContain('sha256WithRSAEncryption');
    expect(text).toContain('Public-Key: (2048 bit)');
    expect(text).toMatch(/OU ?= ?试用/);
  });
});

describe('opened identities kept for a while', () => {
  it('the same file and passphrase open once for 10 minutes; a wrong passphrase is refused every time and never kept', () => {
    const t0 = Date.now();
    const a = openP12Cached(trial.p12, trial.passphrase, t0);
    expect(openP12Cached(Buffer.from(trial.p12), trial.passphrase, t0 + 9 * 60_000)).toBe(a);
    // Used at 9 minutes: kept until 19.
    expect(openP12Cached(trial.p12, trial.passphrase, t0 + 18 * 60_000)).toBe(a);
    expect(openP12Cached(trial.p12, trial.passphrase, t0 + 29 * 60_000)).not.toBe(a);
    for (let i = 0; i < 2; i++) expect(() => openP12Cached(trial.p12, 'wrong-passphrase', t0)).toThrow(AppError);
  });
});

describe('PDF signature', () => {
  let signed: Buffer;
  let file: string;
  const signingTime = new Date(Math.floor(Date.now() / 1000) * 1000); // CMS times have whole seconds

  beforeAll(async () => {
    signed = await signPdf(pdf, trial.p12, trial.passphrase, { name: '张三', reason: '法制审核意见', location: '某市市场监督管理局', signingTime });
    file = write('signed.pdf', signed);
    fs.writeFileSync(path.join(ARTIFACTS, 'review-opinion-signed.pdf'), signed);
  });

  it('is valid for poppler pdfsig and covers the whole document', async () => {
    const out = await pdfsig(file);
    expect(out).toContain('Signer Certificate Common Name: 张三');
    expect(out).toContain('Signing Hash Algorithm: SHA-256');
    expect(out).toContain('Signature Type: adbe.pkcs7.detached');
    expect(out).toContain('Total document signed');
    expect(out).toContain('Signature Validation: Signature is Valid.');
  });

  it('is verified by verify.ts with signer, time, certificate and the Chinese signature fields', async () => {
    const v = verifyPdf(signed);
    expect(v.signed).toBe(true);
    expect(v.intact).toBe(true);
    expect(v.problem).toBeUndefined();
    expect(v.signerCN).toBe('张三');
    expect(v.signingTime?.getTime()).toBe(signingTime.getTime());
    expect(v.coversWholeDocument).toBe(true);
    expect(v.validAtSigningTime).toBe(true);
    expect(v.certificate).toMatchObject({ issuerCN: '张三', selfSigned: true, trial: true, serialNumber: trial.identity.serialNumber });
    expect(v.certificate!.subject).toContain('O=某市市场监督管理局');
    expect(v.signatures).toHaveLength(1);
    expect(v.signatures[0]).toMatchObject({ name: '张三', reason: '法制审核意见', location: '某市市场监督管理局' });
  });

  it('still renders the same pages (the signature is an incremental update)', async () => {
    const before = await ok('pdftotext', [write('unsigned.pdf', pdf), '-']);
    expect(await ok('pdftotext', [file, '-'])).toBe(before);
  });

  it('fails for pdfsig and verify.ts after one byte of page content is flipped', async () => {
    const { flipped } = flipByteInStream(signed, 1000);
    const bad = write('flipped.pdf', flipped);
    const out = await pdfsig(bad);
    expect(out).not.toContain('Signature is Valid');
    expect(out).toMatch(/Digest Mismatch|Signature is Invalid/);
    const v = verifyPdf(flipped);
    expect(v.signed).toBe(true);
    expect(v.intact).toBe(false);
    expect(v.digestMatches).toBe(false);
    expect(v.problem).toContain('签名后文件已被修改');
  });

  it('fails for verify.ts when the signature value itself is altered, or content is appended', async () => {
    const v0 = verifyPdf(signed);
    const [, b] = v0.signatures[0].byteRange;
    const tampered = Buffer.from(signed);
    // A hex digit near the end of the CMS: inside the RSA signature value (the DER length is 3082xxxx).
    const derLength = 4 + parseInt(signed.toString('latin1', b + 1 + 4, b + 1 + 8), 16);
    const at = b + 1 + 2 * (derLength - 10);
    tampered[at] = tampered[at] === 0x30 ? 0x31 : 0x30;
    expect(verifyPdf(tampered).intact).toBe(false);
    const appended = Buffer.concat([signed, Buffer.from('\n% appended after signing\n')]);
    const v = verifyPdf(appended);
    expect(v.signatures[0].intact).toBe(true);
    expect(v.coversWholeDocument).toBe(false);
    expect(v.intact).toBe(false);
  });

  it('reports an unsigned PDF as unsigned', async () => {
    expect(verifyPdf(pdf)).toMatchObject({ signed: false, intact: false, signatures: [] });
  });
});

describe('DOCX detached signature (.p7s)', () => {
  let p7s: Buffer;
  let docxFile: string;
  let p7sFile: string;

  beforeAll(async () => {
    p7s = await signDocx(docx, trial.p12, trial.passphrase);
    docxFile = write('opinion.docx', docx);
    p7sFile = write('opinion.docx.p7s', p7s);
    fs.writeFileSync(path.join(ARTIFACTS, 'review-opinion.docx.p7s'), p7s);
  });

  it('is accepted by openssl cms -verify, with and without the certificate as trust anchor', async () => {
    const noverify = await run('openssl', ['cms', '-verify', '-binary', '-inform', 'DER', '-in', p7sFile, '-content', docxFile, '-noverify', '-out', '/dev/null']);
    expect(noverify.stderr).toContain('Verification successful');
    expect(noverify.code).toBe(0);
    const anchored = await run('openssl', ['cms', '-verify', '-binary', '-inform', 'DER', '-in', p7sFile, '-content', docxFile, '-CAfile', path.join(dir, 'trial.pem'), '-out', '/dev/null']);
    expect(anchored.stderr).toContain('Verification successful');
    expect(anchored.code).toBe(0);
  });

  it('carries a signingTime attribute and the signer certificate', async () => {
    const out = await ok('openssl', ['cms', '-cmsout', '-print', '-inform', 'DER', '-in', p7sFile]);
    expect(out).toContain('signingTime');
    expect(out).toContain('messageDigest');
    expect(out).toMatch(/d\.sha256|sha256/);
    const v = verifyDetached(docx, p7s);
    expect(v).toMatchObject({ signed: true, intact: true, signerCN: '张三', digestMatches: true, signatureValid: true });
    expect(Math.abs(v.signingTime!.getTime() - Date.now())).toBeLessThan(10 * 60_000);
  });

  it('fails for openssl and verify.ts when one byte of the DOCX changes', async () => {
    const flipped = Buffer.from(docx);
    flipped[Math.floor(flipped.length / 2)] ^= 0x01;
    const bad = write('flipped.docx', flipped);
    const r = await run('openssl', ['cms', '-verify', '-binary', '-inform', 'DER', '-in', p7sFile, '-content', bad, '-noverify', '-out', '/dev/null']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/digest failure|Verification failure/i);
    const v = verifyDetached(flipped, p7s);
    expect(v.intact).toBe(false);
    expect(v.digestMatches).toBe(false);
    expect(v.signatureValid).toBe(true); // the signature over the attributes is fine; the content is not
  });

  it('fails when the .p7s itself is altered', async () => {
    const bad = Buffer.from(p7s);
    bad[bad.length - 10] ^= 0x01; // inside the signature value
    expect(verifyDetached(docx, bad).intact).toBe(false);
    expect(verifyDetached(docx, Buffer.from('not a signature')).intact).toBe(false);
  });
});

describe('a certificate issued by the agency CA', () => {
  it.each([
    ['OpenSSL 3 default (AES-256, SHA-256 MAC)', false, 'Agency#2026'],
    ['legacy (3DES, SHA-1 MAC)', true, 'Agency#2026'],
    ['Chinese passphrase', false, '法制科密码2026'],
  ])('imports a .p12 in %s, signs, and verifies against the CA', async (_label, legacy, passphrase) => {
    const caDir = path.join(dir, `ca-${legacy ? 'legacy' : 'modern'}-${Buffer.from(passphrase).toString('hex').slice(0, 8)}`);
    const issued = await issueP12(caDir, { passphrase, legacy });
    const keysDir = path.join(dir, 'agency-keys');
    const id = await importP12Identity({ p12: issued.p12, passphrase, keysDir, store });
    expect(id).toMatchObject({ subjectCN: '李四', organization: '某市司法局', selfSigned: false, trial: false });
    expect(id.issuer).toContain('CN=某某数字证书认证中心');
    const key = await loadSigningKey(id.id, { keysDir, store });
    expect(key.passphrase).toBe(passphrase);

    const p7s = await signDocx(docx, key.p12, key.passphrase);
    const docxFile = write(`ca-${id.id.slice(0, 8)}.docx`, docx);
    const p7sFile = write(`ca-${id.id.slice(0, 8)}.docx.p7s`, p7s);
    const caFile = path.join(caDir, 'ca.pem');
    // Full chain verification against the CA (issuerAndSerialNumber must match the Chinese CA name).
    const r = await run('openssl', ['cms', '-verify', '-binary', '-inform', 'DER', '-in', p7sFile, '-content', docxFile, '-CAfile', caFile, '-out', '/dev/null']);
    expect(r.stderr).toContain('Verification successful');
    const v = verifyDetached(docx, p7s);
    expect(v).toMatchObject({ intact: true, signerCN: '李四' });
    expect(v.certificate?.issuerCN).toBe('某某数字证书认证中心');

    const signed = await signPdf(pdf, key.p12, key.passphrase, { name: '李四', reason: '法制审核', location: '某市' });
    const out = await pdfsig(write(`ca-${id.id.slice(0, 8)}.pdf`, signed));
    expect(out).toContain('Signature Validation: Signature is Valid.');
    expect(out).toContain('Signer Certificate Common Name: 李四');
    expect(verifyPdf(signed)).toMatchObject({ intact: true, signerCN: '李四' });
  }, 60_000);

  it('refuses a wrong passphrase and an expired certificate', async () => {
    const issued = await issueP12(path.join(dir, 'ca-expiring'), { passphrase: 'right-one', days: 1 });
    const keysDir = path.join(dir, 'refused-keys');
    await expect(importP12Identity({ p12: issued.p12, passphrase: 'wrong-one', keysDir, store })).rejects.toMatchObject({ code: 'VALIDATION', message: expect.stringContaining('口令错误') });
    const later = new Date(Date.now() + 3 * 86_400_000);
    await expect(importP12Identity({ p12: issued.p12, passphrase: 'right-one', keysDir, store, now: later })).rejects.toMatchObject({ code: 'VALIDATION', message: expect.stringContaining('过期') });
    await expect(signDocx(docx, issued.p12, 'right-one', { signingTime: later })).rejects.toMatchObject({ code: 'VALIDATION', message: expect.stringContaining('过期') });
    expect(fs.existsSync(keysDir) ? fs.readdirSync(keysDir) : []).toEqual([]);
  }, 60_000);
});
