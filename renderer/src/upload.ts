// Attachments go to the core in 1 MiB chunks (base64), so a large scan never sits whole in one message.
import { call } from './api';
import { readFileAsBase64 as blobToBase64 } from './files';

export const CHUNK_BYTES = 1024 * 1024;

export type UploadOutcome = { ok: true; sha256: string; size: number; name: string } | { ok: false; message: string };

export async function uploadFile(file: File, onProgress: (sent: number, total: number) => void): Promise<UploadOutcome> {
  const begun = await call('uploads.begin', { name: file.name, size: file.size });
  if (!begun.ok) return { ok: false, message: begun.error.message };
  const { uploadId } = begun.value;
  onProgress(0, file.size);
  for (let off = 0; off < file.size; off += CHUNK_BYTES) {
    let base64: string;
    try {
      base64 = await blobToBase64(file.slice(off, Math.min(file.size, off + CHUNK_BYTES)));
    } catch {
      return { ok: false, message: `无法读取文件“${file.name}”，请确认文件未被占用后重试。` };
    }
    const res = await call('uploads.chunk', { uploadId, base64, offset: off });
    if (!res.ok) return { ok: false, message: res.error.message };
    onProgress(res.value.received, file.size);
  }
  const done = await call('uploads.finish', { uploadId });
  if (!done.ok) return { ok: false, message: done.error.message };
  onProgress(file.size, file.size);
  return { ok: true, ...done.value };
}
