// CMS / PKCS#7 SignedData, detached: built with node-forge (signing), parsed and checked with node-forge's
// ASN.1 reader and Node's crypto (verification). Used for PDF signatures (the /Contents of the signature
// dictionary) and for .p7s files next to DOCX files.
import crypto from 'node:crypto';
import forge from 'node-forge';
import { certToDer, certificateInfo, serialHex, type CertificateInfo, type OpenedP12 } from './pkcs12';

/** The identity's private key as Node's KeyObject, converted once per opened identity. */
const nodeKeys = new WeakMap<OpenedP12, crypto.KeyObject>();
function nodeKeyOf(id: OpenedP12): crypto.KeyObject {
  let k = nodeKeys.get(id);
  if (!k) {
    k = crypto.createPrivateKey(forge.pki.privateKeyToPem(id.key));
    nodeKeys.set(id, k);
  }
  return k;
}

/**
 * Detached SignedData over `content`: SHA-256, RSA, authenticated attributes contentType, signingTime,
 * messageDigest and ESS signingCertificateV2, and the certificates from the PKCS#12 file. Returns DER.
 * node-forge lays out the structure; the content is hashed and the attributes signed by Node's crypto
 * (forge's JavaScript SHA-256 over the whole file and its RSA cost about 60 ms a signature).
 */
export function createDetachedCms(content: Buffer, id: OpenedP12, signingTime: Date): Buffer {
  const p7 = forge.pkcs7.createSignedData();
  // forge digests the content it is given; the real digest is put in below, so it is given nothing.
  p7.content = forge.util.createBuffer('');
  for (const c of id.chain) p7.addCertificate(c);
  p7.addSigner({
    // The attributes are signed below, once they are final: forge's own RSA signature is not needed.
    key: { sign: () => '' } as unknown as forge.pki.rsa.PrivateKey,
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
  const siParts = signerInfos[0].value as forge.asn1.Asn1[];
  (siParts[1].value as forge.asn1.Asn1[])[0] = issuer;
  const signedAttrs = siParts[3];
  // messageDigest: the SHA-256 of the content.
  const digest = crypto.createHash('sha256').update(content).digest().toString('binary');
  for (const attr of signedAttrs.value as forge.asn1.Asn1[]) {
    const [oid, values] = attr.value as forge.asn1.Asn1[];
    if (forge.asn1.derToOid(oid.value as string) === forge.pki.oids.messageDigest) (values.value as forge.asn1.Asn1[])[0].value = digest;
  }
  // The certificates travel outside the signed bytes; an ESS signingCertificateV2 attribute (RFC 5035,
  // as CAdES-BES) puts the SHA-256 of each of them — the signer's first — under the signature, so not one
  // byte of a certificate can change unseen. node-forge cannot write this attribute: add it, then sign.
  const certDers = [id.cert, ...id.chain.filter((c) => c !== id.cert)].map(certToDer);
  (signedAttrs.value as forge.asn1.Asn1[]).push(essSigningCertificateV2(certDers));
  const toSign = Buffer.concat([Buffer.from([0x31]), derOf(signedAttrs).subarray(1)]);
  siParts[5].value = crypto.sign('sha256', toSign, { key: nodeKeyOf(id), padding: crypto.constants.RSA_PKCS1_PADDING }).toString('binary');
  return Buffer.from(forge.asn1.toDer(p7.toAsn1()).getBytes(), 'binary');
}

function essSigningCertificateV2(certDers: Buffer[]): forge.asn1.Asn1 {
  const { create, Class, Type } = forge.asn1;
  const ids = certDers.map((der) => create(Class.UNIVERSAL, Type.SEQUENCE, true, [
    create(Class.UNIVERSAL, Type.OCTETSTRING, false, crypto.createHash('sha256').update(der).digest().toString('binary')),
  ]));
  return create(Class.UNIVERSAL, Type.SEQUENCE, true, [
    create(Class.UNIVERSAL, Type.OID, false, forge.asn1.oidToDer(OID.signingCertificateV2).getBytes()),
    create(Class.UNIVERSAL, Type.SET, true, [create(Class.UNIVERSAL, Type.SEQUENCE, true, [create(Class.UNIVERSAL, Type.SEQUENCE, true, ids)])]),
  ]);
}

// ---- verification ------------------------------------------------------------------------------

export interface CmsCheck {
  /** The digest of the content equals the signed messageDigest attribute. */
  digestMatches: boolean;
  /** The signature over the signed attributes verifies with the signer certificate's public key. */
  signatureValid: boolean;
  /**
   * Set (in Chinese) when bytes of the signature itself changed, which no signature can cover: bytes after
   * the DER, a non-canonical encoding, a field that contradicts the signed attributes, a certificate whose
   * bytes differ from the hash under the signature (or from its issuer's signature), a broken signature value.
   */
  areaChanged?: string;
  /** What this check could not vouch for, in Chinese (e.g. a certificate whose issuer is not included). */
  warnings: string[];
  signingTime?: Date;
  signer?: CertificateInfo;
  /** Digest algorithm, e.g. sha256. */
  digestAlgorithm?: string;
  /** Why the check failed, in Chinese, when it did. */
  problem?: string;
}

const OID = {
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  signingCertificate: '1.2.840.113549.1.9.16.2.12',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
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

/** Signature algorithms accepted in a SignerInfo, with the digest each implies (undefined: any). */
const SIGNATURE_ALGORITHMS: Record<string, string | undefined> = {
  '1.2.840.113549.1.1.1': undefined, // rsaEncryption
  '1.2.840.113549.1.1.5': 'sha1',
  '1.2.840.113549.1.1.11': 'sha256',
  '1.2.840.113549.1.1.12': 'sha384',
  '1.2.840.113549.1.1.13': 'sha512',
  '1.2.840.113549.1.1.14': 'sha224',
  '1.2.840.10045.4.1': 'sha1', // ecdsa-with-SHA1
  '1.2.840.10045.4.3.2': 'sha256',
  '1.2.840.10045.4.3.3': 'sha384',
  '1.2.840.10045.4.3.4': 'sha512',
  '1.2.840.10045.2.1': undefined, // id-ecPublicKey, as some signers write it
  '1.2.156.10197.1.501': 'sm3', // SM2 with SM3
  '1.2.156.10197.1.301.1': undefined,
};

type Asn1 = forge.asn1.Asn1;
const kids = (n: Asn1): Asn1[] => (Array.isArray(n.value) ? (n.value as Asn1[]) : []);
const oidOf = (n: Asn1): string => {
  if (n.tagClass !== forge.asn1.Class.UNIVERSAL || n.type !== forge.asn1.Type.OID || n.constructed) throw new Error('OID expected');
  return forge.asn1.derToOid(n.value as string);
};
const derOf = (n: Asn1): Buffer => Buffer.from(forge.asn1.toDer(n).getBytes(), 'binary');
const isUniversal = (n: Asn1 | undefined, type: number): n is Asn1 => !!n && n.tagClass === forge.asn1.Class.UNIVERSAL && n.type === type;
const isContext = (n: Asn1 | undefined, type: number): n is Asn1 => !!n && n.tagClass === forge.asn1.Class.CONTEXT_SPECIFIC && n.type === type;
const intOf = (n: Asn1 | undefined): number | undefined => (isUniversal(n, forge.asn1.Type.INTEGER) ? Buffer.from(n.value as string, 'binary').readIntBE(0, Math.min(6, Math.max(1, (n.value as string).length))) : undefined);

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
 * (so a PDF's byte ranges need not be concatenated). `cmsDer` must be exactly the DER (a byte after it
 * is a change to the signature). Never throws: a malformed signature is reported as not valid with a reason.
 */
export function checkDetachedCms(cmsDer: Buffer, digestOf: (algorithm: string) => Buffer, contentForUnsignedAttrs?: () => Buffer): CmsCheck {
  try {
    return check(cmsDer, digestOf, contentForUnsignedAttrs);
  } catch (err) {
    const problem = `签名数据无法解析（${(err as Error).message}）。`;
    return { digestMatches: false, signatureValid: false, areaChanged: problem, warnings: [], problem };
  }
}

function check(cmsDer: Buffer, digestOf: (algorithm: string) => Buffer, contentForUnsignedAttrs?: () => Buffer): CmsCheck {
  const len = derLength(cmsDer);
  if (len === 0 || len > cmsDer.length) throw new Error('DER length');
  const area: string[] = [];
  const warnings: string[] = [];
  if (len !== cmsDer.length) area.push(`签名数据之后多出 ${cmsDer.length - len} 个字节`);
  const der = cmsDer.subarray(0, len);
  const root = forge.asn1.fromDer(forge.util.createBuffer(der.toString('binary')));
  // Every byte must be the one canonical encoding of what was parsed: no other encoding of the same
  // values, no padding inside, nothing the parser skipped.
  if (!derOf(root).equals(der)) area.push('签名数据的编码不是规范的 DER 编码');
  const [typeNode, wrapped, ...extraRoot] = kids(root);
  if (!typeNode || oidOf(typeNode) !== OID.signedData) throw new Error('not SignedData');
  const sdNode = wrapped ? kids(wrapped)[0] : undefined;
  if (!isUniversal(root, forge.asn1.Type.SEQUENCE) || extraRoot.length || !isContext(wrapped, 0) || kids(wrapped).length !== 1 || !isUniversal(sdNode, forge.asn1.Type.SEQUENCE)) {
    area.push('签名数据的外层结构不符');
  }
  const sd = sdNode ? kids(sdNode) : [];
  // SignedData: version, digestAlgorithms, encapContentInfo, [0] certificates?, [1] crls?, signerInfos
  const certs: Asn1[] = [];
  let signerInfos: Asn1 | undefined;
  for (const node of sd.slice(3)) {
    if (isContext(node, 0)) certs.push(...kids(node));
    else if (isContext(node, 1)) warnings.push('签名数据附有证书吊销列表（CRL），其内容不受签名保护，未核验');
    else if (isUniversal(node, forge.asn1.Type.SET) && !signerInfos) signerInfos = node;
    else area.push('签名数据中有不应出现的字段');
  }
  const signerList = signerInfos ? kids(signerInfos) : [];
  const si = signerList[0];
  if (!si) throw new Error('no SignerInfo');
  if (signerList.length > 1) area.push('签名数据含有多个签名人信息，只能核验其中第一个');
  if (!isUniversal(si, forge.asn1.Type.SEQUENCE) || !(isUniversal(kids(si)[1], forge.asn1.Type.SEQUENCE) || isContext(kids(si)[1], 0))) area.push('签名人信息的结构不符');
  const siParts = kids(si);
  // SignerInfo: version, sid, digestAlgorithm, [0] signedAttrs?, signatureAlgorithm, signature, [1]?
  const sid = siParts[1];
  const digestOid = oidOf(kids(siParts[2])[0]);
  let i = 3;
  let signedAttrs: Asn1 | undefined;
  if (isContext(siParts[i], 0)) signedAttrs = siParts[i++];
  const sigAlg = siParts[i++];
  const sigAlgOid = oidOf(kids(sigAlg)[0]);
  const signatureNode = siParts[i++];
  const signature = Buffer.from(signatureNode.value as string, 'binary');
  if (isContext(siParts[i], 1)) {
    warnings.push('签名附有未签名属性（如时间戳），其内容不受签名保护，未核验');
    i++;
  }
  if (i !== siParts.length || !isUniversal(signatureNode, forge.asn1.Type.OCTETSTRING)) area.push('签名人信息的结构不符');

  const algorithm = DIGESTS[digestOid];
  if (!algorithm) {
    const problem = `不支持的摘要算法（${digestOid}）。`;
    return { digestMatches: false, signatureValid: false, areaChanged: problem, warnings, problem };
  }

  // The fields outside the signed attributes that a verifier does not otherwise read: each must agree
  // with the rest, so a change to one of them cannot pass unseen.
  const eci = kids(sd[2]);
  const eContentType = eci[0] && isUniversal(eci[0], forge.asn1.Type.OID) ? oidOf(eci[0]) : '';
  if (!isUniversal(sd[2], forge.asn1.Type.SEQUENCE) || eci.length !== 1 || !eContentType) area.push('签名数据的内容类型字段不符（分离式签名不应含内容）');
  const siVersion = intOf(siParts[0]);
  const sidIsIssuerSerial = isUniversal(sid, forge.asn1.Type.SEQUENCE);
  if (siVersion !== (sidIsIssuerSerial ? 1 : 3)) area.push('签名人信息的版本号不符');
  const sdVersion = intOf(sd[0]);
  if (sdVersion !== (siVersion === 1 && eContentType === OID.data ? 1 : 3)) area.push('签名数据的版本号不符');
  const algIdOk = (n: Asn1 | undefined): boolean => {
    const p = n ? kids(n) : [];
    return isUniversal(n, forge.asn1.Type.SEQUENCE) && isUniversal(p[0], forge.asn1.Type.OID) && (p.length === 1 || (p.length === 2 && isUniversal(p[1], forge.asn1.Type.NULL)));
  };
  const digestAlgs = isUniversal(sd[1], forge.asn1.Type.SET) ? kids(sd[1]) : [];
  const listed = digestAlgs.map((n) => (algIdOk(n) ? oidOf(kids(n)[0]) : ''));
  if (!listed.includes(digestOid) || listed.some((o) => !DIGESTS[o]) || new Set(listed).size !== listed.length || !algIdOk(siParts[2])) {
    area.push('签名数据的摘要算法列表与签名人信息不符');
  }
  // (RSASSA-PSS is refused below with its own message.)
  if (sigAlgOid !== OID.rsaPss && (!algIdOk(sigAlg) || !(sigAlgOid in SIGNATURE_ALGORITHMS) || (SIGNATURE_ALGORITHMS[sigAlgOid] ?? algorithm) !== algorithm)) {
    area.push('签名算法字段与摘要算法不符');
  }

  const certDers = certs.map(derOf);
  const signerDer = findSigner(sid, certDers);
  const signer = signerDer ? certificateInfo(signerDer) : undefined;

  let signingTime: Date | undefined;
  let messageDigest: Buffer | undefined;
  let attrContentType: string | undefined;
  let essHashes: { algorithm: string; hash: Buffer }[] | undefined;
  for (const attr of signedAttrs ? kids(signedAttrs) : []) {
    const [t, values] = kids(attr);
    const v = kids(values)[0];
    const oid = oidOf(t);
    if (oid === OID.messageDigest) messageDigest = Buffer.from(v.value as string, 'binary');
    if (oid === OID.contentType) attrContentType = oidOf(v);
    if (oid === OID.signingTime) {
      signingTime = v.type === forge.asn1.Type.UTCTIME ? forge.asn1.utcTimeToDate(v.value as string) : forge.asn1.generalizedTimeToDate(v.value as string);
    }
    if (oid === OID.signingCertificateV2 || oid === OID.signingCertificate) essHashes = essCertHashes(v, oid === OID.signingCertificate ? 'sha1' : 'sha256');
  }
  if (signedAttrs && attrContentType !== eContentType) area.push('签名数据的内容类型与签名属性不符');

  // Certificates: under the signature by their hashes (ESS signing-certificate attribute, which this
  // system's signatures carry), else each checked against its issuer's signature when the issuer is included.
  if (essHashes) {
    const listedHex = essHashes.map((h) => h.hash.toString('hex'));
    const hashOf = (der: Buffer) => crypto.createHash(essHashes![0]?.algorithm ?? 'sha256').update(der).digest('hex');
    if (!signerDer || listedHex[0] !== hashOf(signerDer)) area.push('签名人证书与签名时登记的证书摘要不符');
    if (certDers.some((der) => !listedHex.includes(hashOf(der)))) area.push('签名中附带的证书与签名时登记的证书摘要不符');
  } else {
    const x509 = certDers.map((d) => {
      try {
        return new crypto.X509Certificate(d);
      } catch {
        return undefined;
      }
    });
    if (x509.some((c) => !c)) area.push('签名中附带的证书无法解析');
    else if (signerDer) {
      // Walk up from the signer: each certificate must verify under the next one's key; every included
      // certificate must be on that chain (a changed name would take a certificate off it); the top one
      // either signs itself or its issuer is not included (then its bytes cannot be checked: a warning).
      const certsX = x509 as crypto.X509Certificate[];
      let at = certDers.findIndex((d) => d.equals(signerDer));
      const onChain = new Set<number>();
      while (at >= 0 && !onChain.has(at)) {
        onChain.add(at);
        const c = certsX[at];
        const issuerAt = certsX.findIndex((o) => c.checkIssued(o));
        if (issuerAt < 0) {
          warnings.push(`签名中附带的证书“${certificateInfo(certDers[at]).subject.text}”未附颁发者证书，证书内容无法逐字节核验`);
          break;
        }
        if (!c.verify(certsX[issuerAt].publicKey)) {
          area.push('签名中附带的证书与其颁发者的签名不符');
          break;
        }
        if (issuerAt === at) break; // self-signed, and its signature holds
        at = issuerAt;
      }
      if (!area.length && onChain.size !== certDers.length) area.push('签名中附带的证书不在签名人的证书链上（证书被改动，或附带了无关的证书）');
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
  if (!problem && !digestMatches && signatureValid) problem = '文件内容与签名时不一致：签名后文件已被修改。';
  if (!problem && !signatureValid) problem = '签名值无效：签名数据已被篡改或与证书不符。';
  if (!problem && area.length) problem = `签名数据被改动：${area[0]}。`;
  if (!signatureValid && !area.length) area.push(problem ?? '签名值无效');
  const areaChanged = area.length ? (area[0].endsWith('。') ? area[0] : `${area[0]}。`) : undefined;
  return { digestMatches, signatureValid, areaChanged, warnings, signingTime, signer, digestAlgorithm: algorithm, problem };
}

/** The certificate hashes of an ESS SigningCertificate(V2) attribute value. */
function essCertHashes(value: Asn1, defaultAlgorithm: string): { algorithm: string; hash: Buffer }[] {
  const certsSeq = kids(value)[0];
  return kids(certsSeq).map((id) => {
    const parts = kids(id);
    let algorithm = defaultAlgorithm;
    let k = 0;
    if (defaultAlgorithm !== 'sha1' && isUniversal(parts[0], forge.asn1.Type.SEQUENCE)) algorithm = DIGESTS[oidOf(kids(parts[k++])[0])] ?? 'unknown';
    return { algorithm, hash: Buffer.from(parts[k].value as string, 'binary') };
  });
}

/** The certificate named by the SignerIdentifier (issuerAndSerialNumber or [0] subjectKeyIdentifier). */
function findSigner(sid: Asn1, certDers: Buffer[]): Buffer | undefined {
  if (sid.tagClass === forge.asn1.Class.UNIVERSAL && sid.type === forge.asn1.Type.SEQUENCE) {
    const [issuer, serial, ...extra] = kids(sid);
    if (extra.length || !isUniversal(issuer, forge.asn1.Type.SEQUENCE) || !isUniversal(serial, forge.asn1.Type.INTEGER)) return undefined;
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

