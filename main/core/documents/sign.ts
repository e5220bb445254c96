// Digital signatures on issued documents.
//   PDF: an embedded CMS signature (adbe.pkcs7.detached) over the whole file but the signature itself —
//        @signpdf's plainAddPlaceholder adds the signature field, SignPdf fills in the signature; Adobe
//        Reader, Foxit and poppler's pdfsig verify it.
//   DOCX: a detached CMS file (.p7s, DER) over the exact bytes of the .docx, which `openssl cms -verify`
//        and verify.ts check.
// The CMS is built with node-forge by createDetachedCms (SHA-256, RSA; contentType, signingTime and
// messageDigest signed attributes — the same structure as @signpdf/signer-p12's P12Signer), from a key
// opened by openP12, which also accepts passphrases with Chinese characters that P12Signer cannot.
import crypto from 'node:crypto';
import { plainAddPlaceholder } from '@signpdf/placeholder-plain';
import { SignPdf, Signer } from '@signpdf/signpdf';
import { AppError } from '../domain/errors';
import { createDetachedCms } from './cms';
import { assertCertificateCurrent, certificateInfo, certToDer, openP12Cached, type OpenedP12 } from './pkcs12';

export interface PdfSignatureOptions {
  /** Signer's name as shown by PDF readers (/Name). */
  name: string;
  /** e.g. 法制审核意见 */
  reason: string;
  /** e.g. the agency's city or the agency itself */
  location: string;
  contactInfo?: string;
  /** Defaults to now. */
  signingTime?: Date;
}

/**
 * Room for the CMS in the PDF: the certificates, the signature and the attributes, with a margin. From
 * the public certificates alone, so the agency server can prepare a PDF its signer's desktop signs.
 */
export function placeholderBytes(chainDers: readonly Buffer[]): number {
  const certs = chainDers.reduce((n, der) => n + der.length, 0);
  const bits = new crypto.X509Certificate(chainDers[0]).publicKey.asymmetricKeyDetails?.modulusLength ?? 4096;
  return Math.max(8192, certs + Math.ceil(bits / 8) + 4096);
}

/** Opens the identity and refuses a certificate that is not valid at the signing time. */
function openForSigning(p12: Buffer, passphrase: string, at: Date): OpenedP12 {
  const id = openP12Cached(p12, passphrase);
  assertCertificateCurrent(certificateInfo(certToDer(id.cert)), at);
  return id;
}

/** A @signpdf Signer that signs nothing: SignPdf then only fixes the /ByteRange and zero-fills /Contents. */
class NoSigner extends Signer {
  override async sign(): Promise<Buffer> {
    return Buffer.alloc(0);
  }
}

/**
 * A PDF ready for its signature: the signature dictionary added (name, reason, location, signing time),
 * the /ByteRange set and /Contents all zeros, `signatureLength` bytes of room. Everything but /Contents
 * is final: the signature is computed over signedContent(prepared) and written in by fillSignature.
 */
export async function preparePdfSignature(pdf: Buffer, options: PdfSignatureOptions & { signingTime: Date; signatureLength: number }): Promise<Buffer> {
  const texts = new PdfTextFields({ N: options.name, R: options.reason, L: options.location, C: options.contactInfo ?? '' });
  let prepared: Buffer;
  try {
    prepared = plainAddPlaceholder({
      pdfBuffer: pdf,
      name: texts.placeholder('N'),
      reason: texts.placeholder('R'),
      location: texts.placeholder('L'),
      contactInfo: texts.placeholder('C'),
      signingTime: options.signingTime,
      signatureLength: options.signatureLength,
    });
  } catch (err) {
    throw new AppError('VALIDATION', '该 PDF 文件结构无法添加签名（可能已损坏或使用了不支持的压缩结构）。', { cause: (err as Error).message });
  }
  return new SignPdf().sign(texts.fill(prepared, pdf.length), new NoSigner(), options.signingTime);
}

const LAST_BYTE_RANGE = /\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/g;

/**
 * Where a prepared PDF's signature goes: its last /ByteRange must cover the whole file but one hex string
 * of zeros (so whoever signs signs exactly the file that will be issued). AppError otherwise.
 */
export function signatureSlot(prepared: Buffer): { start: number; end: number } {
  const all = [...prepared.toString('latin1').matchAll(LAST_BYTE_RANGE)];
  const m = all[all.length - 1];
  const bad = () => new AppError('VALIDATION', '待签名的 PDF 文件不完整：签名区位置不符。');
  if (!m) throw bad();
  const [a, b, c, d] = m.slice(1, 5).map(Number);
  if (a !== 0 || c + d !== prepared.length || b < 1 || c <= b + 2 || prepared[b] !== 0x3c || prepared[c - 1] !== 0x3e) throw bad();
  for (let i = b + 1; i < c - 1; i++) if (prepared[i] !== 0x30) throw bad();
  return { start: b, end: c };
}

/** The bytes the signature of a prepared PDF covers: all of it but the /Contents hex string. */
export function signedContent(prepared: Buffer): Buffer {
  const { start, end } = signatureSlot(prepared);
  return Buffer.concat([prepared.subarray(0, start), prepared.subarray(end)]);
}

/** Writes a CMS signature into a prepared PDF's /Contents (nothing else changes). */
export function fillSignature(prepared: Buffer, cms: Buffer): Buffer {
  const { start, end } = signatureSlot(prepared);
  const hex = Buffer.from(cms.toString('hex'), 'latin1');
  if (hex.length > end - start - 2) throw new AppError('VALIDATION', '签名数据超出了文书预留的签名区。');
  const out = Buffer.from(prepared);
  hex.copy(out, start + 1);
  return out;
}

/** Signs a PDF with an embedded signature; returns the signed PDF. */
export async function signPdf(pdf: Buffer, p12: Buffer, passphrase: string, options: PdfSignatureOptions): Promise<Buffer> {
  const signingTime = options.signingTime ?? new Date();
  const id = openForSigning(p12, passphrase, signingTime);
  const prepared = await preparePdfSignature(pdf, { ...options, signingTime, signatureLength: placeholderBytes(id.chain.map(certToDer)) });
  return fillSignature(prepared, createDetachedCms(signedContent(prepared), id, signingTime));
}

/**
 * Chinese text in the signature dictionary (/Name, /Reason, /Location, /ContactInfo). plainAddPlaceholder
 * writes a non-ASCII string as UTF-16 but then UTF-8-encodes those bytes, so readers show garbage. So it
 * gets an ASCII stand-in of exactly the length of the correct hex string <FEFF…>, which then replaces it
 * in place: no byte offset (xref) moves, and this happens before the signature is computed.
 */
class PdfTextFields {
  constructor(private readonly values: Record<string, string>) {}

  private hex(key: string): string {
    const utf16 = Buffer.from(this.values[key], 'utf16le').swap16();
    return `<FEFF${utf16.toString('hex').toUpperCase()}>`;
  }

  private needsHex(key: string): boolean {
    return /[^\x20-\x7e]/.test(this.values[key]);
  }

  /** The value to hand to plainAddPlaceholder: itself when ASCII, else "~K~~~…" sized to fit "(…)". */
  placeholder(key: string): string {
    if (!this.needsHex(key)) return this.values[key];
    const inner = this.hex(key).length - 2; // "(" + inner + ")" has the length of the hex string
    return `~${key}`.padEnd(inner, '~');
  }

  fill(pdf: Buffer, from: number): Buffer {
    let out = pdf;
    for (const key of Object.keys(this.values)) {
      if (!this.needsHex(key)) continue;
      const literal = Buffer.from(`(${this.placeholder(key)})`, 'latin1');
      const at = out.indexOf(literal, from);
      if (at < 0) throw new AppError('INTERNAL', '签名信息写入失败。');
      const hex = Buffer.from(this.hex(key), 'latin1');
      out = Buffer.concat([out.subarray(0, at), hex, out.subarray(at + literal.length)]);
    }
    return out;
  }
}

export interface DetachedSignatureOptions {
  /** Defaults to now. */
  signingTime?: Date;
}

/** Detached CMS signature (DER, to be saved as <file>.p7s) over the exact bytes of a DOCX (or any file). */
export async function signDocx(bytes: Buffer, p12: Buffer, passphrase: string, options: DetachedSignatureOptions = {}): Promise<Buffer> {
  const signingTime = options.signingTime ?? new Date();
  const id = openForSigning(p12, passphrase, signingTime);
  return createDetachedCms(bytes, id, signingTime);
}
