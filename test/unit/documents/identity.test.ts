// Signing identities with the in-memory secret store: trial certificates, import, where the passphrase
// lives, and the CMS signatures made with them (checked with Node's crypto, no external tools).
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import forge from 'node-forge';
import { afterAll, describe, expect, it } from 'vitest';
import { checkDetachedCms, createDetachedCms, derLength } from '../../../main/core/documents/cms';
import {
  createTrialIdentity,
  deleteIdentity,
  importP12Identity,
  inspectP12,
  listIdentities,
  loadSigningKey,
  SIGNING_KEY_SERVICE,
} from '../../../main/core/documents/identity';
import { openP12 } from '../../../main/core/documents/pkcs12';
import { verifyDetached } from '../../../main/core/documents/verify';
import { MemorySecretStore, type SecretStore } from '../../../main/core/secrets/index';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lrw-identity-'));
afterAll(async () => fs.rmSync(dir, { recursive: true, force: true }));

describe('trial signing identity', () => {
  it('is a self-signed RSA 2048 / SHA-256 certificate for the signer, marked 试用', async () => {
    const store = new MemorySecretStore();
    const keysDir = path.join(dir, 'trial');
    const now = new Date();
    const id = await createTrialIdentity({ signerName: '张三', agency: '某市市场监督管理局', keysDir, store, now });
    expect(id).toMatchObject({ subjectCN: '张三', organization: '某市市场监督管理局', trial: true, selfSigned: true });
    expect(id.subject).toBe('OU=试用, O=某市市场监督管理局, CN=张三');
    expect(Math.round((id.notAfter.getTime() - now.getTime()) / 86_400_000)).toBe(365);

    const p12 = fs.readFileSync(id.file);
    const passphrase = (await store.get(SIGNING_KEY_SERVICE, id.id))!;
    const { cert, key } = openP12(p12, passphrase);
    expect(key.n.bitLength()).toBe(2048);
    expect(cert.siginfo.algorithmOid).toBe(forge.pki.oids.sha256WithRSAEncryption);
    // Node's X.509 parser agrees on the subject (UTF8String, not mangled).
    const x = new crypto.X509Certificate(Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(cert)).getBytes(), 'binary'));
    expect(x.subject).toContain('CN=张三');
    expect(x.subject).toContain('OU=试用');
    expect(x.verify(x.publicKey)).toBe(true);
    expect(x.fingerprint256.replace(/:/g, '').toLowerCase()).toBe(id.id);
    // The friendly name is a proper BMPString (UTF-16BE), not truncated characters.
    const pfx = forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(p12.toString('binary')), false, passphrase);
    const bag = pfx.getBags({ bagType: forge.pki.oids.certBag })[forge.pki.oids.certBag]![0];
    expect(Buffer.from(bag.attributes.friendlyName[0], 'binary').swap16().toString('utf16le')).toBe('张三（试用）');
  });

  it('keeps the passphrase only in the secret store, and the .p12 readable by its owner only', async () => {
    const store = new MemorySecretStore();
    const keysDir = path.join(dir, 'where');
    const id = await createTrialIdentity({ signerName: '李四', agency: '某县司法局', keysDir, store });
    const passphrase = (await store.get(SIGNING_KEY_SERVICE, id.id))!;
    expect(passphrase.length).toBeGreaterThanOrEqual(32);
    expect(store.size).toBe(1);
    expect(fs.readdirSync(keysDir)).toEqual([`${id.id}.p12`]);
    expect(fs.readFileSync(id.file).includes(Buffer.from(passphrase))).toBe(false);
    if (process.platform !== 'win32') expect(fs.statSync(id.file).mode & 0o777).toBe(0o600);
    expect(JSON.stringify(id)).not.toContain(passphrase);
  });

  it('loads, lists and deletes identities', async () => {
    const store = new MemorySecretStore();
    const keysDir = path.join(dir, 'list');
    const a = await createTrialIdentity({ signerName: '甲', agency: '某局', keysDir, store });
    const b = await createTrialIdentity({ signerName: '乙', agency: '某局', keysDir, store });
    expect((await listIdentities({ keysDir, store })).map((i) => i.subjectCN).sort()).toEqual(['乙', '甲'].sort());
    const loaded = await loadSigningKey(a.id, { keysDir, store });
    expect(loaded.identity.subjectCN).toBe('甲');
    await deleteIdentity(a.id, { keysDir, store });
    await expect(loadSigningKey(a.id, { keysDir, store })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect((await listIdentities({ keysDir, store })).map((i) => i.id)).toEqual([b.id]);
    // A .p12 whose passphrase is gone from the keychain cannot be used and says so.
    await store.delete(SIGNING_KEY_SERVICE, b.id);
    await expect(loadSigningKey(b.id, { keysDir, store })).rejects.toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining('钥匙串') });
    await expect(loadSigningKey('../etc/passwd', { keysDir, store })).rejects.toMatchObject({ code: 'VALIDATION' });
  });

  it('leaves no file behind when the keychain refuses the passphrase', async () => {
    const failing: SecretStore = {
      get: async () => null,
      set: async () => {
        throw new Error('keychain locked');
      },
      delete: async () => false,
    };
    const keysDir = path.join(dir, 'failing');
    await expect(createTrialIdentity({ signerName: '丙', agency: '某局', keysDir, store: failing })).rejects.toThrow('keychain locked');
    expect(fs.readdirSync(keysDir)).toEqual([]);
  });

  it('requires a signer name and an agency', async () => {
    const store = new MemorySecretStore();
    await expect(createTrialIdentity({ signerName: ' ', agency: '某局', keysDir: dir, store })).rejects.toMatchObject({ code: 'VALIDATION' });
    await expect(createTrialIdentity({ signerName: '丁', agency: '', keysDir: dir, store })).rejects.toMatchObject({ code: 'VALIDATION' });
  });
});

describe('importing a .p12', () => {
  it('re-imports an exported identity and refuses wrong passphrases and garbage', async () => {
    const store = new MemorySecretStore();
    const src = await createTrialIdentity({ signerName: '赵六', agency: '某局', keysDir: path.join(dir, 'src'), store });
    const p12 = fs.readFileSync(src.file);
    const passphrase = (await store.get(SIGNING_KEY_SERVICE, src.id))!;
    expect(inspectP12(p12, passphrase).subject.CN).toBe('赵六');
    await expect((async () => inspectP12(p12, 'wrong'))()).rejects.toThrow(/口令错误/);
    await expect((async () => inspectP12(Buffer.from('garbage'), passphrase))()).rejects.toThrow(/口令错误/);
    const other = new MemorySecretStore();
    const imported = await importP12Identity({ p12, passphrase, keysDir: path.join(dir, 'dst'), store: other });
    expect(imported.id).toBe(src.id);
    expect(await other.get(SIGNING_KEY_SERVICE, imported.id)).toBe(passphrase);
  });

  it('refuses a .p12 without a private key', async () => {
    const keys = forge.pki.rsa.generateKeyPair({ bits: 512, e: 0x10001 });
    const cert = forge.pki.createCertificate();
    cert.publicKey = keys.publicKey;
    cert.serialNumber = '01';
    cert.validity.notBefore = new Date();
    cert.validity.notAfter = new Date(Date.now() + 86_400_000);
    cert.setSubject([{ shortName: 'CN', value: 'x' }]);
    cert.setIssuer([{ shortName: 'CN', value: 'x' }]);
    cert.sign(keys.privateKey, forge.md.sha256.create());
    const certOnly = forge.pkcs12.toPkcs12Asn1(null, [cert], 'pw', { algorithm: '3des' });
    const bytes = Buffer.from(forge.asn1.toDer(certOnly).getBytes(), 'binary');
    await expect((async () => inspectP12(bytes, 'pw'))()).rejects.toThrow(/没有私钥/);
  });
});

describe('detached CMS', () => {
  it('signs and verifies, and reports a changed byte or a broken signature', async () => {
    const store = new MemorySecretStore();
    const id = await createTrialIdentity({ signerName: '钱七', agency: '某局', keysDir: path.join(dir, 'cms'), store });
    const opened = openP12(fs.readFileSync(id.file), (await store.get(SIGNING_KEY_SERVICE, id.id))!);
    const content = Buffer.from('某监法审〔2026〕12号 法制审核意见书');
    const at = new Date(Math.floor(Date.now() / 1000) * 1000);
    const cms = createDetachedCms(content, opened, at);
    expect(derLength(Buffer.concat([cms, Buffer.alloc(100)]))).toBe(cms.length);
    const hash = (c: Buffer) => (alg: string) => crypto.createHash(alg).update(c).digest();
    const good = checkDetachedCms(cms, hash(content));
    expect(good).toMatchObject({ digestMatches: true, signatureValid: true, digestAlgorithm: 'sha256' });
    expect(good.signingTime?.getTime()).toBe(at.getTime());
    expect(good.signer?.subject.CN).toBe('钱七');

    const changed = Buffer.from(content);
    changed[0] ^= 1;
    expect(checkDetachedCms(cms, hash(changed))).toMatchObject({ digestMatches: false, signatureValid: true });
    const broken = Buffer.from(cms);
    broken[broken.length - 5] ^= 1;
    expect(checkDetachedCms(broken, hash(content))).toMatchObject({ digestMatches: true, signatureValid: false });
    const garbage = checkDetachedCms(Buffer.from('3003020101', 'hex'), hash(content));
    expect(garbage.signatureValid).toBe(false);
    expect(garbage.problem).toMatch(/无法解析/);
    expect(verifyDetached(content, cms).intact).toBe(true);
  });
});

describe('MemorySecretStore', () => {
  it('keeps secrets per service and account', async () => {
    const s = new MemorySecretStore();
    await s.set('a', 'x', '1');
    await s.set('b', 'x', '2');
    expect(await s.get('a', 'x')).toBe('1');
    expect(await s.get('b', 'x')).toBe('2');
    expect(await s.get('a', 'y')).toBeNull();
    expect(await s.delete('a', 'x')).toBe(true);
    expect(await s.delete('a', 'x')).toBe(false);
    expect(s.size).toBe(1);
  });
});
