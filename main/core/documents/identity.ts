// Signing identities: a PKCS#12 file issued by the agency's CA (imported with its passphrase), or a
// self-signed trial certificate generated here (RSA 2048, SHA-256, OU 试用) so a new installation can sign
// before its CA certificate arrives. The .p12 bytes are kept as a file in the keys directory the caller
// names; the passphrase only in the SecretStore (the OS keychain) — never in the database, never in logs.
import { formatChineseDate } from './layout';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import forge from 'node-forge';
import { AppError } from '../domain/errors';
import { KEYCHAIN_SERVICE_PREFIX, type SecretStore } from '../secrets/index';
import { certificateInfo, certToDer, openP12, TRIAL_OU, type CertificateInfo } from './pkcs12';

/** Keychain service of signing-key passphrases; the account is the identity id. */
export const SIGNING_KEY_SERVICE = `${KEYCHAIN_SERVICE_PREFIX}/signing-key`;

export interface SigningIdentity {
  /** SHA-256 fingerprint of the certificate (hex): names the .p12 file and the keychain entry. */
  id: string;
  /** Path of the stored .p12 file. */
  file: string;
  /** Subject common name: the signer. */
  subjectCN: string;
  /** Subject organisation: the agency. */
  organization?: string;
  subject: string;
  issuer: string;
  serialNumber: string;
  notBefore: Date;
  notAfter: Date;
  selfSigned: boolean;
  /** Generated here for trial use (OU 试用), not issued by a CA. */
  trial: boolean;
}

export interface IdentityStoreOptions {
  /** Directory for .p12 files (created with mode 0700 if missing). */
  keysDir: string;
  store: SecretStore;
}

function identityOf(info: CertificateInfo, file: string): SigningIdentity {
  return {
    id: info.fingerprintSha256,
    file,
    subjectCN: info.subject.CN ?? '',
    organization: info.subject.O,
    subject: info.subject.text,
    issuer: info.issuer.text,
    serialNumber: info.serialNumber,
    notBefore: info.notBefore,
    notAfter: info.notAfter,
    selfSigned: info.selfSigned,
    trial: info.trial,
  };
}

/**
 * Reads a PKCS#12 file without storing it: opens it with the passphrase (AppError 'VALIDATION' when it
 * does not open or holds no usable key) and returns what the certificate says.
 */
export function inspectP12(p12: Buffer, passphrase: string): CertificateInfo {
  const opened = openP12(p12, passphrase);
  return certificateInfo(certToDer(opened.cert));
}

const p12Path = (keysDir: string, id: string) => path.join(keysDir, `${id}.p12`);

async function save(p12: Buffer, passphrase: string, info: CertificateInfo, opts: IdentityStoreOptions): Promise<SigningIdentity> {
  fs.mkdirSync(opts.keysDir, { recursive: true, mode: 0o700 });
  const file = p12Path(opts.keysDir, info.fingerprintSha256);
  const tmp = `${file}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`;
  fs.writeFileSync(tmp, p12, { mode: 0o600 });
  try {
    await opts.store.set(SIGNING_KEY_SERVICE, info.fingerprintSha256, passphrase);
    fs.renameSync(tmp, file);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
  return identityOf(info, file);
}

export interface ImportP12Options extends IdentityStoreOptions {
  p12: Buffer;
  passphrase: string;
  /** For tests; defaults to now. */
  now?: Date;
}

/**
 * Imports a .p12/.pfx issued by the agency CA. Refuses a file that does not open with the passphrase,
 * has no private key matching its certificate, or whose certificate has expired.
 */
export async function importP12Identity(opts: ImportP12Options): Promise<SigningIdentity> {
  const info = inspectP12(opts.p12, opts.passphrase);
  const now = opts.now ?? new Date();
  if (now > info.notAfter) {
    throw new AppError('VALIDATION', `该证书已于${formatChineseDate(info.notAfter)}过期，不能导入。`);
  }
  return save(opts.p12, opts.passphrase, info, opts);
}

export interface TrialIdentityOptions extends IdentityStoreOptions {
  /** Signer's name (subject CN). */
  signerName: string;
  /** Agency (subject O). */
  agency: string;
  /** Default 365. */
  validityDays?: number;
  now?: Date;
}

/**
 * Generates a self-signed trial certificate (RSA 2048, SHA-256; CN = signer, O = agency, OU = 试用) and
 * stores it with a random passphrase that only the keychain knows.
 */
export async function createTrialIdentity(opts: TrialIdentityOptions): Promise<SigningIdentity> {
  const name = opts.signerName.trim();
  const agency = opts.agency.trim();
  if (!name) throw new AppError('VALIDATION', '请填写签名人姓名。');
  if (!agency) throw new AppError('VALIDATION', '请填写机关名称。');
  const now = opts.now ?? new Date();
  const days = opts.validityDays ?? 365;

  // Node generates the key (much faster than node-forge's JavaScript RSA); forge builds the certificate.
  const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048, publicExponent: 0x10001 });
  const key = forge.pki.privateKeyFromPem(privateKey.export({ type: 'pkcs1', format: 'pem' }).toString()) as forge.pki.rsa.PrivateKey;
  const publicKey = forge.pki.setRsaPublicKey(key.n, key.e);

  const cert = forge.pki.createCertificate();
  cert.publicKey = publicKey;
  const serial = crypto.randomBytes(16);
  serial[0] &= 0x7f; // positive INTEGER
  serial[0] |= 0x01; // and no leading zero byte
  cert.serialNumber = serial.toString('hex');
  cert.validity.notBefore = new Date(now.getTime() - 5 * 60_000);
  cert.validity.notAfter = new Date(now.getTime() + days * 86_400_000);
  const utf8 = forge.asn1.Type.UTF8;
  const attrs = [
    { shortName: 'CN', value: name, valueTagClass: utf8 },
    { shortName: 'O', value: agency, valueTagClass: utf8 },
    { shortName: 'OU', value: TRIAL_OU, valueTagClass: utf8 },
  ] as unknown as forge.pki.CertificateField[];
  cert.setSubject(attrs);
  cert.setIssuer(attrs);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, nonRepudiation: true },
    { name: 'extKeyUsage', emailProtection: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(key, forge.md.sha256.create());

  const passphrase = crypto.randomBytes(24).toString('base64url');
  const p12Asn1 = forge.pkcs12.toPkcs12Asn1(key, [cert], passphrase, {
    algorithm: 'aes256',
    // node-forge writes friendlyName bytes as given into a BMPString: hand it UTF-16BE.
    friendlyName: Buffer.from(`${name}（${TRIAL_OU}）`, 'utf16le').swap16().toString('binary'),
    generateLocalKeyId: true,
  });
  const p12 = Buffer.from(forge.asn1.toDer(p12Asn1).getBytes(), 'binary');
  // Read back what was written, as an import would, so the identity always describes the stored file.
  const info = inspectP12(p12, passphrase);
  return save(p12, passphrase, info, opts);
}

export interface LoadedSigningKey {
  identity: SigningIdentity;
  p12: Buffer;
  passphrase: string;
}

/** What the user is told when the keychain lost a trial certificate's passphrase (it cannot be imported again). */
export const TRIAL_PASSPHRASE_LOST =
  '系统钥匙串中没有该试用证书的口令，试用证书无法重新导入：请在“签名证书”中停用该试用证书，再生成新的试用证书。';

/**
 * The stored .p12 and its passphrase from the keychain, ready for signPdf/signDocx. `trial` (the
 * registered certificate is a trial one) changes what a lost passphrase asks of the user.
 */
export async function loadSigningKey(id: string, opts: IdentityStoreOptions, known?: { trial?: boolean }): Promise<LoadedSigningKey> {
  if (!/^[0-9a-f]{64}$/.test(id)) throw new AppError('VALIDATION', '签名证书标识无效。');
  const file = p12Path(opts.keysDir, id);
  if (!fs.existsSync(file)) throw new AppError('NOT_FOUND', '未找到该签名证书文件，请重新导入证书。');
  const passphrase = await opts.store.get(SIGNING_KEY_SERVICE, id);
  if (passphrase === null) throw new AppError('NOT_FOUND', known?.trial ? TRIAL_PASSPHRASE_LOST : '系统钥匙串中没有该签名证书的口令，请重新导入证书。');
  const p12 = fs.readFileSync(file);
  const info = inspectP12(p12, passphrase);
  return { identity: identityOf(info, file), p12, passphrase };
}

/** Every identity stored in the keys directory (files that no longer open are skipped). */
export async function listIdentities(opts: IdentityStoreOptions): Promise<SigningIdentity[]> {
  if (!fs.existsSync(opts.keysDir)) return [];
  const out: SigningIdentity[] = [];
  for (const f of fs.readdirSync(opts.keysDir).sort()) {
    const m = /^([0-9a-f]{64})\.p12$/.exec(f);
    if (!m) continue;
    try {
      out.push((await loadSigningKey(m[1], opts)).identity);
    } catch {
      // a file without its passphrase (or damaged) cannot sign; the caller offers re-import
    }
  }
  return out;
}

/** Removes the .p12 file and its passphrase. */
export async function deleteIdentity(id: string, opts: IdentityStoreOptions): Promise<void> {
  if (!/^[0-9a-f]{64}$/.test(id)) throw new AppError('VALIDATION', '签名证书标识无效。');
  await opts.store.delete(SIGNING_KEY_SERVICE, id);
  fs.rmSync(p12Path(opts.keysDir, id), { force: true });
}
