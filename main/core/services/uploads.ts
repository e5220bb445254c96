// Attachments uploaded from the UI arrive in chunks; each chunk is written to a temp file, so memory
// holds one chunk at a time whatever the file size. An upload in flight is a row of the store (table
// uploads, migration 014) plus its temp file under <files>/tmp, so any server process on the same
// database and files directory continues an upload another began (issue 14). Limits (issue 10, point
// 11): a declared size over the agency's cap (setting `uploads`, default 2 GiB) is refused at begin,
// and an upload with no chunk for 24 hours is abandoned: removed, temp file and all, on the next
// begin, chunk or finish; temp files nobody wrote to for 24 hours are removed when a core opens
// (BlobStore.sweepTemp).
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { AppError } from '../domain/errors';
import { insertBlob } from '../db/repos/cases';
import { advanceUpload, deleteStaleUpload, deleteUpload, getUpload, insertUpload, staleUploads, type UploadRow } from '../db/repos/uploads';
import { getSetting, setSetting } from '../db/repos/deadlines';
import type { UploadSettingsView } from '../domain/views';
import { UploadSettingsInput } from '../../../preload/contract';
import { appendEvent } from './audit';
import { requirePermission } from './auth';
import { type Actor, type Core, nowIso, parseInput, tx } from './core';
import { assertFresh, settingVersion } from './versions';

/** 2 GiB: the default cap on one file (agency setting `uploads.maxUploadBytes`). */
export const DEFAULT_MAX_UPLOAD_BYTES = 2 * 1024 ** 3;
/** An upload with no chunk for this long is abandoned and removed. */
export const ABANDON_AFTER_HOURS = 24;
const ABANDON_MS = ABANDON_AFTER_HOURS * 3600_000;

export async function uploadSettings(core: Core): Promise<UploadSettingsView> {
  const s = await getSetting<{ maxUploadBytes?: number }>(core.db, 'uploads');
  return { maxUploadBytes: s?.maxUploadBytes ?? DEFAULT_MAX_UPLOAD_BYTES, abandonAfterHours: ABANDON_AFTER_HOURS };
}

/** The settings page's view: the limits and their version (services/versions.ts). */
export async function uploadSettingsView(core: Core): Promise<UploadSettingsView & { version: number }> {
  return { ...await uploadSettings(core), version: (await settingVersion(core, 'uploads')).version };
}

export async function updateUploadSettings(core: Core, actor: Actor, input: unknown): Promise<UploadSettingsView & { version: number }> {
  requirePermission(actor, 'settings.manage');
  const s = parseInput(UploadSettingsInput, input);
  await tx(core, async () => {
    await assertFresh(core, '上传设置', s.expectedVersion, await settingVersion(core, 'uploads'));
    await setSetting(core.db, 'uploads', { maxUploadBytes: s.maxUploadBytes }, nowIso(core));
    await appendEvent(core, actor, 'settings.uploads', null, { maxUploadBytes: s.maxUploadBytes });
  });
  return await uploadSettingsView(core);
}

/** 2147483648 → “2 GiB”, 52428800 → “50 MiB”. */
export function bytesText(n: number): string {
  const units: [number, string][] = [[1024 ** 3, 'GiB'], [1024 ** 2, 'MiB'], [1024, 'KiB']];
  for (const [size, unit] of units) {
    if (n >= size) {
      const v = n / size;
      return `${Number.isInteger(v) ? v : v.toFixed(1)} ${unit}`;
    }
  }
  return `${n} 字节`;
}

/** The temp file of an upload, in this process's files dir (shared storage when several servers run). */
const tmpPath = (core: Core, tmpName: string): string => path.join(core.blobs.root, 'tmp', tmpName);

/**
 * Removes uploads (of any process on this store) that have had no chunk for 24 hours, with their temp
 * files. A row is removed only while it is still that old, so a chunk arriving meanwhile keeps it.
 */
export async function removeAbandonedUploads(core: Core): Promise<number> {
  const cutoff = new Date(core.now().getTime() - ABANDON_MS).toISOString();
  let n = 0;
  for (const up of await staleUploads(core.db, cutoff)) {
    if (await deleteStaleUpload(core.db, up.id, cutoff)) {
      await fsp.rm(tmpPath(core, up.tmp_name), { force: true });
      n++;
    }
  }
  return n;
}

/** An upload in flight as the store holds it (migration 014): everything any process needs to continue it. */
export type Upload = UploadRow;

export async function beginUpload(core: Core, actor: Actor, name: string, size: number): Promise<{ uploadId: string }> {
  requirePermission(actor, 'attachment.upload');
  await removeAbandonedUploads(core);
  const { maxUploadBytes } = await uploadSettings(core);
  if (!(Number.isInteger(size) && size >= 0)) throw new AppError('VALIDATION', `文件“${name}”的大小无效。`);
  if (size > maxUploadBytes) {
    throw new AppError('VALIDATION', `文件“${name}”大小为${bytesText(size)}，超过本机关规定的单个文件上传上限${bytesText(maxUploadBytes)}，未上传。请压缩或拆分后再上传，或请系统管理员调整上限。`, { size, maxUploadBytes });
  }
  const id = randomBytes(16).toString('hex');
  const tmp = core.blobs.newTempPath();
  await fsp.writeFile(tmp, '', { flag: 'wx' });
  try {
    await insertUpload(core.db, { id, owner_id: actor.id, name, expected_size: size, tmp_name: path.basename(tmp), started_at: nowIso(core) });
  } catch (err) {
    await fsp.rm(tmp, { force: true });
    throw err;
  }
  return { uploadId: id };
}

const gone = (): AppError => new AppError('NOT_FOUND', '上传任务不存在或已结束，请重新选择文件。');

/** The actor's own upload, or NOT_FOUND (someone else's upload is not found either). */
async function ownUpload(core: Core, actor: Actor, uploadId: string): Promise<UploadRow> {
  const up = await getUpload(core.db, uploadId);
  if (!up || up.owner_id !== actor.id) throw gone();
  return up;
}

/** Same bytes at `offset` of the temp file (a chunk sent again after its answer was lost). */
async function alreadyHas(file: string, offset: number, buf: Buffer): Promise<boolean> {
  const fh = await fsp.open(file, 'r');
  try {
    const have = Buffer.alloc(buf.length);
    const { bytesRead } = await fh.read(have, 0, buf.length, offset);
    return bytesRead === buf.length && have.equals(buf);
  } finally {
    await fh.close();
  }
}

type ChunkOutcome = { ok: true; received: number } | { ok: false; error: AppError };

/**
 * Accepts the next chunk of an upload, through whichever process receives it: in one write transaction
 * (so two chunks of one upload never interleave, whichever servers they reach) the chunk is written at
 * the upload's `received` offset of its temp file and the row moves on. With `offset` (the sender's own
 * count), a chunk sent again after its answer was lost is recognised and not stored twice, and a chunk
 * out of place is refused with what the server has.
 */
export async function uploadChunk(core: Core, actor: Actor, uploadId: string, base64: string, offset?: number): Promise<{ received: number }> {
  await removeAbandonedUploads(core);
  const buf = Buffer.from(base64, 'base64');
  const outcome = await tx(core, async (): Promise<ChunkOutcome> => {
    const up = await ownUpload(core, actor, uploadId);
    const file = tmpPath(core, up.tmp_name);
    if (offset !== undefined && offset !== up.received) {
      if (offset + buf.length <= up.received && fs.existsSync(file) && await alreadyHas(file, offset, buf)) return { ok: true, received: up.received };
      return {
        ok: false,
        error: new AppError('CONFLICT', `文件“${up.name}”的数据块位置不符：服务器已收到${up.received}字节，该数据块从第${offset}字节开始。请从第${up.received}字节继续上传。`, { received: up.received }),
      };
    }
    if (up.received + buf.length > up.expected_size) {
      await deleteUpload(core.db, up.id);
      await fsp.rm(file, { force: true });
      return { ok: false, error: new AppError('VALIDATION', `文件“${up.name}”的数据多于声明的大小，上传已取消。`) };
    }
    let fh: fsp.FileHandle;
    try {
      fh = await fsp.open(file, 'r+');
    } catch {
      // The temp file is gone (removed as abandoned by a process that opened meanwhile): so is the upload.
      await deleteUpload(core.db, up.id);
      return { ok: false, error: gone() };
    }
    try {
      // Whatever lies past `received` (a write whose transaction did not commit) is not the upload.
      await fh.truncate(up.received);
      await fh.write(buf, 0, buf.length, up.received);
    } finally {
      await fh.close();
    }
    const received = up.received + buf.length;
    if (!await advanceUpload(core.db, up.id, up.received, received, nowIso(core))) return { ok: false, error: new AppError('CONFLICT', `文件“${up.name}”正在由另一请求写入，请重试。`) };
    return { ok: true, received };
  });
  if (!outcome.ok) throw outcome.error;
  return { received: outcome.received };
}

/** SHA-256 of a file, streamed (a file of any size, never whole in memory, without blocking the event loop). */
async function sha256OfFile(file: string): Promise<string> {
  const h = createHash('sha256');
  await pipeline(fs.createReadStream(file), h);
  return h.digest('hex');
}

export async function finishUpload(core: Core, actor: Actor, uploadId: string): Promise<{ sha256: string; size: number; name: string }> {
  await removeAbandonedUploads(core);
  // Taking the row ends the upload for every process: one finish wins, a second is told it has ended.
  const up = await tx(core, async () => {
    const row = await ownUpload(core, actor, uploadId);
    if (!await deleteUpload(core.db, row.id)) throw gone();
    return row;
  });
  const tmp = tmpPath(core, up.tmp_name);
  const size = fs.existsSync(tmp) ? (await fsp.stat(tmp)).size : -1;
  if (up.received !== up.expected_size || size < up.received) {
    await fsp.rm(tmp, { force: true });
    throw new AppError('VALIDATION', `文件“${up.name}”上传不完整（${Math.min(up.received, Math.max(size, 0))}/${up.expected_size} 字节），请重新上传。`);
  }
  if (size > up.received) await fsp.truncate(tmp, up.received);
  // The hash is taken from the file itself, whichever processes wrote its chunks.
  const blob = core.blobs.commitTemp(tmp, await sha256OfFile(tmp), up.received);
  await recordBlob(core, actor, blob.sha256, blob.size, up.name);
  return { ...blob, name: up.name };
}

/** Ends an upload without storing it (its temp file removed). Unknown ids are ignored. */
export async function abortUpload(core: Core, uploadId: string): Promise<void> {
  const up = await getUpload(core.db, uploadId);
  if (!up) return;
  if (await deleteUpload(core.db, up.id)) await fsp.rm(tmpPath(core, up.tmp_name), { force: true });
}

/** Streams a file from disk into the store (the `lrw` path). */
export async function storeFile(core: Core, actor: Actor, file: string, name: string) {
  requirePermission(actor, 'attachment.upload');
  const { maxUploadBytes } = await uploadSettings(core);
  const size = fs.existsSync(file) && fs.statSync(file).isFile() ? fs.statSync(file).size : 0;
  if (size > maxUploadBytes) {
    throw new AppError('VALIDATION', `文件“${name}”大小为${bytesText(size)}，超过本机关规定的单个文件上传上限${bytesText(maxUploadBytes)}，未存入。`, { size, maxUploadBytes });
  }
  const blob = await core.blobs.putFile(file);
  await recordBlob(core, actor, blob.sha256, blob.size, name);
  return { ...blob, name };
}

async function recordBlob(core: Core, actor: Actor, sha256: string, size: number, name: string): Promise<void> {
  await tx(core, async () => {
    await insertBlob(core.db, sha256, size, nowIso(core));
    await appendEvent(core, actor, 'attachment.store', null, { sha256, size, name });
  });
}
