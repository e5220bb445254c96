// The record-signing key, signed checkpoints of the chain head and outside witnesses (issue 11, points
// 3–4): truncation past a checkpoint, a rewrite with every hash recomputed (against an exported checkpoint
// and an issued PDF), a forged checkpoint, a replaced public key, no key at hand, the remembered head.
// The attacker works as a copy of the database allows: triggers dropped (SQLite) or disabled (PostgreSQL).
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { allConform, caseInput, makeFixture, PASSWORD, tempDir, type Fixture } from '../helpers/fixture';
import { freshTarget } from '../helpers/engine';
import { refusedAsync } from '../helpers/refuse';
import { closeCore, openCore, tx, type Core } from '../../main/core/services/core';
import { setup } from '../../main/core/services/setup';
import { appendEvent } from '../../main/core/services/audit';
import { canonicalJson, eventHash, GENESIS_HASH, sha256Hex } from '../../main/core/domain/audit';
import { submitCase } from '../../main/core/services/cases';
import { issueReview, takeCase } from '../../main/core/services/reviews';
import { finalizeDocument, previewDocument, saveDocument } from '../../main/core/services/documents';
import { createTrialIdentityFor, downloadIssued, issueDocument } from '../../main/core/services/issue';
import {
  checkCheckpoints,
  checkpointLink,
  checkpointMessage,
  checkRememberedHead,
  FIRST_PREV,
  FULL_SIGNATURE_CHECK,
  checkWitnesses,
  exportCheckpoint,
  exportRecordKey,
  fingerprintOf,
  importRecordKey,
  initRecordKey,
  maybeCheckpoint,
  RECORD_KEY_SERVICE,
  recordKeyStatus,
  rememberVerifiedHead,
  storeLocation,
  type CheckpointFile,
} from '../../main/core/services/checkpoints';
import { MemorySecretStore, type SecretStore } from '../../main/core/secrets';
import type { Store } from '../../main/core/db/store';
import type { EventRow } from '../../main/core/db/repos/events';

let f: Fixture;
let stateDir: string;
beforeEach(async () => {
  f = await makeFixture();
  stateDir = tempDir('lrw-state-');
  process.env.LRW_STATE_DIR = stateDir;
});
afterEach(async () => {
  await f.close();
  delete process.env.LRW_STATE_DIR;
  fs.rmSync(stateDir, { recursive: true, force: true });
});

type Ev = EventRow;
const events = (db: Store) => db.all<Ev>('SELECT * FROM events ORDER BY seq');

/** What the lead's verifier hands over: the chain's hash at each seq, and the head. */
async function chainView(core: Core): Promise<{ hashAt: (seq: number) => string | undefined; head: { seq: number; hash: string } | null }> {
  const all = await events(core.db);
  const m = new Map(all.map((e) => [e.seq, e.hash]));
  const last = all[all.length - 1];
  return { hashAt: (s) => m.get(s), head: last ? { seq: last.seq, hash: last.hash } : null };
}

/**
 * maybeCheckpoint for every event that has none yet: appendEvent calls it once the lead wires it in; until
 * then (and harmlessly after) the test calls it as appendEvent would, inside a transaction.
 */
async function settle(core: Core): Promise<void> {
  const have = new Set((await core.db.column<number | string>('SELECT seq FROM checkpoints')).map(Number));
  for (const e of await events(core.db)) {
    if (!have.has(e.seq)) await tx(core, () => maybeCheckpoint(core, { seq: e.seq, hash: e.hash, action: e.action }));
  }
}

/** n cheap events (an action no rule reads), as ordinary use would add. */
async function addEvents(core: Core, n: number): Promise<void> {
  for (let i = 0; i < n; i++) await tx(core, () => appendEvent(core, f.admin, 'test.tick', null, { i }));
  await settle(core);
}

/** The fixture's template key has no private half anywhere: a test that signs rotates to a key of its own. */
async function withKey(core = f.core, algorithm: 'ed25519' | 'sm2' = 'ed25519') {
  return await initRecordKey(core, f.admin, { rotate: true, algorithm });
}

/** The attacker's handle on the same store: protecting triggers off. */
async function unprotect(db: Store): Promise<void> {
  if (db.engine === 'sqlite') {
    for (const t of await db.column<string>("SELECT name FROM sqlite_master WHERE type = 'trigger'")) await db.exec(`DROP TRIGGER "${t}"`);
  } else {
    for (const t of ['events', 'checkpoints', 'record_keys']) await db.exec(`ALTER TABLE ${t} DISABLE TRIGGER ALL`);
  }
}

/** Edits one event and recomputes every hash after it, as an attacker holding the database would. */
async function rewriteFrom(db: Store, seq: number, payload: unknown): Promise<void> {
  let prev = GENESIS_HASH;
  for (const e of await events(db)) {
    if (e.seq < seq) {
      prev = e.hash;
      continue;
    }
    const payloadJson = e.seq === seq ? canonicalJson(payload) : e.payload_json;
    const payloadDigest = sha256Hex(payloadJson);
    const hash = eventHash({ seq: e.seq, at: e.at, actorId: e.actor_id, actorName: e.actor_name, action: e.action, caseId: e.case_id, payloadDigest, prevHash: prev });
    await db.run('UPDATE events SET payload_json = ?, payload_digest = ?, prev_hash = ?, hash = ? WHERE seq = ?', [payloadJson, payloadDigest, prev, hash, e.seq]);
    prev = hash;
  }
}

async function issuedPdf(): Promise<Buffer> {
  const c = await submitCase(f.core, f.handler, caseInput(f));
  await takeCase(f.core, f.reviewer, c.id);
  await issueReview(f.core, f.reviewer, { caseId: c.id, findings: allConform(), outcome: 'agree', opinion: '经审核，事实清楚，证据确凿，适用依据正确，程序合法，同意。' });
  const p = await previewDocument(f.core, f.reviewer, { caseId: c.id, templateId: 'review-opinion' });
  await saveDocument(f.core, f.reviewer, { caseId: c.id, templateId: 'review-opinion', model: p.model });
  await finalizeDocument(f.core, f.reviewer, { caseId: c.id, templateId: 'review-opinion' });
  await createTrialIdentityFor(f.core, f.reviewer);
  const files = await issueDocument(f.core, f.reviewer, { caseId: c.id, templateId: 'review-opinion' });
  await settle(f.core);
  return Buffer.from((await downloadIssued(f.core, f.reviewer, files[0].id)).base64, 'base64');
}

function writeJson(name: string, value: unknown): string {
  const file = path.join(f.dir, name);
  fs.writeFileSync(file, JSON.stringify(value));
  return file;
}

describe('the record-signing key', () => {
  it('is made at setup: private key in the keychain only, public key and fingerprint in the database, creation an event', async () => {
    const dir = tempDir();
    const t = await freshTarget(dir);
    const secrets = new MemorySecretStore();
    const core = await openCore({ dbPath: t.target, filesDir: t.filesDir, secrets });
    try {
      const admin = await setup(core, { agencyName: '某县司法局', docPrefix: '某司', admin: { username: 'root', displayName: '管理员乙', password: PASSWORD } });
      const st = await recordKeyStatus(core);
      expect(st).toMatchObject({ privateKeyHere: true, problem: null, key: { algorithm: 'ed25519' } });
      expect(st.key!.publicKeyPem).toContain('BEGIN PUBLIC KEY');
      expect(st.key!.fingerprint).toBe(fingerprintOf(st.key!.publicKeyPem));
      const entry = await secrets.get(RECORD_KEY_SERVICE, storeLocation(core));
      expect(entry).toContain('PRIVATE KEY');
      const pkcs8 = (JSON.parse(entry!) as { pkcs8: string }).pkcs8;
      const body = pkcs8.split('\n').slice(1, -2).join('');
      // Nowhere in the database: not in any table's rows.
      const dump = JSON.stringify(await core.db.all('SELECT * FROM record_keys')) + JSON.stringify(await core.db.all('SELECT * FROM events'));
      expect(dump).not.toContain(body.slice(0, 40));
      const ev = await core.db.get<{ actor_id: number; payload_json: string }>("SELECT actor_id, payload_json FROM events WHERE action = 'record.key.create'");
      expect(ev?.actor_id).toBe(admin.id);
      expect(JSON.parse(ev!.payload_json)).toMatchObject({ algorithm: 'ed25519', fingerprint: st.key!.fingerprint, storage: 'keychain' });
      // A second key only by rotation.
      expect(await refusedAsync(initRecordKey(core, admin), 'CONFLICT')).toContain('私钥在本机');
      expect(await refusedAsync(initRecordKey(core, f.handler), 'FORBIDDEN')).toContain('管理记录签名密钥');
    } finally {
      await closeCore(core);
      await t.drop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('SM2 with SM3 (国密): checkpoints verify here and with openssl', async () => {
    const k = await withKey(f.core, 'sm2');
    expect(k.algorithm).toBe('sm2');
    await addEvents(f.core, 100);
    const cp = await f.core.db.get<{ seq: number; hash: string; at: string; reason: string; prev: string; signature: string }>("SELECT * FROM checkpoints WHERE reason = 'interval'");
    expect(cp).toBeTruthy();
    const { hashAt, head } = await chainView(f.core);
    const r = await checkCheckpoints(f.core, hashAt, head);
    expect(r.mismatch).toBeNull();
    expect(r.count).toBeGreaterThan(0);
    // The signed bytes are the documented message; openssl (OpenSSL 3, SM2 + SM3) agrees.
    const msg = checkpointMessage({ agency: '某市市场监督管理局', seq: cp!.seq, hash: cp!.hash, at: cp!.at, reason: cp!.reason, prev: cp!.prev });
    expect(msg.toString('utf8')).toBe(`lrw-checkpoint/1\nagency="某市市场监督管理局"\nseq=${cp!.seq}\nhash=${cp!.hash}\nat=${cp!.at}\nreason=interval\nprev=${cp!.prev}\n`);
    expect(cp!.prev).toMatch(/^[0-9a-f]{64}$/);
    fs.writeFileSync(path.join(f.dir, 'msg'), msg);
    fs.writeFileSync(path.join(f.dir, 'sig'), Buffer.from(cp!.signature, 'base64'));
    fs.writeFileSync(path.join(f.dir, 'pub.pem'), k.publicKeyPem);
    expect(execFileSync('openssl', ['dgst', '-sm3', '-verify', path.join(f.dir, 'pub.pem'), '-signature', path.join(f.dir, 'sig'), path.join(f.dir, 'msg')], { encoding: 'utf8' })).toContain('Verified OK');
  });

  it('on a server: in a key file readable only by the service (0600), never in the keychain; a loose file is not used', async () => {
    const keyFile = path.join(f.dir, 'keys', 'record-key.pem');
    const secrets = new MemorySecretStore();
    const core = await openCore({ dbPath: f.dbPath, filesDir: `${f.dbPath}-files`, secrets, recordKeyFile: keyFile, now: () => f.clock.now });
    try {
      const k = await initRecordKey(core, f.admin, { rotate: true });
      expect(fs.statSync(keyFile).mode & 0o777).toBe(0o600);
      expect(secrets.size).toBe(0);
      expect(fingerprintOf(crypto.createPublicKey(fs.readFileSync(keyFile, 'utf8')).export({ type: 'spki', format: 'pem' }) as string)).toBe(k.fingerprint);
      expect((await recordKeyStatus(core)).privateKeyHere).toBe(true);
      fs.chmodSync(keyFile, 0o644);
      const st = await recordKeyStatus(core);
      expect(st.privateKeyHere).toBe(false);
      expect(st.problem).toContain('权限过宽');
    } finally {
      await closeCore(core);
    }
  });

  it('exports passphrase-protected and imports on another desktop; a wrong passphrase or another store’s key is refused', async () => {
    const k = await withKey();
    expect(await refusedAsync(exportRecordKey(f.core, f.admin, 'short'), 'VALIDATION')).toContain('至少');
    const { pem, fingerprint } = await exportRecordKey(f.core, f.admin, '保险柜口令-2026');
    expect(fingerprint).toBe(k.fingerprint);
    expect(pem).toContain('ENCRYPTED PRIVATE KEY');
    expect(await f.core.db.value("SELECT COUNT(*) FROM events WHERE action = 'record.key.export'")).toBe(1);
    // Another desktop (its own keychain) on the same store holds nothing, then imports.
    const other = await openCore({ dbPath: f.dbPath, filesDir: `${f.dbPath}-files`, secrets: new MemorySecretStore(), now: () => f.clock.now });
    try {
      expect((await recordKeyStatus(other)).privateKeyHere).toBe(false);
      expect(await refusedAsync(importRecordKey(other, f.admin, pem, '错误口令12345'), 'VALIDATION')).toContain('口令错误');
      const stranger = crypto.generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'abcdefgh' }) as string;
      expect(await refusedAsync(importRecordKey(other, f.admin, stranger, 'abcdefgh'), 'VALIDATION')).toContain('不是本记录库当前的记录签名密钥');
      await importRecordKey(other, f.admin, pem, '保险柜口令-2026');
      expect((await recordKeyStatus(other)).privateKeyHere).toBe(true);
    } finally {
      await closeCore(other);
    }
  });
});

describe('signed checkpoints', () => {
  it('are written every 100 events, at every issue and at clean shutdown, and each signature holds', async () => {
    await withKey();
    const start = (await chainView(f.core)).head!.seq;
    await addEvents(f.core, 200 - start);
    const pdf = await issuedPdf();
    expect(pdf.length).toBeGreaterThan(1000);
    const rows = await f.core.db.all<{ seq: number; reason: string }>('SELECT seq, reason FROM checkpoints ORDER BY id');
    expect(rows.filter((r) => r.reason === 'interval').map((r) => r.seq)).toEqual([100, 200]);
    const issueSeq = Number(await f.core.db.value("SELECT seq FROM events WHERE action = 'document.issue'"));
    expect(rows).toContainEqual({ seq: issueSeq, reason: 'issue' });
    // A clean shutdown after more writes signs the head; a second one with nothing new signs nothing.
    await tx(f.core, () => appendEvent(f.core, f.admin, 'test.tick', null, { last: true }));
    const headSeq = (await chainView(f.core)).head!.seq;
    const again = await openCore({ dbPath: f.dbPath, filesDir: `${f.dbPath}-files`, secrets: await f.core.secrets(), now: () => f.clock.now });
    await closeCore(again);
    const after = await f.core.db.all<{ seq: number; reason: string }>("SELECT seq, reason FROM checkpoints WHERE reason = 'shutdown' AND seq > ?", [start]);
    expect(after).toEqual([{ seq: headSeq, reason: 'shutdown' }]);
    const again2 = await openCore({ dbPath: f.dbPath, filesDir: `${f.dbPath}-files`, secrets: await f.core.secrets(), now: () => f.clock.now });
    await closeCore(again2);
    expect(await f.core.db.value("SELECT COUNT(*) FROM checkpoints WHERE reason = 'shutdown' AND seq > ?", [start])).toBe(1);
    const { hashAt, head } = await chainView(f.core);
    const r = await checkCheckpoints(f.core, hashAt, head);
    expect(r).toMatchObject({ mismatch: null, latestSeq: headSeq, warnings: [] });
    // 100, 200, the issue, the shutdown (and the fixture template's own shutdown checkpoint).
    expect(Number(await f.core.db.value('SELECT COUNT(*) FROM checkpoints WHERE seq > ?', [start]))).toBe(4);
    expect(r.count).toBe(Number(await f.core.db.value('SELECT COUNT(*) FROM checkpoints')));
  });

  it('catch a truncation past the latest checkpoint, naming the event', async () => {
    await withKey();
    await addEvents(f.core, 105);
    await unprotect(f.core.db);
    const latest = Number(await f.core.db.value('SELECT MAX(seq) FROM checkpoints'));
    await f.core.db.run('DELETE FROM events WHERE seq >= ?', [latest]);
    const { hashAt, head } = await chainView(f.core);
    const r = await checkCheckpoints(f.core, hashAt, head);
    expect(r.mismatch).toMatchObject({ kind: 'chain', seq: latest });
    expect(r.mismatch!.message).toContain(`第 ${latest} 号事件`);
    expect(r.mismatch!.message).toContain('截断');
  });

  it('catch a rewrite with every hash recomputed (the checkpoint’s hash no longer on the chain)', async () => {
    await withKey();
    const start = (await chainView(f.core)).head!.seq;
    await addEvents(f.core, 100);
    await unprotect(f.core.db);
    await rewriteFrom(f.core.db, start + 5, { forged: true });
    const { hashAt, head } = await chainView(f.core);
    const r = await checkCheckpoints(f.core, hashAt, head);
    expect(r.mismatch?.kind).toBe('chain');
    expect(r.mismatch!.message).toMatch(/第 \d+ 号事件的哈希与已签名的检查点（编号 \d+）不符.*被改写/);
    // An edited checkpoint (hash made to fit) no longer carries a valid signature.
    const cp = await f.core.db.get<{ id: number; seq: number }>('SELECT id, seq FROM checkpoints ORDER BY id DESC LIMIT 1');
    await f.core.db.run('UPDATE checkpoints SET hash = ? WHERE id = ?', [hashAt(cp!.seq), cp!.id]);
    const r2 = await checkCheckpoints(f.core, hashAt, head);
    expect(r2.mismatch).toMatchObject({ kind: 'checkpoint', seq: cp!.seq });
    expect(r2.mismatch!.message).toContain('签名不成立');
  });

  it('are linked: a checkpoint removed from the middle is caught', async () => {
    await withKey();
    await addEvents(f.core, 300);
    const ids = (await f.core.db.column<number | string>('SELECT id FROM checkpoints ORDER BY id')).map(Number);
    const { hashAt, head } = await chainView(f.core);
    expect((await checkCheckpoints(f.core, hashAt, head)).mismatch).toBeNull();
    await unprotect(f.core.db);
    const middle = await f.core.db.get<{ id: number; seq: number }>('SELECT id, seq FROM checkpoints WHERE id = ?', [ids[ids.length - 2]]);
    await f.core.db.run('DELETE FROM checkpoints WHERE id = ?', [middle!.id]);
    const r = await checkCheckpoints(f.core, hashAt, head);
    expect(r.mismatch?.kind).toBe('checkpoint');
    expect(r.mismatch!.message).toContain('与前一个检查点的链接不符');
    expect(FULL_SIGNATURE_CHECK).toBeGreaterThanOrEqual(100);
  });

  it(`past ${FULL_SIGNATURE_CHECK} checkpoints: an edited older one breaks the link, an edited latest one its signature`, async () => {
    await withKey();
    const h = (await events(f.core.db)).pop()!;
    // Many issue checkpoints of one head (as a busy agency accumulates over a year).
    await tx(f.core, async () => {
      for (let i = 0; i <= FULL_SIGNATURE_CHECK; i++) await maybeCheckpoint(f.core, { seq: h.seq, hash: h.hash, action: 'document.issue' });
    });
    const { hashAt, head } = await chainView(f.core);
    expect((await checkCheckpoints(f.core, hashAt, head)).mismatch).toBeNull();
    await unprotect(f.core.db);
    const ids = (await f.core.db.column<number | string>('SELECT id FROM checkpoints ORDER BY id')).map(Number);
    await f.core.db.run("UPDATE checkpoints SET at = '2026-01-01T00:00:00.000Z' WHERE id = ?", [ids[500]]);
    let r = await checkCheckpoints(f.core, hashAt, head);
    expect(r.mismatch!.message).toContain('与前一个检查点的链接不符');
    await f.core.db.run("UPDATE checkpoints SET at = (SELECT at FROM checkpoints WHERE id = ?) WHERE id = ?", [ids[499], ids[500]]);
    expect((await checkCheckpoints(f.core, hashAt, head)).mismatch).toBeNull();
    await f.core.db.run("UPDATE checkpoints SET reason = 'interval' WHERE id = ?", [ids[ids.length - 1]]);
    r = await checkCheckpoints(f.core, hashAt, head);
    expect(r.mismatch!.message).toContain('签名不成立');
  });

  it('without a private key at hand: writes still succeed, no checkpoint is signed, verification warns', async () => {
    // The fixture's store has a public key whose private half this desktop does not hold.
    const before = Number(await f.core.db.value('SELECT COUNT(*) FROM checkpoints'));
    await addEvents(f.core, 120);
    expect(Number(await f.core.db.value('SELECT COUNT(*) FROM checkpoints'))).toBe(before);
    let { hashAt, head } = await chainView(f.core);
    let r = await checkCheckpoints(f.core, hashAt, head);
    expect(r.mismatch).toBeNull();
    expect(r.warnings.join('')).toContain('本机没有本记录库的记录签名私钥');
    // A keychain that cannot be reached (locked, no Secret Service): setup and writes go on without a key.
    const dir = tempDir();
    const t = await freshTarget(dir);
    const locked: SecretStore = {
      get: async () => { throw new Error('keychain locked'); },
      set: async () => { throw new Error('keychain locked'); },
      delete: async () => false,
    };
    const core = await openCore({ dbPath: t.target, filesDir: t.filesDir, secrets: locked });
    try {
      const admin = await setup(core, { agencyName: '某县司法局', docPrefix: '某司', admin: { username: 'root', displayName: '管理员乙', password: PASSWORD } });
      const st = await recordKeyStatus(core);
      expect(st.key).toBeNull();
      expect(st.problem).toContain('尚无记录签名密钥');
      for (let i = 0; i < 100; i++) await tx(core, () => appendEvent(core, admin, 'test.tick', null, { i }));
      await settle(core);
      ({ hashAt, head } = await chainView(core));
      expect(head!.seq).toBeGreaterThanOrEqual(100);
      r = await checkCheckpoints(core, hashAt, head);
      expect(r).toMatchObject({ count: 0, mismatch: null });
      expect(r.warnings.join('')).toContain('尚无记录签名密钥');
      expect(await refusedAsync(initRecordKey(core, admin), 'BAD_STATE')).toContain('keychain locked');
      expect(await refusedAsync(exportCheckpoint(core, admin), 'BAD_STATE')).toContain('尚无记录签名密钥');
    } finally {
      await closeCore(core);
      await t.drop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('catch a replaced public key (all checkpoints re-signed with the attacker’s key) on the desktop holding the private key', async () => {
    const k = await withKey();
    await addEvents(f.core, 100);
    const exported = await exportCheckpoint(f.core, f.admin);
    const file = writeJson('cp.json', exported);
    await unprotect(f.core.db);
    const evil = crypto.generateKeyPairSync('ed25519');
    const evilPem = evil.publicKey.export({ type: 'spki', format: 'pem' }) as string;
    await f.core.db.run('UPDATE record_keys SET public_key_pem = ?, fingerprint = ? WHERE id = ?', [evilPem, fingerprintOf(evilPem), k.id]);
    // Re-signed in order, each link recomputed, as the attacker must.
    let prev = FIRST_PREV;
    for (const c of await f.core.db.all<{ id: number; seq: number; hash: string; at: string; reason: string; prev: string; signature: string; key_id: number }>('SELECT * FROM checkpoints ORDER BY id')) {
      if (c.key_id !== k.id) {
        prev = checkpointLink(checkpointMessage({ agency: '某市市场监督管理局', ...c }), c.signature);
        continue;
      }
      const message = checkpointMessage({ agency: '某市市场监督管理局', ...c, prev });
      const sig = crypto.sign(null, message, evil.privateKey).toString('base64');
      await f.core.db.run('UPDATE checkpoints SET signature = ?, prev = ? WHERE id = ?', [sig, prev, c.id]);
      prev = checkpointLink(message, sig);
    }
    const { hashAt, head } = await chainView(f.core);
    const r = await checkCheckpoints(f.core, hashAt, head);
    expect(r.mismatch?.kind).toBe('key');
    expect(r.mismatch!.message).toContain('公钥被替换');
    // A desktop without the private key sees signatures that hold, and says it could not tell…
    const other = await openCore({ dbPath: f.dbPath, filesDir: `${f.dbPath}-files`, secrets: new MemorySecretStore(), now: () => f.clock.now });
    try {
      const r2 = await checkCheckpoints(other, hashAt, head);
      expect(r2.mismatch).toBeNull();
      expect(r2.warnings.join('')).toContain('未能确认数据库中的公钥未被替换');
      // …but the exported checkpoint (with the real public key) catches it there too.
      const w = await checkWitnesses(other, [file], hashAt, head);
      expect(w.mismatch?.kind).toBe('witness');
      expect(w.results[0]).toMatchObject({ kind: 'checkpoint', ok: false, seq: exported.seq });
      expect(w.results[0].message).toContain('另一把密钥');
    } finally {
      await closeCore(other);
    }
  });
});

describe('outside witnesses', () => {
  it('an exported checkpoint and an issued PDF hold; after a rewrite with recomputed hashes (and the checkpoints table emptied) both catch it', async () => {
    await withKey();
    await addEvents(f.core, 10);
    const exported = await exportCheckpoint(f.core, f.admin);
    expect(exported).toMatchObject({ format: 'lrw-checkpoint/1', agency: '某市市场监督管理局', reason: 'export', algorithm: 'ed25519' });
    expect(await f.core.db.value("SELECT action FROM events WHERE seq = ?", [exported.seq])).toBe('audit.checkpoint.export');
    const cpFile = writeJson('checkpoint.json', exported);
    const pdf = await issuedPdf();
    const pdfFile = path.join(f.dir, 'issued.pdf');
    fs.writeFileSync(pdfFile, pdf);
    let { hashAt, head } = await chainView(f.core);
    let w = await checkWitnesses(f.core, [cpFile, pdfFile], hashAt, head);
    expect(w.mismatch).toBeNull();
    expect(w.results.map((x) => [x.kind, x.ok])).toEqual([['checkpoint', true], ['pdf', true]]);
    // The PDF carries the head at issue (the event before document.issue) inside its signed bytes.
    const issueSeq = Number(await f.core.db.value("SELECT seq FROM events WHERE action = 'document.issue'"));
    expect(w.results[1].seq).toBe(issueSeq - 1);
    expect(pdf.toString('latin1')).toContain('/LrwRecordHead');
    expect(pdf.toString('latin1')).toContain(`(lrw-head/1 seq=${issueSeq - 1} hash=${hashAt(issueSeq - 1)})`);

    // The attacker rewrites an early event, recomputes every hash and removes every checkpoint.
    await unprotect(f.core.db);
    await rewriteFrom(f.core.db, 3, { agencyName: '伪造' });
    await f.core.db.run('DELETE FROM checkpoints');
    ({ hashAt, head } = await chainView(f.core));
    expect((await checkCheckpoints(f.core, hashAt, head)).mismatch).toBeNull();
    w = await checkWitnesses(f.core, [cpFile], hashAt, head);
    expect(w.mismatch).toMatchObject({ kind: 'witness', seq: exported.seq });
    expect(w.mismatch!.message).toContain(`第 ${exported.seq} 号事件的哈希与外部检查点不符`);
    w = await checkWitnesses(f.core, [pdfFile], hashAt, head);
    expect(w.mismatch).toMatchObject({ kind: 'witness', seq: issueSeq - 1 });
    expect(w.mismatch!.message).toContain('签发的文书不符');
    // Cutting the chain before the witnessed event is caught as a truncation.
    await f.core.db.run('DELETE FROM events WHERE seq >= ?', [exported.seq - 1]);
    ({ hashAt, head } = await chainView(f.core));
    w = await checkWitnesses(f.core, [cpFile], hashAt, head);
    expect(w.mismatch!.message).toContain('截断');
  });

  it('a forged checkpoint (another key) is refused, and an edited one fails its signature', async () => {
    await withKey();
    await addEvents(f.core, 3);
    const { hashAt, head } = await chainView(f.core);
    const evil = crypto.generateKeyPairSync('ed25519');
    const publicKeyPem = evil.publicKey.export({ type: 'spki', format: 'pem' }) as string;
    const body = { format: 'lrw-checkpoint/1', agency: '某市市场监督管理局', seq: head!.seq, hash: head!.hash, at: '2026-11-23T02:00:00.000Z', reason: 'export', prev: FIRST_PREV } as const;
    const forged: CheckpointFile = {
      ...body,
      algorithm: 'ed25519',
      fingerprint: fingerprintOf(publicKeyPem),
      publicKeyPem,
      signature: crypto.sign(null, checkpointMessage(body), evil.privateKey).toString('base64'),
      store: f.dbPath,
    };
    let w = await checkWitnesses(f.core, [writeJson('forged.json', forged)], hashAt, head);
    expect(w.results[0].ok).toBe(false);
    expect(w.mismatch!.message).toContain('伪造');
    const real = await exportCheckpoint(f.core, f.admin);
    w = await checkWitnesses(f.core, [writeJson('edited.json', { ...real, seq: real.seq - 1, hash: hashAt(real.seq - 1) })], hashAt, head);
    expect(w.mismatch!.message).toContain('签名不成立');
    w = await checkWitnesses(f.core, [writeJson('junk.json', { hello: 1 })], hashAt, head);
    expect(w.mismatch!.message).toContain('不是检查点文件');
    // An issued PDF changed after signing cannot vouch.
    const bad = Buffer.from('%PDF-1.7\n%%EOF\n');
    const badFile = path.join(f.dir, 'bad.pdf');
    fs.writeFileSync(badFile, bad);
    w = await checkWitnesses(f.core, [badFile], hashAt, head);
    expect(w.results[0]).toMatchObject({ kind: 'pdf', ok: false });
  });
});

describe('the head this desktop verified last', () => {
  it('is remembered outside the database; a store behind it or diverged from it is named', async () => {
    await withKey();
    await addEvents(f.core, 5);
    let { hashAt, head } = await chainView(f.core);
    expect(await checkRememberedHead(f.core, hashAt, head)).toBeNull();
    await rememberVerifiedHead(f.core, head!);
    const state = fs.readFileSync(path.join(stateDir, 'verified-heads.json'), 'utf8');
    expect(state).toContain(head!.hash);
    expect(fs.statSync(path.join(stateDir, 'verified-heads.json')).mode & 0o077).toBe(0);
    await addEvents(f.core, 2);
    ({ hashAt, head } = await chainView(f.core));
    expect(await checkRememberedHead(f.core, hashAt, head)).toBeNull();
    const seen = head!.seq;
    await rememberVerifiedHead(f.core, head!);
    await unprotect(f.core.db);
    // Rewritten (every hash recomputed): diverged from what this desktop saw.
    await rewriteFrom(f.core.db, 4, { rewritten: 1 });
    ({ hashAt, head } = await chainView(f.core));
    let m = await checkRememberedHead(f.core, hashAt, head);
    expect(m).toMatchObject({ kind: 'chain', seq: seen });
    expect(m!.message).toContain('分叉');
    // Behind (the last events cut off, or an older copy put in its place).
    await f.core.db.run('DELETE FROM events WHERE seq > ?', [seen - 3]);
    ({ hashAt, head } = await chainView(f.core));
    m = await checkRememberedHead(f.core, hashAt, head);
    expect(m!.message).toContain(`记录已到第 ${seen} 号事件，现在只到第 ${seen - 3} 号`);
  });

  it('a public key replaced since this desktop verified is named unless this desktop holds the new key', async () => {
    await withKey();
    let { hashAt, head } = await chainView(f.core);
    await rememberVerifiedHead(f.core, head!);
    // This desktop rotates: it holds the new key, so no alarm.
    await withKey();
    ({ hashAt, head } = await chainView(f.core));
    expect(await checkRememberedHead(f.core, hashAt, head)).toBeNull();
    await rememberVerifiedHead(f.core, head!);
    // Another key put into the database behind its back.
    await unprotect(f.core.db);
    const evilPem = crypto.generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }) as string;
    await f.core.db.run('UPDATE record_keys SET public_key_pem = ?, fingerprint = ? WHERE id = (SELECT MAX(id) FROM record_keys)', [evilPem, fingerprintOf(evilPem)]);
    const m = await checkRememberedHead(f.core, hashAt, head);
    expect(m?.kind).toBe('key');
    expect(m!.message).toContain('公钥被替换');
  });
});
