// Attachments uploaded from the UI arrive in chunks; each chunk is hashed and appended to a temp
// file, so memory holds one chunk at a time whatever the file size. An upload in flight is an entry in
// core.uploads plus its temp file under <files>/tmp. Limits (issue 10, point 11): a declared size over
// the agency's cap (setting `uploads`, default 2 GiB) is refused at begin, and an upload with no chunk
// for 24 hours is abandoned: removed, temp file and all, on the next begin; temp files left by an
// earlier process are removed when the core opens (BlobStore.sweepTemp).
import { createHash, randomBytes, type Hash } from 'node:crypto';
import fs from 'node:fs';
import { AppError } from '../domain/errors';
import { insertBlob } from '../db/repos/cases';
import { getSetting, setSetting } from '../db/repos/deadlines';
import type { UploadSettingsView } from '../domain/views';
import { UploadSettingsInput } from '../../../preload/contract';
import { appendEvent } from './audit';
import { requirePermission } from './auth';
import { type Actor, type Core, nowIso, parseInput, tx } from './core';

/** 2 GiB: the default cap on one file (agency setting `uploads.maxUploadBytes`). */
export const DEFAULT_MAX_UPLOAD_BYTES = 2 * 1024 ** 3;
/** An upload with no chunk for this long is abandoned and removed. */
export const ABANDON_AFTER_HOURS = 24;
const ABANDON_MS = ABANDON_AFTER_HOURS * 3600_000;

export async function uploadSettings(core: Core): Promise<UploadSettingsView> {
  const s = await getSetting<{ maxUploadBytes?: number }>(core.db, 'uploads');
  return { maxUploadBytes: s?.maxUploadBytes ?? DEFAULT_MAX_UPLOAD_BYTES, abandonAfterHours: ABANDON_AFTER_HOURS };
}

export async function updateUploadSettings(core: Core, actor: Actor, input: unknown): Promise<UploadSettingsView> {
  requirePermission(actor, 'settings.manage');
  const s = parseInput(UploadSettingsInput, input);
  await tx(core, async () => {
    await setSetting(core.db, 'uploads', { maxUploadBytes: s.maxUploadBytes }, nowIso(core));
    await appendEvent(core, actor, 'settings.uploads', null, { maxUploadBytes: s.maxUploadBytes });
  });
  return await uploadSettings(core);
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

/** Removes uploads of this process that have had no chunk for 24 hours (and their temp files). */
export function removeAbandonedUploads(core: Core): number {
  const cutoff = core.now().getTime() - ABANDON_MS;
  let n = 0;
  for (const up of [...core.uploads.values()]) {
    if (up.lastAt <= cutoff) {
      abortUpload(core, up.id);
      n++;
    }
  }
  return n;
}

export interface Upload {
  id: string;
  ownerId: number;
  name: string;
  expectedSize: number;
  received: number;
  tmp: string;
  hash: Hash;
  /** core.now() in ms at begin and at the last chunk: 24 hours after it the upload is abandoned. */
  lastAt: number;
}

export async function beginUpload(core: Core, actor: Actor, name: string, size: number): Promise<{ uploadId: string }> {
  requirePermission(actor, 'attachment.upload');
  removeAbandonedUploads(core);
  const { maxUploadBytes } = await uploadSettings(core);
  if (!(Number.isInteger(size) && size >= 0)) throw new AppError('VALIDATION', `文件“${name}”的大小无效。`);
  if (size > maxUploadBytes) {
    throw new AppError('VALIDATION', `文件“${name}”大小为${bytesText(size)}，超过本机关规定的单个文件上传上限${bytesText(maxUploadBytes)}，未上传。请压缩或拆分后再上传，或请系统管理员调整上限。`, { size, maxUploadBytes });
  }
  const id = randomBytes(16).toString('hex');
  const tmp = core.blobs.newTempPath();
  fs.writeFileSync(tmp, '', { flag: 'wx' });
  core.uploads.set(id, { id, ownerId: actor.id, name, expectedSize: size, received: 0, tmp, hash: createHash('sha256'), lastAt: core.now().getTime() });
  return { uploadId: id };
}

function ownUpload(core: Core, actor: Actor, uploadId: string): Upload {
  removeAbandonedUploads(core);
  const up = core.uploads.get(uploadId);
  if (!up || up.ownerId !== actor.id) throw new AppError('NOT_FOUND', '上传任务不存在或已结束，请重新选择文件。');
  return up;
}

export function uploadChunk(core: Core, actor: Actor, uploadId: string, base64: string): { received: number } {
  const up = ownUpload(core, actor, uploadId);
  const buf = Buffer.from(base64, 'base64');
  if (up.received + buf.length > up.expectedSize) {
    abortUpload(core, uploadId);
    throw new AppError('VALIDATION', `文件“${up.name}”的数据多于声明的大小，上传已取消。`);
  }
  fs.appendFileSync(up.tmp, buf);
  up.hash.update(buf);
  up.received += buf.length;
  up.lastAt = core.now().getTime();
  return { received: up.received };
}

export async function finishUpload(core: Core, actor: Actor, uploadId: string): Promise<{ sha256: string; size: number; name: string }> {
  const up = ownUpload(core, actor, uploadId);
  core.uploads.delete(uploadId);
  if (up.received !== up.expectedSize) {
    fs.rmSync(up.tmp, { force: true });
    throw new AppError('VALIDATION', `文件“${up.name}”上传不完整（${up.received}/${up.expectedSize} 字节），请重新上传。`);
  }
  const blob = core.blobs.commitTemp(up.tmp, up.hash.digest('hex'), up.received);
  await recordBlob(core, actor, blob.sha256, blob.size, up.name);
  return { ...blob, name: up.name };
}

export function abortUpload(core: Core, uploadId: string): void {
  const up = core.uploads.get(uploadId);
  if (!up) return;
  core.uploads.delete(uploadId);
  fs.rmSync(up.tmp, { force: true });
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
