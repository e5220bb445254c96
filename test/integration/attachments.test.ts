import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { caseInput, makeFixture, type Fixture } from '../helpers/fixture';
import { beginUpload, finishUpload, storeFile, uploadChunk } from '../../main/core/services/uploads';
import { submitCase } from '../../main/core/services/cases';
import { AppError } from '../../main/core/domain/errors';

let f: Fixture;
beforeEach(async () => {
  f = await makeFixture();
});
afterEach(async () => f.close());

describe('attachments', () => {
  it('uploads in chunks, stores by content hash, read-only, and links to the submission', async () => {
    const data = crypto.randomBytes(3 * 1024 * 1024 + 17);
    const { uploadId } = await beginUpload(f.core, f.handler, '现场照片.jpg', data.length);
    for (let i = 0; i < data.length; i += 1024 * 1024) await uploadChunk(f.core, f.handler, uploadId, data.subarray(i, i + 1024 * 1024).toString('base64'));
    const blob = await finishUpload(f.core, f.handler, uploadId);
    expect(blob.sha256).toBe(crypto.createHash('sha256').update(data).digest('hex'));
    const stored = f.core.blobs.pathOf(blob.sha256);
    expect(fs.readFileSync(stored).equals(data)).toBe(true);
    expect(fs.statSync(stored).mode & 0o222).toBe(0);
    const c = await submitCase(f.core, f.handler, caseInput(f, { attachments: [{ sha256: blob.sha256, name: '现场照片.jpg' }] }));
    expect(c.submissions[0].attachments).toEqual([{ sha256: blob.sha256, name: '现场照片.jpg', size: data.length }]);
  });

  it('refuses more data than declared and an incomplete upload, leaving nothing stored', async () => {
    const { uploadId } = await beginUpload(f.core, f.handler, 'a.pdf', 4);
    await expect((async () => await uploadChunk(f.core, f.handler, uploadId, Buffer.from('12345').toString('base64')))()).rejects.toThrow(AppError);
    const second = await beginUpload(f.core, f.handler, 'b.pdf', 10);
    await uploadChunk(f.core, f.handler, second.uploadId, Buffer.from('123').toString('base64'));
    await expect((async () => await finishUpload(f.core, f.handler, second.uploadId))()).rejects.toThrow(/不完整/);
    expect((await f.core.db.value('SELECT COUNT(*) FROM blobs'))).toBe(0);
    expect(fs.readdirSync(path.join(f.core.blobs.root, 'tmp'))).toEqual([]);
  });

  it('another user cannot write into someone else’s upload', async () => {
    const { uploadId } = await beginUpload(f.core, f.handler, 'a.pdf', 4);
    await expect((async () => await uploadChunk(f.core, f.officer, uploadId, 'AAAA'))()).rejects.toThrow(/上传任务不存在/);
  });

  it('streams a file from disk and deduplicates identical content', async () => {
    const src = path.join(f.dir, 'big.bin');
    const chunk = crypto.randomBytes(1024 * 1024);
    const out = fs.openSync(src, 'w');
    for (let i = 0; i < 20; i++) fs.writeSync(out, chunk);
    fs.closeSync(out);
    const a = await storeFile(f.core, f.handler, src, 'big.bin');
    const b = await storeFile(f.core, f.handler, src, '副本.bin');
    expect(a.sha256).toBe(b.sha256);
    expect(a.size).toBe(20 * 1024 * 1024);
    expect((await f.core.db.value('SELECT COUNT(*) FROM blobs'))).toBe(1);
  });
});
