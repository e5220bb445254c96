// Signing stays personal (issue 14, point 5): on the agency server nobody's private key is held. The
// desktop (TeamClient with its DeskSigner, over real HTTPS to a real server) makes or imports the key,
// registers only the public certificate, and signs exactly what the server rendered; the server checks
// that the signatures verify over its own bytes, were made with the certificate registered to that user
// at the time it set, and only then stores and logs the three files. Every refusal stores nothing.
// On SQLite and on PostgreSQL.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { dispatch, type Session } from '../../main/core/api';
import { createDetachedCms } from '../../main/core/documents/cms';
import { createTrialIdentity, importP12Identity, loadSigningKey } from '../../main/core/documents/identity';
import { certToDer, openP12 } from '../../main/core/documents/pkcs12';
import { signedContent } from '../../main/core/documents/sign';
import { MemorySecretStore } from '../../main/core/secrets';
import { registrationStatement, type IssueRequestView } from '../../main/core/services/deskSigning';
import { finalizeDocument, previewDocument, saveDocument } from '../../main/core/services/documents';
import { createTrialIdentityFor, verifyBytes } from '../../main/core/services/issue';
import { DeskSigner, type ServerCall } from '../../main/core/services/signAtDesk';
import { DeskController, DESK_KEYS_DIR, type WindowSession } from '../../main/electron/deskHost';
import { startServer, type RunningServer } from '../../main/server/server';
import { openDb } from '../../main/core/db/open';
import { verifyChain } from '../../main/core/services/audit';
import type { Result } from '../../preload/contract';
import { makeFixture, PASSWORD, tempDir, type Fixture } from '../helpers/fixture';
import { finalOpinion as makeOpinion } from '../helpers/opinion';
import { selfSignedCert, type TestCert } from '../helpers/tlsCerts';

vi.setConfig({ testTimeout: 120_000, hookTimeout: 120_000 });

let f: Fixture;
let cert: TestCert;
let server: RunningServer;
let dir: string;
/** The server's clock: real time (the desk's trial certificates start now), movable by the test. */
const serverClock = { offsetMs: 0 };
const controllers: DeskController[] = [];

beforeAll(() => {
  cert = selfSignedCert();
});
beforeEach(async () => {
  f = await makeFixture();
  dir = tempDir('lrw-desksign-');
  serverClock.offsetMs = 0;
  server = await startServer({
    db: f.dbPath,
    files: path.join(f.dir, 'lrw.sqlite-files'),
    tls: { cert: cert.certPem, key: cert.keyPem },
    accessLog: () => undefined,
    now: () => new Date(Date.now() + serverClock.offsetMs),
    secrets: new MemorySecretStore(),
  });
});
afterEach(async () => {
  for (const c of controllers.splice(0)) c.close();
  await server.close();
  await f.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const finalOpinion = () => makeOpinion(f);

/** A desktop in team mode: its own user data folder (keys) and keychain, the server pinned. */
async function desktop(name: string) {
  const userDataDir = path.join(dir, name);
  fs.mkdirSync(userDataDir, { recursive: true });
  const keychain = new MemorySecretStore();
  const c = new DeskController({ userDataDir, explicitLocalDb: false, openLocal: async () => f.core, setBackend: () => undefined, onStatus: () => undefined, secrets: async () => keychain });
  controllers.push(c);
  await c.start();
  expect((await c.handle('desk.choose', { mode: 'server', url: server.url, fingerprint: cert.fingerprint }, { userId: null, token: null })).ok).toBe(true);
  const b = c.current;
  if (b?.kind !== 'server') throw new Error('not in team mode');
  const w: WindowSession = { userId: null, token: null };
  const call = (channel: string, input: unknown = {}) => b.client.handle(w, channel, input);
  return { call, keysDir: path.join(userDataDir, DESK_KEYS_DIR), keychain };
}

const value = <T,>(r: Result<unknown>): T => {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value as T;
};
const refusal = (r: Result<unknown>, code: string): string => {
  expect(r, JSON.stringify(r)).toMatchObject({ ok: false, error: { code } });
  return r.ok ? '' : r.error.message;
};

/** The server's core, as a signed-in user's requests reach it (the same dispatch the HTTP routes use). */
const onServer = (s: Session): ServerCall => (channel, input) => dispatch(server.core, s, channel, input);
const count = async (sql: string) => Number(await server.core.db.value(sql));
const snapshot = async () => ({
  identities: await count('SELECT COUNT(*) FROM signing_identities'),
  certificates: await count('SELECT COUNT(*) FROM identity_certificates'),
  issued: await count('SELECT COUNT(*) FROM issued_files'),
  events: await count('SELECT COUNT(*) FROM events'),
});

/** A key on this test's "desktop" that the server has never seen. */
async function unregisteredKey(name: string, now = new Date(), validityDays?: number) {
  const store = new MemorySecretStore();
  const keysDir = path.join(dir, `loose-${name}`);
  const id = await createTrialIdentity({ keysDir, store, signerName: name, agency: '某市市场监督管理局', now, ...(validityDays && { validityDays }) });
  const k = await loadSigningKey(id.id, { keysDir, store });
  return { id, opened: openP12(k.p12, k.passphrase), p12: k.p12, passphrase: k.passphrase };
}

describe('signing in team mode: the key stays on the desktop', () => {
  it('a trial certificate made on the desktop is registered by its public half; the desktop signs what the server rendered', async () => {
    const c = await finalOpinion();
    const desk = await desktop('reviewer-desk');
    value(await desk.call('auth.signIn', { username: 'reviewer', password: PASSWORD }));
    // The server itself refuses to make or use a key, as before.
    expect(refusal(await dispatch(server.core, { userId: f.reviewer.id }, 'signing.createTrial', {}), 'SIGNING_ON_DESKTOP')).toContain('本人电脑');

    const id = value<{ fingerprint: string; subjectCN: string; trial: boolean }>(await desk.call('signing.createTrial'));
    expect(id).toMatchObject({ subjectCN: '王审核', trial: true });
    // The key is on the desktop: the .p12 in its keys folder, the passphrase in its keychain.
    expect(fs.existsSync(path.join(desk.keysDir, `${id.fingerprint}.p12`))).toBe(true);
    const passphrase = await desk.keychain.get('legal-review-workstation/signing-key', id.fingerprint);
    expect(passphrase).toBeTruthy();
    // The server has the public certificate only: no .p12 in its keys folder, no passphrase in its store.
    expect(fs.existsSync(server.core.keysDir) ? fs.readdirSync(server.core.keysDir) : []).toEqual([]);
    const chain = (await server.core.db.value('SELECT chain_der FROM identity_certificates')) as string;
    const der = Buffer.from(chain.split(',')[0], 'base64');
    expect(der.subarray(0, 1)[0]).toBe(0x30);
    const dump = JSON.stringify(await server.core.db.all('SELECT * FROM signing_identities')) + chain + JSON.stringify(await server.core.db.all('SELECT payload_json FROM events'));
    expect(dump).not.toContain(passphrase!);
    const p12 = fs.readFileSync(path.join(desk.keysDir, `${id.fingerprint}.p12`));
    expect(dump).not.toContain(p12.toString('base64').slice(40, 120));
    expect(await server.core.db.value("SELECT payload_json FROM events WHERE action = 'identity.register'")).toContain(id.fingerprint);
    expect(value<{ fingerprint: string }[]>(await desk.call('signing.identities')).map((x) => x.fingerprint)).toEqual([id.fingerprint]);

    const files = value<{ id: number; format: string; sha256: string; name: string }[]>(await desk.call('documents.issue', { caseId: c.id, templateId: 'review-opinion' }));
    expect(files.map((x) => x.format)).toEqual(['pdf', 'docx', 'p7s']);
    const event = JSON.parse((await server.core.db.value("SELECT payload_json FROM events WHERE action = 'document.issue'")) as string);
    expect(event).toMatchObject({ signedOnDesk: true, certificate: { fingerprint: id.fingerprint, trial: true }, authorisedBy: { gate: expect.any(String) } });
    for (const x of files) expect(JSON.stringify(event.files)).toContain(x.sha256);
    expect(await count('SELECT COUNT(*) FROM issue_requests')).toBe(0);

    const pdf = Buffer.from(value<{ base64: string }>(await desk.call('documents.download', { issuedId: files[0].id })).base64, 'base64');
    const v = await verifyBytes(server.core, pdf, undefined, f.reviewer);
    expect(v).toMatchObject({ signed: true, intact: true, signer: '王审核', coversWholeDocument: true, issuedHere: { caseNo: c.caseNo } });
    expect(v.certificate?.trial).toBe(true);
    const docx = Buffer.from(value<{ base64: string }>(await desk.call('documents.download', { issuedId: files[1].id })).base64, 'base64');
    const p7s = Buffer.from(value<{ base64: string }>(await desk.call('documents.download', { issuedId: files[2].id })).base64, 'base64');
    expect(await verifyBytes(server.core, docx, p7s)).toMatchObject({ intact: true, signer: '王审核' });
    // Debian's tools agree.
    const out = path.join(dir, 'desk-issued.pdf');
    fs.writeFileSync(out, pdf);
    expect(spawnSync('pdfsig', [out], { encoding: 'utf8' }).stdout).toContain('Signature is Valid');
    expect(execFileSync('pdftotext', [out, '-'], { encoding: 'utf8' })).toContain('王审核');
    fs.writeFileSync(path.join(dir, 'o.docx'), docx);
    fs.writeFileSync(path.join(dir, 'o.p7s'), p7s);
    const ossl = spawnSync('openssl', ['cms', '-verify', '-binary', '-inform', 'DER', '-in', path.join(dir, 'o.p7s'), '-content', path.join(dir, 'o.docx'), '-noverify', '-out', '/dev/null'], { encoding: 'utf8' });
    expect(ossl.stderr).toContain('Verification successful');
    const art = path.resolve('test-artifacts/documents');
    fs.mkdirSync(art, { recursive: true });
    fs.copyFileSync(out, path.join(art, 'desk-signed-review-opinion.pdf'));
    // Issued once: a second issue of the same version is refused by the server's rules.
    expect(refusal(await desk.call('documents.issue', { caseId: c.id, templateId: 'review-opinion' }), 'CONFLICT')).toContain('新版本');
    // The chain, with the registration and the issue in it, verifies.
    expect(value<{ ok: boolean }>(await dispatch(server.core, { userId: f.admin.id }, 'audit.verify', {}))).toMatchObject({ ok: true });
  });

  it('an imported CA certificate is registered with its chain; another desktop of the same person cannot sign without the key', async () => {
    const c = await finalOpinion();
    const desk = await desktop('desk-a');
    value(await desk.call('auth.signIn', { username: 'reviewer', password: PASSWORD }));
    const loose = await unregisteredKey('王审核');
    const id = value<{ fingerprint: string }>(await desk.call('signing.import', { base64: loose.p12.toString('base64'), passphrase: loose.passphrase }));
    expect(id.fingerprint).toBe(loose.id.id);
    const other = await desktop('desk-b');
    value(await other.call('auth.signIn', { username: 'reviewer', password: PASSWORD }));
    // Each desktop says whether the key of the registered certificate is on it.
    expect(value<{ fingerprint: string; keyHere?: boolean }[]>(await desk.call('signing.identities'))).toEqual([expect.objectContaining({ fingerprint: id.fingerprint, keyHere: true })]);
    expect(value<{ fingerprint: string; keyHere?: boolean }[]>(await other.call('signing.identities'))).toEqual([expect.objectContaining({ fingerprint: id.fingerprint, keyHere: false })]);
    const before = await snapshot();
    expect(refusal(await other.call('documents.issue', { caseId: c.id, templateId: 'review-opinion' }), 'BAD_STATE')).toContain('不在这台电脑上');
    expect(await snapshot()).toEqual(before);
    // The desktop holding the key issues.
    expect(value<unknown[]>(await desk.call('documents.issue', { caseId: c.id, templateId: 'review-opinion' }))).toHaveLength(3);
  });

  it('a signer with a key registered at each of two desks issues at either, each with the key it holds', async () => {
    const c = await finalOpinion();
    const older = await desktop('desk-old');
    value(await older.call('auth.signIn', { username: 'reviewer', password: PASSWORD }));
    const first = value<{ fingerprint: string }>(await older.call('signing.createTrial'));
    const newer = await desktop('desk-new');
    value(await newer.call('auth.signIn', { username: 'reviewer', password: PASSWORD }));
    const second = value<{ fingerprint: string }>(await newer.call('signing.createTrial'));
    expect(second.fingerprint).not.toBe(first.fingerprint);
    // A certificate named by the desk that it does not hold, or that is not the signer's current one, is refused.
    const before = await snapshot();
    expect(refusal(await older.call('documents.issue', { caseId: c.id, templateId: 'review-opinion', fingerprint: second.fingerprint }), 'BAD_STATE')).toContain('不在这台电脑上');
    const s: Session = { userId: f.reviewer.id };
    expect(refusal(await onServer(s)('documents.prepareIssue', { caseId: c.id, templateId: 'review-opinion', fingerprint: 'ab'.repeat(32) }), 'BAD_STATE')).toContain('不是您现用的证书');
    expect(await snapshot()).toEqual(before);
    // The server's newest certificate is the second desk's; the first desk signs with its own (it was refused before).
    expect(value<unknown[]>(await older.call('documents.issue', { caseId: c.id, templateId: 'review-opinion' }))).toHaveLength(3);
    const logged = (await server.core.db.value(`SELECT payload_json FROM events WHERE action = 'document.issue' ORDER BY seq DESC LIMIT 1`)) as string;
    expect(logged).toContain(first.fingerprint);
    expect(logged).not.toContain(second.fingerprint);
  });
});

describe('registration: only a key the desktop holds, of a current certificate, for its own user', () => {
  it('refuses a proof by another key, a proof for another user, an expired certificate, a certificate of someone else, bad bytes; a local core refuses registering', async () => {
    const s: Session = { userId: f.reviewer.id };
    const k = await unregisteredKey('王审核');
    const chainBase64 = k.opened.chain.map((x) => certToDer(x).toString('base64'));
    const proofBy = (opened: typeof k.opened, username: string, fp = k.id.id) => createDetachedCms(registrationStatement(username, fp), opened, new Date()).toString('base64');
    const before = await snapshot();
    const stranger = await unregisteredKey('陌生人');
    expect(refusal(await onServer(s)('signing.register', { chainBase64, proofBase64: proofBy(stranger.opened, 'reviewer') }), 'SIGNATURE_REJECTED')).toContain('私钥');
    expect(refusal(await onServer(s)('signing.register', { chainBase64, proofBase64: proofBy(k.opened, 'reviewer2') }), 'SIGNATURE_REJECTED')).toContain('私钥');
    const old = await unregisteredKey('王审核', new Date(Date.now() - 3 * 86_400_000), 1);
    expect(refusal(await onServer(s)('signing.register', {
      chainBase64: old.opened.chain.map((x) => certToDer(x).toString('base64')),
      proofBase64: createDetachedCms(registrationStatement('reviewer', old.id.id), old.opened, new Date(Date.now() - 2.5 * 86_400_000)).toString('base64'),
    }), 'VALIDATION')).toContain('过期');
    expect(refusal(await onServer(s)('signing.register', { chainBase64: ['MIIBAAAA'], proofBase64: proofBy(k.opened, 'reviewer') }), 'VALIDATION')).toContain('证书');
    expect(refusal(await onServer(s)('signing.register', { chainBase64: ['不是base64'], proofBase64: 'x' }), 'VALIDATION')).toBeTruthy();
    expect(refusal(await onServer({ userId: f.admin.id })('signing.register', { chainBase64, proofBase64: proofBy(k.opened, 'admin') }), 'FORBIDDEN')).toBeTruthy();
    expect(await snapshot()).toEqual(before);

    // Registered once for the reviewer; the same certificate for another user is refused.
    value(await onServer(s)('signing.register', { chainBase64, proofBase64: proofBy(k.opened, 'reviewer') }));
    const after = await snapshot();
    expect(after).toMatchObject({ identities: before.identities + 1, certificates: before.certificates + 1, events: before.events + 1 });
    // Again by the same user: nothing new.
    value(await onServer(s)('signing.register', { chainBase64, proofBase64: proofBy(k.opened, 'reviewer') }));
    expect(await snapshot()).toEqual(after);
    expect(refusal(await onServer({ userId: f.reviewer2.id })('signing.register', { chainBase64, proofBase64: proofBy(k.opened, 'reviewer2') }), 'CONFLICT')).toContain('其他用户');
    // Retired, it cannot come back.
    value(await onServer(s)('signing.retire', { fingerprint: k.id.id }));
    expect(refusal(await onServer(s)('signing.register', { chainBase64, proofBase64: proofBy(k.opened, 'reviewer') }), 'BAD_STATE')).toContain('停用');
    // A registered certificate is a record: swapped behind the application's back (triggers off), verification names it.
    expect((await verifyChain(server.core)).ok).toBe(true);
    const attacker = await openDb(f.dbPath, { migrate: false });
    try {
      if (attacker.engine === 'sqlite') for (const t of ['identity_certificates_no_update', 'identity_certificates_chain_upd']) await attacker.exec(`DROP TRIGGER ${t}`);
      else await attacker.exec('ALTER TABLE identity_certificates DISABLE TRIGGER ALL');
      const otherCert = certToDer(stranger.opened.cert).toString('base64');
      expect(await attacker.run('UPDATE identity_certificates SET chain_der = ?', [otherCert])).toBe(1);
    } finally {
      await attacker.close();
    }
    const v = await verifyChain(server.core);
    expect(v.ok).toBe(false);
    expect(v.mismatch?.table).toBe('identity_certificates');
    // The single-desktop core holds the key itself: registering there is refused.
    expect(refusal(await dispatch(f.core, s, 'signing.register', { chainBase64, proofBase64: proofBy(k.opened, 'reviewer') }), 'BAD_STATE')).toContain('单机');
  });
});

describe('a store moved from a desktop (lrw db copy)', () => {
  it('an identity made on the desktop has no certificate on the server until its key registers it; then it issues', async () => {
    const c = await finalOpinion();
    // Made on the single desktop: the .p12 in its keys folder, the identity row in the (later copied) store.
    const local = await createTrialIdentityFor(f.core, f.reviewer);
    const s: Session = { userId: f.reviewer.id };
    const ref = { caseId: c.id, templateId: 'review-opinion' };
    expect(refusal(await onServer(s)('documents.prepareIssue', ref), 'BAD_STATE')).toContain('登记');
    const k = await loadSigningKey(local.fingerprint, { keysDir: f.core.keysDir, store: await f.core.secrets() });
    const opened = openP12(k.p12, k.passphrase);
    const identities = await count('SELECT COUNT(*) FROM signing_identities');
    value(await onServer(s)('signing.register', {
      chainBase64: opened.chain.map((x) => certToDer(x).toString('base64')),
      proofBase64: createDetachedCms(registrationStatement('reviewer', local.fingerprint), opened, new Date()).toString('base64'),
    }));
    expect(await count('SELECT COUNT(*) FROM signing_identities')).toBe(identities);
    expect(await count('SELECT COUNT(*) FROM identity_certificates')).toBe(1);
    // The desktop's key signs what the server prepares.
    const keysDir = path.join(dir, 'copied-keys');
    fs.mkdirSync(keysDir, { recursive: true });
    fs.copyFileSync(path.join(f.core.keysDir, `${local.fingerprint}.p12`), path.join(keysDir, `${local.fingerprint}.p12`));
    const keychain = new MemorySecretStore();
    await keychain.set('legal-review-workstation/signing-key', local.fingerprint, k.passphrase);
    const signer = new DeskSigner({ keysDir, secrets: async () => keychain });
    expect(value<unknown[]>(await signer.handle('documents.issue', ref, onServer(s)))).toHaveLength(3);
  });
});

describe('completing an issue: the server accepts only signatures over its own bytes, by the registered certificate, at its time', () => {
  it('refuses each forged or wrong completion and stores nothing; then the right one issues, once', async () => {
    const c = await finalOpinion();
    const s: Session = { userId: f.reviewer.id };
    const ref = { caseId: c.id, templateId: 'review-opinion' };
    // Not registered yet: nothing to prepare with.
    expect(refusal(await onServer(s)('documents.prepareIssue', ref), 'BAD_STATE')).toContain('登记');
    const keychain = new MemorySecretStore();
    const signer = new DeskSigner({ keysDir: path.join(dir, 'keys'), secrets: async () => keychain });
    value(await signer.handle('signing.createTrial', {}, onServer(s)));
    const fp = (await server.core.db.value('SELECT p12_sha256 FROM signing_identities WHERE user_id = ?', [f.reviewer.id])) as string;
    const k = await loadSigningKey(fp, { keysDir: path.join(dir, 'keys'), store: keychain });
    const mine = openP12(k.p12, k.passphrase);
    // The gate is the server's: the handler may not issue the review opinion.
    expect(refusal(await onServer({ userId: f.handler.id })('documents.prepareIssue', ref), 'FORBIDDEN')).toBeTruthy();

    const req = value<IssueRequestView>(await onServer(s)('documents.prepareIssue', ref));
    expect(req).toMatchObject({ fingerprint: fp, name: expect.stringContaining(`${c.caseNo}-法制审核意见书-第`) });
    const pdf = Buffer.from(req.pdfBase64, 'base64');
    const docx = Buffer.from(req.docxBase64, 'base64');
    const at = new Date(req.signingTime);
    const cms = (content: Buffer, opened = mine, when = at) => createDetachedCms(content, opened, when).toString('base64');
    const good = { requestId: req.requestId, pdfSignatureBase64: cms(signedContent(pdf)), p7sBase64: cms(docx) };
    const before = await snapshot();
    const complete = (input: unknown, who: Session = s) => onServer(who)('documents.completeIssue', input);

    // Signed with a key the server does not know for this user.
    const stranger = await unregisteredKey('王审核');
    expect(refusal(await complete({ ...good, pdfSignatureBase64: cms(signedContent(pdf), stranger.opened) }), 'SIGNATURE_REJECTED')).toContain('登记的签名证书');
    expect(refusal(await complete({ ...good, p7sBase64: cms(docx, stranger.opened) }), 'SIGNATURE_REJECTED')).toContain('Word');
    // Signed by the right key over other bytes (a changed PDF, a changed DOCX).
    const changed = Buffer.from(pdf);
    changed[400] ^= 1;
    expect(refusal(await complete({ ...good, pdfSignatureBase64: cms(signedContent(changed)) }), 'SIGNATURE_REJECTED')).toContain('PDF 签名无效');
    const changedDocx = Buffer.from(docx);
    changedDocx[docx.length - 20] ^= 1;
    expect(refusal(await complete({ ...good, p7sBase64: cms(changedDocx) }), 'SIGNATURE_REJECTED')).toContain('Word');
    // At another time than the server set.
    expect(refusal(await complete({ ...good, pdfSignatureBase64: cms(signedContent(pdf), mine, new Date(at.getTime() - 3600_000)) }), 'SIGNATURE_REJECTED')).toContain('时间');
    // Not a signature at all, or too big for the slot the server reserved.
    expect(refusal(await complete({ ...good, pdfSignatureBase64: Buffer.from('不是签名').toString('base64') }), 'SIGNATURE_REJECTED')).toBeTruthy();
    expect(refusal(await complete({ ...good, pdfSignatureBase64: Buffer.alloc(40_000, 1).toString('base64') }), 'SIGNATURE_REJECTED')).toContain('签名区');
    // Someone else's completion of my request; an unknown request.
    expect(refusal(await complete(good, { userId: f.reviewer2.id }), 'NOT_FOUND')).toBeTruthy();
    expect(refusal(await complete({ ...good, requestId: 'f'.repeat(32) }), 'NOT_FOUND')).toBeTruthy();
    expect(refusal(await complete({ ...good, requestId: 'nope' }), 'VALIDATION')).toBeTruthy();
    expect(await snapshot()).toEqual(before);

    // The right signatures: issued, and the request is used up.
    const files = value<{ format: string }[]>(await complete(good));
    expect(files.map((x) => x.format)).toEqual(['pdf', 'docx', 'p7s']);
    expect(refusal(await complete(good), 'NOT_FOUND')).toBeTruthy();
    expect(await snapshot()).toMatchObject({ issued: before.issued + 3, events: before.events + 1 });
  });

  it('a request goes stale: after 15 minutes, or when a new final version or another certificate came meanwhile', async () => {
    const c = await finalOpinion();
    const s: Session = { userId: f.reviewer.id };
    const ref = { caseId: c.id, templateId: 'review-opinion' };
    const keychain = new MemorySecretStore();
    const keysDir = path.join(dir, 'keys');
    const signer = new DeskSigner({ keysDir, secrets: async () => keychain });
    value(await signer.handle('signing.createTrial', {}, onServer(s)));
    const fp = (await server.core.db.value('SELECT p12_sha256 FROM signing_identities WHERE user_id = ?', [f.reviewer.id])) as string;
    const k = await loadSigningKey(fp, { keysDir, store: keychain });
    const mine = openP12(k.p12, k.passphrase);
    const signed = (req: IssueRequestView) => ({
      requestId: req.requestId,
      pdfSignatureBase64: createDetachedCms(signedContent(Buffer.from(req.pdfBase64, 'base64')), mine, new Date(req.signingTime)).toString('base64'),
      p7sBase64: createDetachedCms(Buffer.from(req.docxBase64, 'base64'), mine, new Date(req.signingTime)).toString('base64'),
    });
    const before = await snapshot();

    const late = value<IssueRequestView>(await onServer(s)('documents.prepareIssue', ref));
    serverClock.offsetMs = 16 * 60_000;
    expect(refusal(await onServer(s)('documents.completeIssue', signed(late)), 'BAD_STATE')).toContain('15分钟');
    serverClock.offsetMs = 0;

    const superseded = value<IssueRequestView>(await onServer(s)('documents.prepareIssue', ref));
    const p = await previewDocument(f.core, f.reviewer, ref);
    await saveDocument(f.core, f.reviewer, { ...ref, model: p.model, note: '更正', expectedVersion: 2 });
    await finalizeDocument(f.core, f.reviewer, { ...ref, expectedVersion: 3 });
    expect(refusal(await onServer(s)('documents.completeIssue', signed(superseded)), 'BAD_STATE')).toContain('新的定稿版本');

    // A new key meanwhile leaves the prepared one current (the signer may hold keys at two desks); a
    // certificate retired meanwhile does not sign.
    const rekeyed = value<IssueRequestView>(await onServer(s)('documents.prepareIssue', ref));
    value(await signer.handle('signing.createTrial', {}, onServer(s)));
    value(await onServer(s)('signing.retire', { fingerprint: fp }));
    expect(refusal(await onServer(s)('documents.completeIssue', signed(rekeyed)), 'BAD_STATE')).toContain('已停用');
    expect(await snapshot()).toMatchObject({ issued: before.issued, identities: before.identities + 1 });

    // The same desktop, with its newest key, issues the new final version.
    const files = value<{ name: string }[]>(await signer.handle('documents.issue', ref, onServer(s)));
    expect(files[0].name).toContain('第4版');
  });
});
