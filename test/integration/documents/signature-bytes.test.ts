// Signatures checked to the byte (issue 11, point 6): a signed PDF has one region its signature cannot
// cover — the /Contents hex string that holds the signature itself, zero-padded to its reserved size —
// and a .p7s is itself unsigned. A change there (a padding digit, a certificate's name, an unused field
// of the CMS, bytes appended after the signed range) must be reported as 签名区被改动, exactly like a
// change to the signed bytes is reported as a modification. Every flipped position must be reported.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { plainAddPlaceholder } from '@signpdf/placeholder-plain';
import forge from 'node-forge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderPdf } from '../../../main/core/documents/pdf';
import { findCjkFonts } from '../../../main/core/documents/fonts';
import { createTrialIdentity, importP12Identity, loadSigningKey, type LoadedSigningKey } from '../../../main/core/documents/identity';
import { checkDetachedCms, createDetachedCms } from '../../../main/core/documents/cms';
import { openP12 } from '../../../main/core/documents/pkcs12';
import { signDocx, signPdf } from '../../../main/core/documents/sign';
import { verifyDetached, verifyPdf } from '../../../main/core/documents/verify';
import { verifyBytes } from '../../../main/core/services/issue';
import { MemorySecretStore } from '../../../main/core/secrets/index';
import { signedReviewOpinion } from '../../unit/documents/sample-model';
import { issueP12, sealPngBase64 } from './tools';

const AREA = '签名区被改动';
let dir: string;
let trial: LoadedSigningKey;
let agency: LoadedSigningKey;
let pdf: Buffer;
let signed: Buffer;
let signedByCa: Buffer;
const store = new MemorySecretStore();

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lrw-sigbytes-'));
  const keysDir = path.join(dir, 'keys');
  const id = await createTrialIdentity({ signerName: '张三', agency: '某市市场监督管理局', keysDir, store });
  trial = await loadSigningKey(id.id, { keysDir, store });
  const issued = await issueP12(path.join(dir, 'ca'), { passphrase: 'Agency#2026' });
  const ca = await importP12Identity({ p12: issued.p12, passphrase: 'Agency#2026', keysDir, store });
  agency = await loadSigningKey(ca.id, { keysDir, store });
  pdf = await renderPdf(signedReviewOpinion(undefined, sealPngBase64()), findCjkFonts(), { final: true });
  signed = await signPdf(pdf, trial.p12, trial.passphrase, { name: '张三', reason: '法制审核意见', location: '某市' });
  signedByCa = await signPdf(pdf, agency.p12, agency.passphrase, { name: '李四', reason: '法制审核意见', location: '某市' });
}, 120_000);

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Where the /Contents hex string lies and where the DER inside it ends. */
function contentsOf(bytes: Buffer): { open: number; close: number; derEnd: number } {
  const v = verifyPdf(bytes);
  const [, b, c] = v.signatures[v.signatures.length - 1].byteRange;
  const hex = bytes.toString('latin1', b + 1, c - 1);
  // DER SEQUENCE 30 82 LL LL (our CMS is always longer than 255 bytes and shorter than 64 KiB).
  expect(hex.slice(0, 4).toLowerCase()).toBe('3082');
  const der = 4 + parseInt(hex.slice(4, 8), 16);
  return { open: b, close: c - 1, derEnd: b + 1 + 2 * der };
}

const flip = (bytes: Buffer, at: number, mask = 0x01): Buffer => {
  const out = Buffer.from(bytes);
  out[at] ^= mask;
  return out;
};

describe('PDF: the signature area', () => {
  it('the untouched files verify (trial and CA certificate)', () => {
    for (const f of [signed, signedByCa]) {
      const v = verifyPdf(f);
      expect(v).toMatchObject({ signed: true, intact: true, signatureAreaChanged: false });
      expect(v.problem).toBeUndefined();
    }
  });

  it('a flipped digit in the zero padding after the CMS is reported (the bypass)', () => {
    const { derEnd, close } = contentsOf(signed);
    expect(close - derEnd).toBeGreaterThan(100); // there is padding to tamper with
    for (const at of [derEnd, derEnd + 1, Math.floor((derEnd + close) / 2), close - 1]) {
      for (const mask of [0x01, 0x10, 0x08]) {
        const v = verifyPdf(flip(signed, at, mask));
        expect(v.intact, `padding byte ${at} ^ ${mask}`).toBe(false);
        expect(v.signatureAreaChanged).toBe(true);
        expect(v.problem).toContain(AREA);
      }
    }
  });

  it('the verification view of 签名校验 and lrw verify names it 签名区被改动', async () => {
    const { derEnd } = contentsOf(signed);
    const view = await verifyBytes(null, flip(signed, derEnd + 7));
    expect(view).toMatchObject({ signed: true, intact: false, signatureAreaChanged: true, status: AREA });
    expect(view.summary).toContain(AREA);
    expect((await verifyBytes(null, signed)).status).toBe('签名有效');
  });

  it('every one of 30 positions spread over the file, and 30 over the signature, is reported', () => {
    for (const file of [signed, signedByCa]) {
      const { open, close } = contentsOf(file);
      const spread = Array.from({ length: 30 }, (_, i) => Math.floor((i * (file.length - 1)) / 29));
      const inSignature = Array.from({ length: 30 }, (_, i) => open + Math.floor((i * (close - open)) / 29));
      const missed: number[] = [];
      for (const at of [...spread, ...inSignature]) {
        const v = verifyPdf(flip(file, at));
        if (v.intact || !v.problem) missed.push(at);
        // Inside the hex string (and its delimiters) it is the signature area; elsewhere the signed bytes.
        if (at >= open && at <= close && !v.signatureAreaChanged) missed.push(at);
      }
      expect(missed).toEqual([]);
    }
  });

  it('every hex digit of the CMS inside /Contents, flipped, is reported as 签名区被改动', () => {
    const { open, derEnd } = contentsOf(signed);
    const missed: number[] = [];
    for (let at = open + 1; at < derEnd; at++) {
      const v = verifyPdf(flip(signed, at));
      if (v.intact || !v.signatureAreaChanged || !v.problem?.includes(AREA)) missed.push(at);
    }
    expect(missed).toEqual([]);
  }, 300_000);

  it('a change of case in one hex digit (the same bytes, other characters) is reported', () => {
    const { open, derEnd } = contentsOf(signed);
    const hex = signed.toString('latin1', open + 1, derEnd);
    const letter = open + 1 + hex.search(/[a-fA-F]/);
    const v = verifyPdf(flip(signed, letter, 0x20));
    expect(v).toMatchObject({ intact: false, signatureAreaChanged: true });
  });

  it('bytes appended after the signed range are reported', () => {
    const v = verifyPdf(Buffer.concat([signed, Buffer.from('\n% appended\n')]));
    expect(v).toMatchObject({ intact: false, signatureAreaChanged: true, coversWholeDocument: false });
    expect(v.problem).toContain(AREA);
  });

  it('a byte range leaving more than the /Contents hex unsigned is reported, though the signature holds', () => {
    // A signer that leaves the rest of the signature dictionary (/Reason, /M …) out of the signed bytes.
    const prepared = plainAddPlaceholder({ pdfBuffer: pdf, name: 'x', reason: 'reason-here', location: 'L', contactInfo: 'C', signingTime: new Date(), signatureLength: 8192 });
    const text = prepared.toString('latin1');
    const placeholder = /\/ByteRange \[0 \/\*{10} \/\*{10} \/\*{10}\]/.exec(text)!;
    const open = text.indexOf('/Contents <', placeholder.index) + '/Contents '.length;
    const hexClose = text.indexOf('>', open);
    const dictClose = text.indexOf('>>', hexClose + 1) + 1; // the first '>' of the dictionary's '>>'
    const b = open;
    const c = dictClose + 1;
    const d = prepared.length - c;
    const ranges = `/ByteRange [0 ${b} ${c} ${d}]`.padEnd(placeholder[0].length, ' ');
    const withRange = Buffer.from(prepared);
    withRange.write(ranges, placeholder.index, 'latin1');
    const content = Buffer.concat([withRange.subarray(0, b), withRange.subarray(c)]);
    const cms = createDetachedCms(content, openP12(trial.p12, trial.passphrase), new Date()).toString('hex');
    const sig = Buffer.from(withRange);
    sig.write(cms, open + 1, 'latin1');
    // The signature itself holds over the bytes this byte range names…
    const check = checkDetachedCms(Buffer.from(cms, 'hex'), (alg) => crypto.createHash(alg).update(content).digest());
    expect(check).toMatchObject({ digestMatches: true, signatureValid: true });
    // …but the dictionary's /Reason and the rest after /Contents are not under it.
    const v = verifyPdf(sig);
    expect(v).toMatchObject({ intact: false, signatureAreaChanged: true });
    expect(v.problem).toContain(AREA);
  });
});

describe('DOCX: the detached .p7s', () => {
  let docx: Buffer;
  let p7s: Buffer;
  let p7sCa: Buffer;
  beforeAll(async () => {
    docx = Buffer.from(`PK fake docx bytes ${'正文'.repeat(500)}`);
    p7s = await signDocx(docx, trial.p12, trial.passphrase);
    p7sCa = await signDocx(docx, agency.p12, agency.passphrase);
  });

  it('the untouched signatures verify', () => {
    expect(verifyDetached(docx, p7s)).toMatchObject({ intact: true, signatureAreaChanged: false });
    expect(verifyDetached(docx, p7sCa)).toMatchObject({ intact: true, signatureAreaChanged: false });
  });

  it('bytes appended to the .p7s are reported', () => {
    for (const tail of [Buffer.alloc(1), Buffer.alloc(64), Buffer.from('x')]) {
      expect(verifyDetached(docx, Buffer.concat([p7s, tail]))).toMatchObject({ intact: false, signatureAreaChanged: true });
    }
  });

  it('every byte of the .p7s flipped is reported, and 30 positions of the DOCX', () => {
    for (const sig of [p7s, p7sCa]) {
      const missed: number[] = [];
      for (let at = 0; at < sig.length; at++) {
        if (verifyDetached(docx, flip(sig, at)).intact) missed.push(at);
      }
      expect(missed).toEqual([]);
    }
    for (let i = 0; i < 30; i++) {
      const at = Math.floor((i * (docx.length - 1)) / 29);
      expect(verifyDetached(flip(docx, at), p7s).intact).toBe(false);
    }
  }, 120_000);
});

describe('signatures made elsewhere (no ESS signing-certificate attribute)', () => {
  /** A plain node-forge CMS as other signers make it: certificates not listed under the signature. */
  function plainCms(content: Buffer, key: LoadedSigningKey, withChain: boolean): Buffer {
    const id = openP12(key.p12, key.passphrase);
    const p7 = forge.pkcs7.createSignedData();
    p7.content = forge.util.createBuffer(content.toString('binary'));
    for (const c of withChain ? id.chain : [id.cert]) p7.addCertificate(c);
    p7.addSigner({
      key: id.key,
      certificate: id.cert,
      digestAlgorithm: forge.pki.oids.sha256,
      authenticatedAttributes: [
        { type: forge.pki.oids.contentType, value: forge.pki.oids.data },
        { type: forge.pki.oids.signingTime, value: new Date() as unknown as string },
        { type: forge.pki.oids.messageDigest },
      ],
    });
    p7.sign({ detached: true });
    // The certificate's own issuer bytes, as createDetachedCms does (node-forge re-encodes Chinese names).
    const tbs = (id.cert as unknown as { tbsCertificate: forge.asn1.Asn1 }).tbsCertificate;
    const parts = tbs.value as forge.asn1.Asn1[];
    const issuer = parts[parts[0].tagClass === forge.asn1.Class.CONTEXT_SPECIFIC ? 3 : 2];
    const si = (p7 as unknown as { signerInfos: forge.asn1.Asn1[] }).signerInfos[0].value as forge.asn1.Asn1[];
    const md = forge.md.sha256.create();
    (si[1].value as forge.asn1.Asn1[])[0] = issuer;
    const attrs = Buffer.from(forge.asn1.toDer(si[3]).getBytes(), 'binary');
    attrs[0] = 0x31;
    md.update(attrs.toString('binary'));
    si[5].value = id.key.sign(md);
    return Buffer.from(forge.asn1.toDer(p7.toAsn1()).getBytes(), 'binary');
  }
  const content = Buffer.from('外部签名的文件内容');

  it('with the CA certificate included: no flipped byte passes unremarked', () => {
    const cms = plainCms(content, agency, true);
    expect(verifyDetached(content, cms)).toMatchObject({ intact: true, signatureAreaChanged: false, warnings: [] });
    const missed: number[] = [];
    const warnedOnly: number[] = [];
    for (let at = 0; at < cms.length; at++) {
      const v = verifyDetached(content, flip(cms, at));
      if (v.intact && v.warnings.length === 0) missed.push(at);
      if (v.intact && v.warnings.length) warnedOnly.push(at);
    }
    expect(missed).toEqual([]);
    // Only a change to the root's own linkage (its issuer name, its key identifiers) makes it look like an
    // intermediate whose issuer is not included: then verification says that certificate could not be
    // checked byte for byte (README: what it cannot). Everything else fails outright.
    const ca = openP12(agency.p12, agency.passphrase).chain.find((c) => c.subject.hash === c.issuer.hash)!;
    const caDer = Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(ca)).getBytes(), 'binary');
    const from = cms.indexOf(caDer);
    expect(from).toBeGreaterThan(0);
    expect(warnedOnly.filter((at) => at < from || at >= from + caDer.length)).toEqual([]);
    expect(warnedOnly.length).toBeLessThan(caDer.length / 4);
  }, 120_000);

  it('without its issuer’s certificate: it verifies, and says the certificate could not be checked byte for byte', () => {
    const v = verifyDetached(content, plainCms(content, agency, false));
    expect(v).toMatchObject({ intact: true, signatureAreaChanged: false });
    expect(v.warnings.join()).toContain('未附颁发者证书');
  });
});

