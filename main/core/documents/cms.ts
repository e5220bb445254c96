// CMS / PKCS#7 SignedData, detached: built with node-forge (signing), parsed and checked with node-forge's
// ASN.1 reader and Node's crypto (verification). Used for PDF signatures (the /Contents of the signature
// dictionary) and for .p7s files next to DOCX files.
import crypto from 'node:crypto';
import forge from 'node-forge';
import { certificateInfo, serialHex, type CertificateInfo, type OpenedP12 } from './pkcs12';

/**
 * Detached SignedData over `content`: SHA-256, RSA, authenticated attributes contentType, signingTime and
 * messageDigest, and the certificates from the PKCS#12 file. Returns DER bytes.
 */
export function createDetachedCms(content: Buffer, id: OpenedP12, signingTime: Date): Buffer {
  const p7 = forge.pkcs7.createSignedData();
  p7.content = forge.util.createBuffer(content.toString('binary'));
  for (const c of id.chain) p7.addCertificate(c);
  p7.addSigner({
    key: id.key,
    certificate: id.cert,
    digestAlgorithm: forge.pki.oids.sha256,
    authenticatedAttributes: [
      { type: forge.pki.oids.contentType, value: forge.pki.oids.data },
      // node-forge's types want a string; at run time it takes the Date and encodes UTCTime/GeneralizedTime.
      { type: forge.pki.oids.signingTime, value: signingTime as unknown as string },
      { type: forge.pki.oids.messageDigest },
    ],
  });
  p7.sign({ detached: true });
  // node-forge rebuilds the signer's issuer name from parsed attributes, which double-encodes UTF8String
  // values (Chinese CA names) and splits multi-valued RDNs; put the certificate's own issuer bytes back
  // so issuerAndSerialNumber matches the certificate exactly. (The issuer is not under the signature.)
  const tbs = (id.cert as unknown as { tbsCertificate?: forge.asn1.Asn1 }).tbsCertificate ?? (forge.pki as unknown as { getTBSCertificate(c: forge.pki.Certificate): forge.asn1.Asn1 }).getTBSCertificate(id.cert);
  const tbsParts = tbs.value as forge.asn1.Asn1[];
  const issuer = tbsParts[tbsParts[0].tagClass === forge.asn1.Class.CONTEXT_SPECIFIC ? 3 : 2];
  const signerInfos = (p7 as unknown as { signerInfos: forge.asn1.Asn1[] }).signerInfos;
  ((signerInfos[0].value as forge.asn1.Asn1[])[1].value as forge.asn1.Asn1[])[0] = issuer;
  return Buffer.from(forge.asn1.toDer(p7.toAsn1()).getBytes(), 'binary');
}

// ---- verification ------------------------------------------------------------------------------

export interface CmsCheck {
  /** The digest of the content equals the signed messageDigest attribute. */
  digestMatches: boolean;
  /** The signature over the signed attributes verifies with the signer certificate's public key. */
  signatureValid: boolean;
  signingTime?: Date;
  signer?: CertificateInfo;
  /** Digest algorithm, e.g. sha256. */
  digestAlgorithm?: string;
  /** Why the check failed, in Chinese, when it did. */
  problem?: string;
}

const OID = {
  signedData: '1.2.840.113549.1.7.2',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  rsaEncryption: '1.2.840.113549.1.1.1',
  rsaPss: '1.2.840.113549.1.1.10',
};

const DIGESTS: Record<string, string> = {
  '1.3.14.3.2.26': 'sha1',
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
  '2.16.840.1.101.3.4.2.4': 'sha224',
  '1.2.156.10197.1.401': 'sm3',
};

type Asn1 = forge.asn1.Asn1;
const kids = (n: Asn1): Asn1[] => (Array.isArray(n.value) ? (n.value as Asn1[]) : []);
const oidOf = (n: Asn1): string => forge.asn1.derToOid(n.value as string);
const derOf = (n: Asn1): Buffer => Buffer.from(forge.asn1.toDer(n).getBytes(), 'binary');

/** Length of the DER element at the start of `bytes` (the PDF /Contents is padded with zeros). */
export function derLength(bytes: Buffer): number {
  if (bytes.length < 2) return 0;
  const first = bytes[1];
  if (first < 0x80) return 2 + first;
  const n = first & 0x7f;
  if (n === 0 || n > 4 || bytes.length < 2 + n) return 0;
  let len = 0;
  for (let i = 0; i < n; i++) len = len * 256 + bytes[2 + i];
  return 2 + n + len;
}

/**
 * Checks a detached CMS signature over `content`, given by the digest of the content per algorithm
 * (so a PDF's byte ranges need not be concatenated). Never throws: a malformed signature is reported as
 * not valid with a reason.
 */
export function checkDetachedCms(cmsDer: Buffer, digestOf: (algorithm: string) => Buffer, contentForUnsignedAttrs?: () => Buffer): CmsCheck {
  try {
    return check(cmsDer, digestOf, contentForUnsignedAttrs);
  } catch (err) {
    return { digestMatches: false, signatureValid: false, problem: `签名数据无法解析（${(err as Error).message}）。` };
  }
}

function check(cmsDer: Buffer, digestOf: (algorithm: string) => Buffer, contentForUnsignedAttrs?: () => Buffer): CmsCheck {
  const len = derLength(cmsDer);
  if (len === 0 || len > cmsDer.length) throw new Error('DER length');
  const root = forge.asn1.fromDer(forge.util.createBuffer(cmsDer.subarray(0, len).toString('binary')));
  const [typeNode, wrapped] = kids(root);
  if (!typeNode || oidOf(typeNode) !== OID.signedData) throw new Error('not SignedData');
  const sd = kids(kids(wrapped)[0]);
  // SignedData: version, digestAlgorithms, encapContentInfo, [0] certificates?, [1] crls?, signerInfos
  const certs: Asn1[] = [];
  let signerInfos: Asn1 | undefined;
  for (const node of sd.slice(3)) {
    if (node.tagClass === forge.asn1.Class.CONTEXT_SPECIFIC && node.type === 0) certs.push(...kids(node));
    else if (node.tagClass === forge.asn1.Class.UNIVERSAL && node.type === forge.asn1.Type.SET) signerInfos = node;
  }
  const si = signerInfos ? kids(signerInfos)[0] : undefined;
  if (!si) throw new Error('no SignerInfo');
  const siParts = kids(si);
  // SignerInfo: version, sid, digestAlgorithm, [0] signedAttrs?, signatureAlgorithm, signature, [1]?
  const sid = siParts[1];
  const digestOid = oidOf(kids(siParts[2])[0]);
  let i = 3;
  let signedAttrs: Asn1 | undefined;
  if (siParts[i].tagClass === forge.asn1.Class.CONTEXT_SPECIFIC && siParts[i].type === 0) signedAttrs = siParts[i++];
  const sigAlgOid = oidOf(kids(siParts[i++])[0]);
  const signature = Buffer.from(siParts[i].value as string, 'binary');

  const algorithm = DIGESTS[digestOid];
  if (!algorithm) return { digestMatches: false, signatureValid: false, problem: `不支持的摘要算法（${digestOid}）。` };

  const certDers = certs.map(derOf);
  const signerDer = findSigner(sid, certDers);
  const signer = signerDer ? certificateInfo(signerDer) : undefined;

  let signingTime: Date | undefined;
  let messageDigest: Buffer | undefined;
  for (const attr of signedAttrs ? kids(signedAttrs) : []) {
    const [t, values] = kids(attr);
    const v = kids(values)[0];
    const oid = oidOf(t);
    if (oid === OID.messageDigest) messageDigest = Buffer.from(v.value as string, 'binary');
    if (oid === OID.signingTime) {
      signingTime = v.type === forge.asn1.Type.UTCTIME ? forge.asn1.utcTimeToDate(v.value as string) : forge.asn1.generalizedTimeToDate(v.value as string);
    }
  }

  let signatureValid = false;
  let problem: string | undefined;
  if (!signerDer) {
    problem = '签名中没有签名人证书，无法核验。';
  } else if (sigAlgOid === OID.rsaPss) {
    problem = '不支持 RSASSA-PSS 签名。';
  } else {
    const key = new crypto.X509Certificate(signerDer).publicKey;
    // Signed attributes are signed as a DER SET OF (tag 0x31), not with their [0] IMPLICIT tag; without
    // them the signature is over the content itself.
    const signed = signedAttrs ? Buffer.concat([Buffer.from([0x31]), derOf(signedAttrs).subarray(1)]) : contentForUnsignedAttrs?.();
    if (!signed) problem = '签名未包含签名属性，无法核验。';
    else {
      try {
        signatureValid = crypto.verify(algorithm, signed, key, signature);
      } catch (err) {
        problem = `签名算法无法核验（${(err as Error).message}）。`;
      }
    }
  }
  const digestMatches = signedAttrs ? !!messageDigest && messageDigest.equals(digestOf(algorithm)) : signatureValid;
  if (!problem && !digestMatches) problem = '文件内容与签名时不一致：签名后文件已被修改。';
  if (!problem && !signatureValid) problem = '签名值无效：签名数据已被篡改或与证书不符。';
  return { digestMatches, signatureValid, signingTime, signer, digestAlgorithm: algorithm, problem };
}

/** The certificate named by the SignerIdentifier (issuerAndSerialNumber or [0] subjectKeyIdentifier). */
function findSigner(sid: Asn1, certDers: Buffer[]): Buffer | undefined {
  if (sid.tagClass === forge.asn1.Class.UNIVERSAL && sid.type === forge.asn1.Type.SEQUENCE) {
    const [issuer, serial] = kids(sid);
    const wantIssuer = derOf(issuer);
    const wantSerial = serialHex(Buffer.from(serial.value as string, 'binary'));
    return certDers.find((der) => {
      const tbs = kids(kids(forge.asn1.fromDer(forge.util.createBuffer(der.toString('binary'))))[0]);
      const off = tbs[0].tagClass === forge.asn1.Class.CONTEXT_SPECIFIC ? 1 : 0;
      return serialHex(Buffer.from(tbs[off].value as string, 'binary')) === wantSerial && derOf(tbs[off + 2]).equals(wantIssuer);
    });
  }
  // [0] subjectKeyIdentifier: compare with each certificate's SKI extension.
  const ski = Buffer.from(sid.value as string, 'binary').toString('hex');
  return certDers.find((der) => skiOf(der) === ski);
}

const SKI_OID = '2.5.29.14';
function skiOf(der: Buffer): string | undefined {
  const tbs = kids(kids(forge.asn1.fromDer(forge.util.createBuffer(der.toString('binary'))))[0]);
  const extsWrapper = tbs.find((n) => n.tagClass === forge.asn1.Class.CONTEXT_SPECIFIC && n.type === 3);
  if (!extsWrapper) return undefined;
  for (const ext of kids(kids(extsWrapper)[0])) {
    const parts = kids(ext);
    if (oidOf(parts[0]) !== SKI_OID) continue;
    const inner = forge.asn1.fromDer(parts[parts.length - 1].value as string);
    return Buffer.from(inner.value as string, 'binary').toString('hex');
  }
  return undefined;
}

