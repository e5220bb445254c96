// Opening PKCS#12 (.p12 / .pfx) files with node-forge, and reading certificates for people.
import { formatChineseDate } from './layout';
import crypto from 'node:crypto';
import forge from 'node-forge';
import { AppError } from '../domain/errors';

export interface OpenedP12 {
  key: forge.pki.rsa.PrivateKey;
  /** The certificate whose public key matches the private key. */
  cert: forge.pki.Certificate;
  /** Every certificate in the file (signer first), to embed in signatures. */
  chain: forge.pki.Certificate[];
}

export const WRONG_PASSPHRASE = '无法打开签名证书文件：口令错误，或文件不是有效的 PKCS#12（.p12/.pfx）证书。';

/**
 * Opens a PKCS#12 file. Throws AppError('VALIDATION') for a wrong passphrase, a damaged file, a file
 * without a private key, or a non-RSA key (node-forge signs with RSA only; SM2 certificates are not
 * supported).
 */
/**
 * Opened identities kept for a while (PBKDF2 and the PKCS#12 decryption cost ~20 ms a document): keyed by
 * the SHA-256 of the file and of the passphrase, at most 8, each for 10 minutes after it was last used.
 * A wrong passphrase is never kept; a retired or replaced certificate is another file, another key.
 */
const OPENED_TTL_MS = 10 * 60_000;
const opened = new Map<string, { id: OpenedP12; until: number }>();
export function openP12Cached(p12: Buffer, passphrase: string, now = Date.now()): OpenedP12 {
  const key = `${crypto.createHash('sha256').update(p12).digest('hex')}:${crypto.createHash('sha256').update(passphrase, 'utf8').digest('hex')}`;
  const hit = opened.get(key);
  if (hit && hit.until > now) {
    opened.delete(key);
    opened.set(key, { id: hit.id, until: now + OPENED_TTL_MS });
    return hit.id;
  }
  const id = openP12(p12, passphrase);
  opened.set(key, { id, until: now + OPENED_TTL_MS });
  for (const [k, v] of opened) if (opened.size > 8 || v.until <= now) opened.delete(k);
  return id;
}

export function openP12(p12: Buffer, passphrase: string): OpenedP12 {
  let asn1: forge.asn1.Asn1;
  try {
    asn1 = forge.asn1.fromDer(forge.util.createBuffer(p12.toString('binary')));
  } catch {
    throw new AppError('VALIDATION', WRONG_PASSPHRASE);
  }
  let pfx: forge.pkcs12.Pkcs12Pfx;
  try {
    pfx = forge.pkcs12.pkcs12FromAsn1(asn1, false, passphrase);
  } catch (first) {
    // OpenSSL 3 encrypts with PBES2 and derives that key from the UTF-8 bytes of the passphrase, while
    // the MAC (and old-style PBE) use its UTF-16 form. node-forge uses one string for both, so a passphrase
    // with non-ASCII characters (e.g. Chinese) fails; check the MAC ourselves, then decrypt with UTF-8.
    if (/^[\x20-\x7e]*$/.test(passphrase)) throw new AppError('VALIDATION', WRONG_PASSPHRASE, { cause: (first as Error).message });
    pfx = openWithUtf8Passphrase(asn1, passphrase);
  }
  return pick(pfx);
}

function openWithUtf8Passphrase(asn1: forge.asn1.Asn1, passphrase: string): forge.pkcs12.Pkcs12Pfx {
  const parts = asn1.value as forge.asn1.Asn1[];
  try {
    if (parts.length > 2) verifyMac(parts, passphrase);
    const withoutMac = forge.asn1.create(asn1.tagClass, asn1.type, true, parts.slice(0, 2));
    return forge.pkcs12.pkcs12FromAsn1(withoutMac, false, forge.util.encodeUtf8(passphrase));
  } catch (err) {
    throw new AppError('VALIDATION', WRONG_PASSPHRASE, { cause: (err as Error).message });
  }
}

const MAC_DIGESTS: Record<string, () => forge.md.MessageDigest> = {
  [forge.pki.oids.sha1]: () => forge.md.sha1.create(),
  [forge.pki.oids.sha256]: () => forge.md.sha256.create(),
  [forge.pki.oids.sha384]: () => forge.md.sha384.create(),
  [forge.pki.oids.sha512]: () => forge.md.sha512.create(),
};

/** RFC 7292 MacData check: HMAC over the authSafe content with a key from the UTF-16 passphrase. */
function verifyMac(parts: forge.asn1.Asn1[], passphrase: string): void {
  const authSafe = parts[1].value as forge.asn1.Asn1[]; // ContentInfo { OID data, [0] OCTET STRING }
  const octets = (authSafe[1].value as forge.asn1.Asn1[])[0];
  const data = octetStringBytes(octets);
  const macData = parts[2].value as forge.asn1.Asn1[];
  const digestInfo = macData[0].value as forge.asn1.Asn1[];
  const oid = forge.asn1.derToOid((digestInfo[0].value as forge.asn1.Asn1[])[0].value as string);
  const expected = digestInfo[1].value as string;
  const salt = macData[1].value as string;
  const iterations = macData.length > 2 ? parseInt(forge.util.bytesToHex(macData[2].value as string), 16) : 1;
  const mdf = MAC_DIGESTS[oid];
  if (!mdf) throw new Error(`unsupported MAC ${oid}`);
  const md = mdf();
  const key = forge.pkcs12.generateKey(passphrase, forge.util.createBuffer(salt), 3, iterations, md.digestLength, mdf());
  const hmac = forge.hmac.create();
  hmac.start(mdf(), key);
  hmac.update(data);
  if (hmac.digest().getBytes() !== expected) throw new Error('MAC mismatch');
}

/** Bytes of an OCTET STRING, also when BER-encoded in constructed chunks. */
function octetStringBytes(node: forge.asn1.Asn1): string {
  if (typeof node.value === 'string') return node.value;
  return (node.value as forge.asn1.Asn1[]).map(octetStringBytes).join('');
}

function pick(pfx: forge.pkcs12.Pkcs12Pfx): OpenedP12 {
  const certBags = pfx.getBags({ bagType: forge.pki.oids.certBag })[forge.pki.oids.certBag] ?? [];
  const keyBags = [
    ...(pfx.getBags({ bagType: forge.pki.oids.pkcs8ShroudedKeyBag })[forge.pki.oids.pkcs8ShroudedKeyBag] ?? []),
    ...(pfx.getBags({ bagType: forge.pki.oids.keyBag })[forge.pki.oids.keyBag] ?? []),
  ];
  const key = keyBags.find((b) => b.key)?.key as forge.pki.rsa.PrivateKey | undefined;
  if (!key) {
    const hasUnreadableKey = keyBags.length > 0;
    throw new AppError(
      'VALIDATION',
      hasUnreadableKey ? '签名证书的私钥不是 RSA 密钥，本系统暂不支持（如 SM2 国密证书）。请向发证机构申请 RSA 证书。' : '证书文件中没有私钥，无法用于签名：请导入包含私钥的 .p12/.pfx 文件。',
    );
  }
  const certs = certBags.map((b) => b.cert).filter((c): c is forge.pki.Certificate => !!c);
  const cert = certs.find((c) => {
    const pub = c.publicKey as forge.pki.rsa.PublicKey;
    return pub.n && pub.n.compareTo(key.n) === 0 && pub.e.compareTo(key.e) === 0;
  });
  if (!cert) throw new AppError('VALIDATION', '证书文件中没有与私钥对应的证书，无法用于签名。');
  return { key, cert, chain: [cert, ...certs.filter((c) => c !== cert)] };
}

// ---- reading certificates ----------------------------------------------------------------------

export interface CertificateInfo {
  subject: DistinguishedName;
  issuer: DistinguishedName;
  /** Serial number, upper-case hex without leading zeros. */
  serialNumber: string;
  notBefore: Date;
  notAfter: Date;
  /** SHA-256 of the DER certificate, lower-case hex. */
  fingerprintSha256: string;
  selfSigned: boolean;
  /** Issued by this system as a trial certificate (OU 试用). */
  trial: boolean;
}

/** Attributes of a subject/issuer name; common ones by short name, each as decoded Unicode text. */
export interface DistinguishedName {
  CN?: string;
  O?: string;
  OU?: string;
  C?: string;
  ST?: string;
  L?: string;
  /** RFC 4514-like one-line form, e.g. "CN=张三, OU=试用, O=某市司法局". */
  text: string;
}

export const TRIAL_OU = '试用';

const NAME_OIDS: Record<string, keyof Omit<DistinguishedName, 'text'>> = {
  '2.5.4.3': 'CN',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.6': 'C',
  '2.5.4.8': 'ST',
  '2.5.4.7': 'L',
};

/** Decodes an X.501 Name from ASN.1 (UTF8String, BMPString and the 8-bit string types). */
export function nameFromAsn1(name: forge.asn1.Asn1): DistinguishedName {
  const out: DistinguishedName = { text: '' };
  const parts: string[] = [];
  for (const rdn of name.value as forge.asn1.Asn1[]) {
    for (const atv of rdn.value as forge.asn1.Asn1[]) {
      const [oidNode, valueNode] = atv.value as forge.asn1.Asn1[];
      const oid = forge.asn1.derToOid(oidNode.value as string);
      const value = decodeString(valueNode);
      const short = NAME_OIDS[oid];
      if (short && out[short] === undefined) out[short] = value;
      parts.push(`${short ?? oid}=${value}`);
    }
  }
  out.text = parts.reverse().join(', ');
  return out;
}

function decodeString(node: forge.asn1.Asn1): string {
  const raw = typeof node.value === 'string' ? node.value : '';
  const bytes = Buffer.from(raw, 'binary');
  switch (node.type as number) {
    case forge.asn1.Type.UTF8:
      return bytes.toString('utf8');
    case forge.asn1.Type.BMPSTRING:
      return Buffer.from(bytes).swap16().toString('utf16le');
    case 28: // UniversalString (UTF-32BE)
      return Array.from({ length: bytes.length / 4 }, (_, i) => String.fromCodePoint(bytes.readUInt32BE(4 * i))).join('');
    default:
      return bytes.toString('latin1');
  }
}

/** Reads the fields people need from a DER certificate (any key algorithm). */
export function certificateInfo(der: Buffer): CertificateInfo {
  const asn1 = forge.asn1.fromDer(forge.util.createBuffer(der.toString('binary')));
  const tbs = (asn1.value as forge.asn1.Asn1[])[0].value as forge.asn1.Asn1[];
  // TBSCertificate: [0] version (optional), serial, signature alg, issuer, validity, subject, …
  const off = tbs[0].tagClass === forge.asn1.Class.CONTEXT_SPECIFIC ? 1 : 0;
  const serialBytes = Buffer.from(tbs[off].value as string, 'binary');
  const issuer = nameFromAsn1(tbs[off + 2]);
  const validity = tbs[off + 3].value as forge.asn1.Asn1[];
  const subject = nameFromAsn1(tbs[off + 4]);
  const issuerDer = Buffer.from(forge.asn1.toDer(tbs[off + 2]).getBytes(), 'binary');
  const subjectDer = Buffer.from(forge.asn1.toDer(tbs[off + 4]).getBytes(), 'binary');
  return {
    subject,
    issuer,
    serialNumber: serialHex(serialBytes),
    notBefore: asn1Time(validity[0]),
    notAfter: asn1Time(validity[1]),
    fingerprintSha256: crypto.createHash('sha256').update(der).digest('hex'),
    selfSigned: issuerDer.equals(subjectDer),
    trial: subject.OU === TRIAL_OU,
  };
}

export function serialHex(bytes: Buffer): string {
  const hex = bytes.toString('hex').replace(/^(00)+(?=.)/, '').toUpperCase();
  return hex || '0';
}

function asn1Time(node: forge.asn1.Asn1): Date {
  const v = node.value as string;
  return node.type === forge.asn1.Type.UTCTIME ? forge.asn1.utcTimeToDate(v) : forge.asn1.generalizedTimeToDate(v);
}

export function certToDer(cert: forge.pki.Certificate): Buffer {
  return Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(cert)).getBytes(), 'binary');
}

/** AppError('VALIDATION') when the certificate is not valid at `at` (expired or not yet valid). */
export function assertCertificateCurrent(info: CertificateInfo, at: Date): void {
  const day = (d: Date) => formatChineseDate(d);
  if (at.getTime() > info.notAfter.getTime()) {
    throw new AppError('VALIDATION', `签名证书已于${day(info.notAfter)}过期，不能再用于签名，请导入新的证书。`);
  }
  if (at.getTime() < info.notBefore.getTime()) {
    throw new AppError('VALIDATION', `签名证书自${day(info.notBefore)}起才生效，目前不能用于签名。`);
  }
}
