// The agency's record-signing key and signed checkpoints of the chain head (issue 11, points 3–4).
//
// Key. Ed25519 (node:crypto) by default, or SM2 with SM3 (国密) when asked. The private key never goes
// into the database or a backup: on a desktop it is in the OS keychain (service RECORD_KEY_SERVICE,
// account = the store's location), on a server in a PKCS#8 PEM file readable only by the service (mode
// 0600, OpenCoreOptions.recordKeyFile / env LRW_RECORD_KEY_FILE). The public key (SPKI PEM, and its
// fingerprint: SHA-256 of the SPKI DER, hex) is in record_keys and in the setup report.
//
// Checkpoints. The head (seq, hash) is signed every 100 events, at every document issue, at a clean
// shutdown when the head moved since the last checkpoint, and on export. The signed bytes are exactly
// checkpointMessage(): UTF-8 of
//   "lrw-checkpoint/1\n" + "agency=" + JSON.stringify(agencyName) + "\n" + "seq=" + seq (decimal) + "\n"
//   + "hash=" + hash (64 lowercase hex) + "\n" + "at=" + at (ISO 8601 UTC) + "\n" + "reason=" + reason + "\n"
//   + "prev=" + prev + "\n"
// where prev links the checkpoint to the one written before it: SHA-256 (hex) of that checkpoint's message
// followed by its raw signature bytes (64 zeros for the first). So the latest checkpoint's signature
// vouches for every earlier checkpoint: one removed, inserted or changed breaks a link.
// Ed25519: crypto.sign(null, message); SM2: crypto.sign('sm3', message) with an SM2 key object, i.e. the
// GB/T 32918 signature with SM3 and OpenSSL 3's default (empty) distinguishing identifier — checkable with
// `openssl dgst -sm3 -verify pub.pem -signature sig.bin message.txt`.
//
// When no private key is at hand (keychain missing or locked, key on another desktop), writes go on and
// no checkpoint is written; verification then warns. A loaded key is cached per core.
import crypto, { type KeyObject } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AppError } from '../domain/errors';
import type { AuditVerifyView, RecordMismatch, WitnessResult } from '../domain/views';
import { getAgency } from '../db/repos/agency';
import { lastEvent } from '../db/repos/events';
import {
  allRecordKeys,
  checkpointSeqList,
  currentRecordKey,
  insertCheckpoint,
  insertRecordKey,
  iterateCheckpoints,
  lastCheckpoint,
  latestCheckpointSeq,
  type CheckpointRow,
  type RecordKeyRow,
} from '../db/repos/recordKeys';
import { KEYCHAIN_SERVICE_PREFIX } from '../secrets';
import { verifyPdf } from '../documents/verify';
import { appendEvent } from './audit';
import { requirePermission } from './auth';
import type { Actor, Core } from './core';
import { formatChinaMoment } from '../domain/calendar/cst';

export type RecordKeyAlgorithm = 'ed25519' | 'sm2';
export type CheckpointReason = CheckpointRow['reason'];

/** Keychain service of record-signing private keys; the account is the store's location. */
export const RECORD_KEY_SERVICE = `${KEYCHAIN_SERVICE_PREFIX}/record-key`;
/** A checkpoint is written when an event's number is a multiple of this. */
export const CHECKPOINT_INTERVAL = 100;
export const CHECKPOINT_FORMAT = 'lrw-checkpoint/1';
/** The key in an issued PDF's document information dictionary that carries the head at issue. */
export const PDF_HEAD_KEY = 'LrwRecordHead';
const PDF_HEAD_PREFIX = 'lrw-head/1';
/** Up to this many checkpoints, verification checks every signature (beyond: the links, see checkCheckpoints). */
export const FULL_SIGNATURE_CHECK = 1000;
/** An unavailable key is looked for again after this long (not on every event). */
const RETRY_MS = 5 * 60_000;
const SM2_OID = Buffer.from('06082a811ccf5501822d', 'hex'); // OID 1.2.156.10197.1.301

// ---------------------------------------------------------------------------------------------- bytes

export function checkpointMessage(c: { agency: string; seq: number; hash: string; at: string; reason: string; prev: string }): Buffer {
  return Buffer.from(
    `${CHECKPOINT_FORMAT}\nagency=${JSON.stringify(c.agency)}\nseq=${c.seq}\nhash=${c.hash}\nat=${c.at}\nreason=${c.reason}\nprev=${c.prev}\n`,
    'utf8',
  );
}

export const FIRST_PREV = '0'.repeat(64);

/** The link the next checkpoint carries as prev: SHA-256 of this one's message and raw signature. */
export function checkpointLink(message: Buffer, signatureB64: string): string {
  return crypto.createHash('sha256').update(message).update(Buffer.from(signatureB64, 'base64')).digest('hex');
}

export function fingerprintOf(publicKeyPem: string): string {
  const der = crypto.createPublicKey(publicKeyPem).export({ type: 'spki', format: 'der' });
  return crypto.createHash('sha256').update(der).digest('hex');
}

function algorithmOf(key: KeyObject): RecordKeyAlgorithm {
  if (key.asymmetricKeyType === 'ed25519') return 'ed25519';
  const pub = key.type === 'private' ? crypto.createPublicKey(key) : key;
  if (pub.export({ type: 'spki', format: 'der' }).includes(SM2_OID)) return 'sm2';
  throw new AppError('VALIDATION', '记录签名密钥须为 Ed25519 或 SM2 密钥。');
}

const digestOf = (alg: RecordKeyAlgorithm): string | null => (alg === 'sm2' ? 'sm3' : null);

function signMessage(alg: RecordKeyAlgorithm, key: KeyObject, message: Buffer): string {
  return crypto.sign(digestOf(alg), message, key).toString('base64');
}

function verifyMessage(alg: RecordKeyAlgorithm, publicKey: string | KeyObject, message: Buffer, signatureB64: string): boolean {
  try {
    // Imported from PEM, an SM2 key is OpenSSL's SM2 type, which signs and verifies SM2 (not ECDSA).
    const key = typeof publicKey === 'string' ? crypto.createPublicKey(publicKey) : publicKey;
    return crypto.verify(digestOf(alg), message, key, Buffer.from(signatureB64, 'base64'));
  } catch {
    return false;
  }
}

/** A new key pair; the private key round-trips through PKCS#8 so an SM2 key is OpenSSL's SM2 type. */
function generateKey(alg: RecordKeyAlgorithm): { privatePem: string; publicPem: string; fingerprint: string } {
  const pair = alg === 'ed25519' ? crypto.generateKeyPairSync('ed25519') : crypto.generateKeyPairSync('ec', { namedCurve: 'SM2' });
  const privatePem = pair.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
  return fromPrivatePem(privatePem);
}

function fromPrivatePem(privatePem: string): { privatePem: string; publicPem: string; fingerprint: string } {
  const key = crypto.createPrivateKey(privatePem);
  const publicPem = crypto.createPublicKey(key).export({ type: 'spki', format: 'pem' }) as string;
  return { privatePem, publicPem, fingerprint: fingerprintOf(publicPem) };
}

// ------------------------------------------------------------------------------------ private key store

/** The store's location as a key for the keychain and the remembered heads. */
export function storeLocation(core: Core): string {
  return /^postgres(ql)?:\/\//i.test(core.dbPath) ? core.dbPath : path.resolve(core.dbPath);
}

interface KeychainEntry {
  fingerprint: string;
  algorithm: RecordKeyAlgorithm;
  pkcs8: string;
}

/** The private key this machine holds for this store (PEM), or null; throws AppError when it cannot look. */
async function readPrivatePem(core: Core): Promise<string | null> {
  if (core.recordKeyFile) {
    let st: fs.Stats;
    try {
      st = fs.statSync(core.recordKeyFile);
    } catch {
      return null;
    }
    if (process.platform !== 'win32' && (st.mode & 0o077) !== 0) {
      throw new AppError('BAD_STATE', `记录签名密钥文件“${core.recordKeyFile}”的权限过宽（${(st.mode & 0o777).toString(8)}）：应仅服务账户可读（chmod 600）。`);
    }
    return fs.readFileSync(core.recordKeyFile, 'utf8');
  }
  const raw = await (await core.secrets()).get(RECORD_KEY_SERVICE, storeLocation(core));
  if (!raw) return null;
  try {
    return (JSON.parse(raw) as KeychainEntry).pkcs8;
  } catch {
    throw new AppError('BAD_STATE', '系统钥匙串中的记录签名密钥已损坏。');
  }
}

async function writePrivatePem(core: Core, k: { privatePem: string; fingerprint: string }, alg: RecordKeyAlgorithm): Promise<void> {
  if (core.recordKeyFile) {
    if (fs.existsSync(core.recordKeyFile)) {
      const existing = fromPrivatePem(fs.readFileSync(core.recordKeyFile, 'utf8'));
      if (existing.fingerprint === k.fingerprint) return;
      throw new AppError('CONFLICT', `记录签名密钥文件“${core.recordKeyFile}”已存在且存有另一把密钥，不覆盖：请移走该文件或另指定 LRW_RECORD_KEY_FILE。`);
    }
    fs.mkdirSync(path.dirname(core.recordKeyFile), { recursive: true });
    fs.writeFileSync(core.recordKeyFile, k.privatePem, { mode: 0o600, flag: 'wx' });
    fs.chmodSync(core.recordKeyFile, 0o600);
    return;
  }
  const entry: KeychainEntry = { fingerprint: k.fingerprint, algorithm: alg, pkcs8: k.privatePem };
  await (await core.secrets()).set(RECORD_KEY_SERVICE, storeLocation(core), JSON.stringify(entry));
}

const storageLabel = (core: Core) => (core.recordKeyFile ? `密钥文件 ${core.recordKeyFile}` : '系统钥匙串');

// ------------------------------------------------------------------------------------ per-core cache

interface Signer {
  keyId: number;
  fingerprint: string;
  algorithm: RecordKeyAlgorithm;
  key: KeyObject;
}

interface CoreState {
  signer?: Signer;
  /** Why no key could be used, and when to look again (real time, not the core's clock). */
  unavailable?: { reason: string; retryAt: number };
  agency?: string;
}

const states = new WeakMap<Core, CoreState>();
const stateOf = (core: Core): CoreState => {
  let s = states.get(core);
  if (!s) states.set(core, (s = {}));
  return s;
};

async function agencyName(core: Core): Promise<string> {
  const s = stateOf(core);
  if (s.agency === undefined) s.agency = (await getAgency(core.db))?.name ?? '';
  return s.agency;
}

/** The key to sign with, or why there is none. Never throws. */
async function loadSigner(core: Core): Promise<{ signer: Signer } | { reason: string }> {
  const s = stateOf(core);
  if (s.signer) return { signer: s.signer };
  if (s.unavailable && Date.now() < s.unavailable.retryAt) return { reason: s.unavailable.reason };
  const r = await findSigner(core);
  if ('signer' in r) {
    s.signer = r.signer;
    s.unavailable = undefined;
  } else {
    s.unavailable = { reason: r.reason, retryAt: Date.now() + RETRY_MS };
  }
  return r;
}

async function findSigner(core: Core): Promise<{ signer: Signer } | { reason: string }> {
  try {
    const row = await currentRecordKey(core.db);
    if (!row) return { reason: '本记录库尚无记录签名密钥（请由系统管理员执行 lrw audit key init）。' };
    const pem = await readPrivatePem(core);
    if (!pem) return { reason: `本机${storageLabel(core)}中没有本记录库的记录签名私钥（指纹 ${short(row.fingerprint)}），检查点未能签署。` };
    const key = crypto.createPrivateKey(pem);
    const fp = fingerprintOf(crypto.createPublicKey(key).export({ type: 'spki', format: 'pem' }) as string);
    if (fp !== row.fingerprint) {
      return { reason: `本机保存的记录签名私钥（指纹 ${short(fp)}）与数据库中的公钥（指纹 ${short(row.fingerprint)}）不符，检查点未签署。` };
    }
    return { signer: { keyId: row.id, fingerprint: row.fingerprint, algorithm: row.algorithm, key } };
  } catch (err) {
    return { reason: `无法读取记录签名私钥：${(err as Error).message}` };
  }
}

const short = (fp: string) => `${fp.slice(0, 16)}…`;

/** Forget the cached key (after a key was created, rotated or imported). */
function resetKeyCache(core: Core): void {
  const s = stateOf(core);
  s.signer = undefined;
  s.unavailable = undefined;
}

// --------------------------------------------------------------------------------------- checkpoints

async function signAndStore(core: Core, signer: Signer, head: { seq: number; hash: string }, reason: CheckpointReason): Promise<CheckpointRow> {
  const at = core.now().toISOString();
  const agency = await agencyName(core);
  const before = await lastCheckpoint(core.db);
  const prev = before ? checkpointLink(checkpointMessage({ agency, ...before }), before.signature) : FIRST_PREV;
  const signature = signMessage(signer.algorithm, signer.key, checkpointMessage({ agency, seq: head.seq, hash: head.hash, at, reason, prev }));
  const row = { seq: head.seq, hash: head.hash, at, key_id: signer.keyId, reason, prev, signature };
  const id = await insertCheckpoint(core.db, row);
  return { id, ...row };
}

/**
 * Called at the end of appendEvent, inside its transaction, with the event just written: signs the head
 * every CHECKPOINT_INTERVAL events and at every document issue. Without a usable private key it writes
 * nothing and the user's write goes on (verification warns).
 */
export async function maybeCheckpoint(core: Core, head: { seq: number; hash: string; action: string }): Promise<void> {
  const reason: CheckpointReason | null = head.action === 'document.issue' ? 'issue' : head.seq % CHECKPOINT_INTERVAL === 0 ? 'interval' : null;
  if (!reason) return;
  const r = await loadSigner(core);
  if (!('signer' in r)) return;
  await signAndStore(core, r.signer, head, reason);
}

/** closeCore: signs the head when it moved since the last checkpoint. Never throws. */
export async function shutdownCheckpoint(core: Core): Promise<void> {
  try {
    if (core.db.inTx() || (await core.db.readOnly())) return;
    if (!(await currentRecordKey(core.db))) return;
    const head = await lastEvent(core.db);
    if (!head || ((await latestCheckpointSeq(core.db)) ?? 0) >= head.seq) return;
    const r = await loadSigner(core);
    if (!('signer' in r)) return;
    await core.db.tx(async () => {
      const h = await lastEvent(core.db);
      if (h && ((await latestCheckpointSeq(core.db)) ?? 0) < h.seq) await signAndStore(core, r.signer, h, 'shutdown');
    });
  } catch {
    // A shutdown must not fail for want of a checkpoint; verification says how far checkpoints reach.
  }
}

// ------------------------------------------------------------------------------------------ the key

export interface RecordKeyView {
  id: number;
  algorithm: RecordKeyAlgorithm;
  fingerprint: string;
  publicKeyPem: string;
  createdAt: string;
}

export interface RecordKeyStatus {
  key: RecordKeyView | null;
  /** This machine holds the matching private key (keychain or key file). */
  privateKeyHere: boolean;
  /** Where the private key is kept on this machine. */
  storage: string;
  /** Why the key cannot be used here, when it cannot. */
  problem: string | null;
}

const keyView = (r: RecordKeyRow): RecordKeyView => ({ id: r.id, algorithm: r.algorithm, fingerprint: r.fingerprint, publicKeyPem: r.public_key_pem, createdAt: r.created_at });

export async function recordKeyStatus(core: Core): Promise<RecordKeyStatus> {
  const row = await currentRecordKey(core.db);
  resetKeyCache(core);
  const r = await loadSigner(core);
  return { key: row ? keyView(row) : null, privateKeyHere: 'signer' in r, storage: storageLabel(core), problem: 'signer' in r ? null : r.reason };
}

/** Whether a key can be stored here (setup asks before its transaction, so it never half-fails). */
async function canStoreKey(core: Core): Promise<string | null> {
  try {
    if (core.recordKeyFile) {
      fs.mkdirSync(path.dirname(core.recordKeyFile), { recursive: true });
      fs.accessSync(path.dirname(core.recordKeyFile), fs.constants.W_OK);
      return null;
    }
    await (await core.secrets()).get(RECORD_KEY_SERVICE, storeLocation(core));
    return null;
  } catch (err) {
    return (err as Error).message;
  }
}

/**
 * Creates the record-signing key inside the caller's transaction: the public key row and its event
 * first, the private key stored last, so a failure to store it rolls the whole thing back. A key file
 * that already exists (a server provisioned with a key) is adopted.
 */
async function createKeyInTx(core: Core, actor: Actor, alg: RecordKeyAlgorithm, previous: RecordKeyRow | undefined): Promise<RecordKeyView> {
  let k = generateKey(alg);
  if (core.recordKeyFile && fs.existsSync(core.recordKeyFile)) {
    const pem = await readPrivatePem(core);
    k = fromPrivatePem(pem!);
    alg = algorithmOf(crypto.createPrivateKey(pem!));
    if (previous && k.fingerprint === previous.fingerprint) throw new AppError('CONFLICT', '密钥文件中的密钥就是当前的记录签名密钥。');
  }
  const at = core.now().toISOString();
  const id = await insertRecordKey(core.db, { algorithm: alg, public_key_pem: k.publicPem, fingerprint: k.fingerprint, created_by: actor.id, created_at: at });
  await appendEvent(core, actor, 'record.key.create', null, {
    algorithm: alg,
    fingerprint: k.fingerprint,
    storage: core.recordKeyFile ? 'file' : 'keychain',
    ...(previous && { replaces: previous.fingerprint }),
  });
  await writePrivatePem(core, k, alg);
  resetKeyCache(core);
  return { id, algorithm: alg, fingerprint: k.fingerprint, publicKeyPem: k.publicPem, createdAt: at };
}

/** setup(): the new agency's key, or why it could not be made (setup goes on without it). */
export async function createKeyAtSetup(core: Core, actor: Actor, alg: RecordKeyAlgorithm, canStore: string | null): Promise<RecordKeyView | null> {
  if (canStore !== null) {
    stateOf(core).unavailable = { reason: `初始化时未能创建记录签名密钥：${canStore}（可稍后执行 lrw audit key init）。`, retryAt: 0 };
    return null;
  }
  return await createKeyInTx(core, actor, alg, undefined);
}

export { canStoreKey as recordKeyStorable };

/**
 * `lrw audit key init`: a database set up before record keys (or whose key is lost) gets one. Refused
 * when the store already has a key, unless `rotate` (a new key; old checkpoints still verify under the
 * old public key, which stays on record).
 */
export async function initRecordKey(core: Core, actor: Actor, opts: { algorithm?: RecordKeyAlgorithm; rotate?: boolean } = {}): Promise<RecordKeyView> {
  requirePermission(actor, 'audit.key');
  const alg = opts.algorithm ?? 'ed25519';
  if (alg !== 'ed25519' && alg !== 'sm2') throw new AppError('VALIDATION', '算法须为 ed25519 或 sm2。');
  const problem = await canStoreKey(core);
  if (problem) throw new AppError('BAD_STATE', `无法保存记录签名私钥：${problem}`);
  return await core.db.tx(async () => {
    const previous = await currentRecordKey(core.db);
    if (previous && !opts.rotate) {
      const here = 'signer' in (await findSigner(core));
      throw new AppError(
        'CONFLICT',
        here
          ? `本记录库已有记录签名密钥（指纹 ${short(previous.fingerprint)}），私钥在本机。`
          : `本记录库已有记录签名密钥（指纹 ${short(previous.fingerprint)}），但私钥不在本机：如私钥在另一台电脑上，请在那里以 lrw audit key export 导出，在本机以 lrw audit key import 导入；如私钥已遗失，可加 --rotate 换用新密钥（此前的检查点仍按旧公钥校验）。`,
      );
    }
    return await createKeyInTx(core, actor, alg, previous);
  });
}

const MIN_PASSPHRASE = 8;

/** `lrw audit key export`: the private key as passphrase-protected PKCS#8 (PEM), and an event saying so. */
export async function exportRecordKey(core: Core, actor: Actor, passphrase: string): Promise<{ pem: string; fingerprint: string }> {
  requirePermission(actor, 'audit.key');
  if (passphrase.length < MIN_PASSPHRASE) throw new AppError('VALIDATION', `导出口令至少 ${MIN_PASSPHRASE} 个字符。`);
  resetKeyCache(core);
  const r = await loadSigner(core);
  if (!('signer' in r)) throw new AppError('BAD_STATE', r.reason);
  const pem = r.signer.key.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase }) as string;
  await core.db.tx(() => appendEvent(core, actor, 'record.key.export', null, { fingerprint: r.signer.fingerprint }));
  return { pem, fingerprint: r.signer.fingerprint };
}

/** `lrw audit key import`: installs an exported key on this machine; it must be the store's current key. */
export async function importRecordKey(core: Core, actor: Actor, encryptedPem: string, passphrase: string): Promise<RecordKeyView> {
  requirePermission(actor, 'audit.key');
  let key: KeyObject;
  try {
    key = crypto.createPrivateKey({ key: encryptedPem, format: 'pem', passphrase });
  } catch {
    throw new AppError('VALIDATION', '无法打开密钥文件：口令错误，或文件不是 lrw audit key export 导出的密钥。');
  }
  const alg = algorithmOf(key);
  const k = fromPrivatePem(key.export({ type: 'pkcs8', format: 'pem' }) as string);
  const row = await currentRecordKey(core.db);
  if (!row) throw new AppError('BAD_STATE', '本记录库尚无记录签名密钥，无从导入（新建请用 lrw audit key init）。');
  if (row.fingerprint !== k.fingerprint) {
    throw new AppError('VALIDATION', `该密钥（指纹 ${short(k.fingerprint)}）不是本记录库当前的记录签名密钥（指纹 ${short(row.fingerprint)}）。`);
  }
  const problem = await canStoreKey(core);
  if (problem) throw new AppError('BAD_STATE', `无法保存记录签名私钥：${problem}`);
  await core.db.tx(async () => {
    await appendEvent(core, actor, 'record.key.import', null, { fingerprint: k.fingerprint, storage: core.recordKeyFile ? 'file' : 'keychain' });
    await writePrivatePem(core, k, alg);
  });
  resetKeyCache(core);
  return keyView(row);
}

// ---------------------------------------------------------------------------------- exported checkpoint

export interface CheckpointFile {
  format: typeof CHECKPOINT_FORMAT;
  agency: string;
  seq: number;
  hash: string;
  at: string;
  reason: CheckpointReason;
  /** The link to the checkpoint before it in the store (part of the signed message). */
  prev: string;
  algorithm: RecordKeyAlgorithm;
  fingerprint: string;
  publicKeyPem: string;
  /** Base64 signature over checkpointMessage(agency, seq, hash, at, reason). */
  signature: string;
  /** Where it was taken (not signed; for people). */
  store: string;
}

/**
 * `lrw audit checkpoint --out FILE`: records the export as an event, then signs the head (which is that
 * event) and returns it with the public key, for an archive, a 备案 filing or a USB stick in a safe.
 */
export async function exportCheckpoint(core: Core, actor: Actor): Promise<CheckpointFile> {
  requirePermission(actor, 'audit.checkpoint');
  resetKeyCache(core);
  const r = await loadSigner(core);
  if (!('signer' in r)) throw new AppError('BAD_STATE', r.reason);
  const { signer } = r;
  const row = await core.db.tx(async () => {
    await appendEvent(core, actor, 'audit.checkpoint.export', null, { fingerprint: signer.fingerprint });
    const head = (await lastEvent(core.db))!;
    return await signAndStore(core, signer, head, 'export');
  });
  const key = (await allRecordKeys(core.db)).find((k) => k.id === signer.keyId)!;
  return {
    format: CHECKPOINT_FORMAT,
    agency: await agencyName(core),
    seq: row.seq,
    hash: row.hash,
    at: row.at,
    reason: row.reason,
    prev: row.prev,
    algorithm: key.algorithm,
    fingerprint: key.fingerprint,
    publicKeyPem: key.public_key_pem,
    signature: row.signature,
    store: core.dbPath,
  };
}

// ---------------------------------------------------------------------------------------- verifying

type HashAt = (seq: number) => string | undefined;
type Head = { seq: number; hash: string } | null;

/** The event numbers checkpoints sign (a verifier walking the chain keeps only these hashes for hashAt). */
export async function checkpointSeqs(core: Core): Promise<Set<number>> {
  return new Set(await checkpointSeqList(core.db));
}

const cpMismatch = (seq: number, message: string, kind: RecordMismatch['kind'] = 'checkpoint'): RecordMismatch => ({ kind, table: 'checkpoints', tableLabel: '检查点', seq, message });

/** What a head says about the chain: null when it holds, else a sentence naming seq and what is wrong. */
function onChain(hashAt: HashAt, head: Head, seq: number, hash: string, what: string): string | null {
  const h = hashAt(seq);
  if (h === undefined) {
    return head
      ? `${what}见证记录曾有第 ${seq} 号事件，但现在的记录止于第 ${head.seq} 号：其后的事件被删除（记录被截断）。`
      : `${what}见证记录曾有第 ${seq} 号事件，但现在的记录中没有任何事件：记录被清空。`;
  }
  if (h !== hash) return `第 ${seq} 号事件的哈希与${what}不符（应为 ${hash.slice(0, 16)}…，实为 ${h.slice(0, 16)}…）：该处及以前的记录被改写。`;
  return null;
}

/**
 * Every checkpoint's signature holds under its key in the database; each checkpoint's hash is the chain's
 * hash at that seq (a rewrite is caught); the chain reaches the latest checkpoint (a truncation past it is
 * caught); and where this machine holds the private key, the database's public key is its own (a
 * replaced public key is caught). The first thing wrong is the mismatch; things that prove nothing either
 * way are warnings.
 */
export async function checkCheckpoints(
  core: Core,
  hashAt: HashAt,
  head: Head,
): Promise<{ count: number; latestSeq: number | null; mismatch: RecordMismatch | null; warnings: string[] }> {
  const warnings: string[] = [];
  const keys = new Map((await allRecordKeys(core.db)).map((k) => [k.id, k]));
  const agency = (await getAgency(core.db))?.name ?? '';
  let count = 0;
  let latestSeq: number | null = null;
  let mismatch: RecordMismatch | null = null;
  for (const k of keys.values()) {
    let fp: string | null = null;
    try {
      fp = fingerprintOf(k.public_key_pem);
    } catch {
      /* unreadable */
    }
    if (fp !== k.fingerprint) {
      mismatch = { kind: 'key', table: 'record_keys', tableLabel: '记录签名公钥', row: String(k.id), field: 'public_key_pem', message: `记录签名公钥（编号 ${k.id}）与其登记的指纹不符：公钥被改动。` };
      break;
    }
  }
  if (!mismatch) {
    const total = Number(await core.db.value('SELECT COUNT(*) FROM checkpoints'));
    // Up to FULL_SIGNATURE_CHECK checkpoints every signature is verified; beyond that the links carry it:
    // the latest checkpoint of each key is verified, and through prev it vouches for every one before it.
    const everySignature = total <= FULL_SIGNATURE_CHECK;
    const publicKeys = new Map<number, KeyObject>();
    const lastOfKey = new Map<number, { c: CheckpointRow; message: Buffer }>();
    let expectedPrev = FIRST_PREV;
    const badSignature = (c: CheckpointRow) => cpMismatch(c.seq, `第 ${c.seq} 号事件处的检查点（编号 ${c.id}）签名不成立：检查点、机关名称或记录签名公钥被改动。`);
    const verifies = (c: CheckpointRow, key: RecordKeyRow, message: Buffer): boolean => {
      let pub = publicKeys.get(key.id);
      if (!pub) publicKeys.set(key.id, (pub = crypto.createPublicKey(key.public_key_pem)));
      return verifyMessage(key.algorithm, pub, message, c.signature);
    };
    for await (const c of iterateCheckpoints(core.db)) {
      count++;
      latestSeq = latestSeq === null ? c.seq : Math.max(latestSeq, c.seq);
      const key = keys.get(c.key_id);
      if (!key) {
        mismatch = cpMismatch(c.seq, `第 ${c.seq} 号事件处的检查点（编号 ${c.id}）所用的记录签名公钥（编号 ${c.key_id}）不在数据库中。`);
        break;
      }
      const message = checkpointMessage({ agency, ...c });
      if (c.prev !== expectedPrev) {
        mismatch = cpMismatch(c.seq, `第 ${c.seq} 号事件处的检查点（编号 ${c.id}）与前一个检查点的链接不符：有检查点被删除、插入或改动。`);
        break;
      }
      expectedPrev = checkpointLink(message, c.signature);
      if (everySignature && !verifies(c, key, message)) {
        mismatch = badSignature(c);
        break;
      }
      lastOfKey.set(key.id, { c, message });
      const wrong = onChain(hashAt, head, c.seq, c.hash, `已签名的检查点（编号 ${c.id}）`);
      if (wrong) {
        mismatch = cpMismatch(c.seq, wrong, 'chain');
        break;
      }
    }
    if (!mismatch && !everySignature) {
      for (const { c, message } of lastOfKey.values()) {
        if (!verifies(c, keys.get(c.key_id)!, message)) {
          mismatch = badSignature(c);
          break;
        }
      }
    }
  }
  if (!mismatch) {
    const current = [...keys.values()].pop();
    if (!current) {
      warnings.push('本记录库尚无记录签名密钥，链头未经签名：截断或整体改写只能靠外部检查点发现（请由系统管理员执行 lrw audit key init）。');
    } else {
      let pem: string | null = null;
      let problem: string | null = null;
      try {
        pem = await readPrivatePem(core);
      } catch (err) {
        problem = (err as Error).message;
      }
      if (pem) {
        let fp = '';
        try {
          fp = fromPrivatePem(pem).fingerprint;
        } catch {
          problem = '本机保存的记录签名私钥无法读取。';
        }
        if (fp && fp !== current.fingerprint) {
          mismatch = {
            kind: 'key',
            table: 'record_keys',
            tableLabel: '记录签名公钥',
            row: String(current.id),
            field: 'public_key_pem',
            message: `数据库中的记录签名公钥（指纹 ${short(current.fingerprint)}）不是本机保存的私钥（指纹 ${short(fp)}）的公钥：公钥被替换，检查点可能被伪造。`,
          };
        }
      } else {
        warnings.push(
          problem
            ? `无法读取本机的记录签名私钥（${problem}），未能确认数据库中的公钥未被替换。`
            : `本机没有本记录库的记录签名私钥（${storageLabel(core)}），未能确认数据库中的公钥未被替换；请以外部检查点文件核对（lrw audit verify --against）。`,
        );
      }
    }
    if (current && count === 0) warnings.push('尚无已签名的检查点。');
    if (current && head && latestSeq !== null && head.seq - latestSeq >= 2 * CHECKPOINT_INTERVAL) {
      warnings.push(`最新的检查点在第 ${latestSeq} 号事件，其后 ${head.seq - latestSeq} 条事件未经签名（签署检查点的电脑没有私钥？）。`);
    }
  }
  return { count, latestSeq, mismatch, warnings };
}

/** The head an issued PDF carries in its signed bytes, or why none can be trusted. */
export function pdfWitnessHead(bytes: Buffer): { seq: number; hash: string } | { problem: string } {
  const v = verifyPdf(bytes);
  if (!v.signed) return { problem: '该 PDF 没有数字签名，不能作为见证。' };
  if (!v.intact) return { problem: `该 PDF 的签名无效（${v.problem ?? '文件在签名后被改动'}），不能作为见证。` };
  const range = v.signatures[v.signatures.length - 1].byteRange;
  const signed = bytes.subarray(range[0], range[0] + range[1]).toString('latin1');
  // pdfkit writes each information entry as an indirect object: /LrwRecordHead 12 0 R … 12 0 obj (value).
  const m = new RegExp(`\\(${PDF_HEAD_PREFIX.replace('/', '\\/')} seq=(\\d+) hash=([0-9a-f]{64})\\)`).exec(signed);
  if (!m || !signed.includes(`/${PDF_HEAD_KEY}`)) return { problem: '该 PDF 不含签发时的记录链头（可能在此功能启用前签发，或不是本系统签发的文书）。' };
  return { seq: Number(m[1]), hash: m[2] };
}

/** The Info-dictionary value for an issued PDF (documents/pdf.ts writes it as /LrwRecordHead). */
export const pdfHeadValue = (head: { seq: number; hash: string }): string => `${PDF_HEAD_PREFIX} seq=${head.seq} hash=${head.hash}`;

function parseCheckpointFile(text: string): CheckpointFile | string {
  let j: Partial<CheckpointFile>;
  try {
    j = JSON.parse(text) as Partial<CheckpointFile>;
  } catch {
    return '不是检查点文件（JSON 无法解析），也不是 PDF。';
  }
  if (j.format !== CHECKPOINT_FORMAT) return `不是检查点文件（格式应为 ${CHECKPOINT_FORMAT}）。`;
  const ok =
    typeof j.agency === 'string' && Number.isSafeInteger(j.seq) && (j.seq as number) > 0 && typeof j.hash === 'string' && /^[0-9a-f]{64}$/.test(j.hash)
    && typeof j.at === 'string' && typeof j.reason === 'string' && typeof j.prev === 'string' && (j.algorithm === 'ed25519' || j.algorithm === 'sm2')
    && typeof j.publicKeyPem === 'string' && typeof j.fingerprint === 'string' && typeof j.signature === 'string';
  return ok ? (j as CheckpointFile) : '检查点文件缺少字段或字段格式不对。';
}

/**
 * Outside witnesses: exported checkpoint files (signature under the key they carry, which must be one of
 * this store's record keys, so a checkpoint signed with another key is refused) and issued PDFs (the
 * head in their signed bytes). Each witnessed head must still be on the chain. A file that cannot vouch
 * (unreadable, forged, broken signature, no head) is a mismatch too: verification against it fails.
 */
export async function checkWitnesses(
  core: Core,
  files: string[],
  hashAt: HashAt,
  head: Head,
): Promise<{ results: WitnessResult[]; mismatch: RecordMismatch | null }> {
  const results: WitnessResult[] = [];
  let mismatch: RecordMismatch | null = null;
  const keys = await allRecordKeys(core.db);
  const agency = (await getAgency(core.db))?.name ?? '';
  for (const file of files) {
    const source = path.basename(file);
    const res = (kind: WitnessResult['kind'], seq: number | null, ok: boolean, message: string): void => {
      results.push({ source: file, kind, seq, ok, message });
      if (!ok && !mismatch) mismatch = { kind: 'witness', ...(seq !== null && { seq }), message: `见证文件“${source}”：${message}` };
    };
    let bytes: Buffer;
    try {
      bytes = fs.readFileSync(file);
    } catch {
      res('checkpoint', null, false, '无法读取该文件。');
      continue;
    }
    if (bytes.subarray(0, 5).toString('latin1') === '%PDF-') {
      const h = pdfWitnessHead(bytes);
      if ('problem' in h) {
        res('pdf', null, false, h.problem);
        continue;
      }
      const wrong = onChain(hashAt, head, h.seq, h.hash, '签发的文书');
      res('pdf', h.seq, !wrong, wrong ?? `签发的文书见证的第 ${h.seq} 号事件仍在链上（哈希一致）。`);
      continue;
    }
    const cp = parseCheckpointFile(bytes.toString('utf8'));
    if (typeof cp === 'string') {
      res('checkpoint', null, false, cp);
      continue;
    }
    let fp = '';
    try {
      fp = fingerprintOf(cp.publicKeyPem);
    } catch {
      /* unreadable key */
    }
    if (fp !== cp.fingerprint) {
      res('checkpoint', cp.seq, false, '检查点文件中的公钥与其指纹不符：文件被改动。');
      continue;
    }
    if (!verifyMessage(cp.algorithm, cp.publicKeyPem, checkpointMessage(cp), cp.signature)) {
      res('checkpoint', cp.seq, false, `第 ${cp.seq} 号事件的检查点签名不成立：文件被改动或系伪造，不予采信。`);
      continue;
    }
    if (!keys.some((k) => k.fingerprint === cp.fingerprint)) {
      res(
        'checkpoint',
        cp.seq,
        false,
        `第 ${cp.seq} 号事件的检查点由另一把密钥（指纹 ${short(cp.fingerprint)}）签名，不是本记录库的记录签名密钥${keys.length ? `（指纹 ${keys.map((k) => short(k.fingerprint)).join('、')}）` : ''}：检查点系伪造而不予采信，或数据库中的公钥被替换。`,
      );
      continue;
    }
    if (cp.agency !== agency) {
      res('checkpoint', cp.seq, false, `检查点属于“${cp.agency}”，而本记录库的机关名称为“${agency}”：机关名称被改动，或文件属于另一记录库。`);
      continue;
    }
    const wrong = onChain(hashAt, head, cp.seq, cp.hash, '外部检查点');
    res('checkpoint', cp.seq, !wrong, wrong ?? `检查点文件见证的第 ${cp.seq} 号事件仍在链上（哈希一致，签名成立）。`);
  }
  return { results, mismatch };
}

/** The event numbers the witness files name (unreadable files name none). */
export function witnessSeqs(files: string[]): number[] {
  const out: number[] = [];
  for (const file of files) {
    try {
      const bytes = fs.readFileSync(file);
      if (bytes.subarray(0, 5).toString('latin1') === '%PDF-') {
        const h = pdfWitnessHead(bytes);
        if (!('problem' in h)) out.push(h.seq);
      } else {
        const cp = parseCheckpointFile(bytes.toString('utf8'));
        if (typeof cp !== 'string') out.push(cp.seq);
      }
    } catch {
      /* checkWitnesses names it */
    }
  }
  return out;
}

/**
 * Witnesses checked against the events table as it stands (its hash column, for just the seqs the files
 * name), for a caller whose verifier has not checked them itself; the chain's own hashes are verified by
 * verifyChain. Folds the outcome into the view: a witness that does not hold makes it fail.
 */
export async function addWitnessesTo(core: Core, view: AuditVerifyView, files: string[]): Promise<AuditVerifyView> {
  const seqs = [...new Set(witnessSeqs(files))];
  const hashes = new Map<number, string>();
  for (const seq of seqs) {
    const h = await core.db.value<string>('SELECT hash FROM events WHERE seq = ?', [seq]);
    if (h) hashes.set(seq, h);
  }
  const last = await lastEvent(core.db);
  const w = await checkWitnesses(core, files, (s) => hashes.get(s), last ? { seq: last.seq, hash: last.hash } : null);
  const out: AuditVerifyView = { ...view, witnesses: w.results };
  if (w.mismatch && view.ok) {
    out.ok = false;
    out.mismatch = w.mismatch;
    out.firstBad = { seq: w.mismatch.seq ?? 0, reason: w.mismatch.message };
    out.message = `全过程记录校验未通过：${w.mismatch.message}`;
  }
  return out;
}

// ------------------------------------------------------------------------------- remembered last head

interface RememberedHead {
  location: string;
  fingerprint: string;
  seq: number;
  hash: string;
  at: string;
}

/** Outside the database folder: env LRW_STATE_DIR, else the per-user config dir (not the app's data dir). */
export function stateDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.LRW_STATE_DIR) return path.resolve(env.LRW_STATE_DIR);
  const home = os.homedir();
  const base =
    process.platform === 'win32'
      ? env.APPDATA || path.join(home, 'AppData', 'Roaming')
      : process.platform === 'darwin'
        ? path.join(home, 'Library', 'Preferences')
        : env.XDG_CONFIG_HOME || path.join(home, '.config');
  return path.join(base, 'legal-review-workstation');
}

const stateFile = () => path.join(stateDir(), 'verified-heads.json');

function readState(): Record<string, RememberedHead> {
  try {
    const j = JSON.parse(fs.readFileSync(stateFile(), 'utf8')) as { heads?: Record<string, RememberedHead> };
    return j.heads ?? {};
  } catch {
    return {};
  }
}

const stateKey = (location: string, fingerprint: string) => `${location}|${fingerprint}`;

async function currentFingerprint(core: Core): Promise<string> {
  return (await currentRecordKey(core.db))?.fingerprint ?? '';
}

/** After a verification passed: this desktop remembers the head it saw (per store location and public key). */
export async function rememberVerifiedHead(core: Core, head: { seq: number; hash: string }): Promise<void> {
  const location = storeLocation(core);
  const fingerprint = await currentFingerprint(core);
  const heads = readState();
  const k = stateKey(location, fingerprint);
  const before = heads[k];
  if (before && before.seq > head.seq) return;
  heads[k] = { location, fingerprint, seq: head.seq, hash: head.hash, at: core.now().toISOString() };
  const file = stateFile();
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify({ heads }, null, 1), { mode: 0o600 });
  fs.renameSync(tmp, file);
}

/**
 * The store this desktop verified before must not be behind what it saw then (truncated, or an older
 * copy) nor have diverged from it (rewritten); and its public key must be the one seen then, unless this
 * desktop itself holds the private key of the new one (it set the store up again or rotated the key).
 */
export async function checkRememberedHead(core: Core, hashAt: HashAt, head: Head): Promise<RecordMismatch | null> {
  const location = storeLocation(core);
  const fingerprint = await currentFingerprint(core);
  const heads = readState();
  const seen = heads[stateKey(location, fingerprint)];
  if (!seen) {
    const other = Object.values(heads).filter((h) => h.location === location && h.fingerprint !== fingerprint).sort((a, b) => b.at.localeCompare(a.at))[0];
    if (!other) return null;
    if ('signer' in (await findSigner(core))) return null;
    return {
      kind: 'key',
      table: 'record_keys',
      tableLabel: '记录签名公钥',
      message: `本机于 ${formatChinaMoment(other.at)} 校验此记录库时，记录签名公钥的指纹为 ${short(other.fingerprint)}，现为 ${fingerprint ? short(fingerprint) : '（无）'}：公钥被替换或删除（若记录库确已重新初始化，请在持有新私钥的电脑上校验）。`,
    };
  }
  if (!head || head.seq < seen.seq) {
    return {
      kind: 'chain',
      seq: seen.seq,
      message: `本机于 ${formatChinaMoment(seen.at)} 校验时记录已到第 ${seen.seq} 号事件，现在${head ? `只到第 ${head.seq} 号` : '没有任何事件'}：记录被截断，或打开的是较早的副本。`,
    };
  }
  const h = hashAt(seen.seq);
  if (h !== seen.hash) {
    return {
      kind: 'chain',
      seq: seen.seq,
      message: `本机于 ${formatChinaMoment(seen.at)} 校验过的第 ${seen.seq} 号事件，其哈希与现在不符：记录与本机此前所见的分叉（被改写）。`,
    };
  }
  return null;
}
