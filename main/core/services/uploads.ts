// Attachments uploaded from the UI arrive in chunks; each chunk is hashed and appended to a temp
// file, so memory holds one chunk at a time whatever the file size.
import { createHash, randomBytes, type Hash } from 'node:crypto';
import fs from 'node:fs';
import { AppError } from '../domain/errors';
import { insertBlob } from '../db/repos/cases';
import { appendEvent } from './audit';
import { requirePermission } from './auth';
import { type Actor, type Core, nowIso, tx } from './core';

export interface Upload {
  id: string;
  ownerId: number;
  name: string;
  expectedSize: number;
  received: number;
  tmp: string;
  hash: Hash;
}

export function beginUpload(core: Core, actor: Actor, name: string, size: number): { uploadId: string } {
  requirePermission(actor, 'case.submit');
  const id = randomBytes(16).toString('hex');
  const tmp = core.blobs.newTempPath();
  fs.writeFileSync(tmp, '', { flag: 'wx' });
  core.uploads.set(id, { id, ownerId: actor.id, name, expectedSize: size, received: 0, tmp, hash: createHash('sha256') });
  return { uploadId: id };
}

function ownUpload(core: Core, actor: Actor, uploadId: string): Upload {
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
  requirePermission(actor, 'case.submit');
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
