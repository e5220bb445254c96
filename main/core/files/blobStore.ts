// Content-addressed attachment store: files live under <root>/<aa>/<sha256>, written once and never
// changed. Data streams through a hash while it is written, so a file of any size never sits whole in memory.
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import { AppError } from '../domain/errors';

export interface StoredBlob {
  sha256: string;
  size: number;
}

export class BlobStore {
  constructor(readonly root: string) {
    fs.mkdirSync(path.join(root, 'tmp'), { recursive: true });
  }

  pathOf(sha256: string): string {
    return path.join(this.root, sha256.slice(0, 2), sha256);
  }

  has(sha256: string): boolean {
    return fs.existsSync(this.pathOf(sha256));
  }

  /**
   * Deletes temp files not written since `before` (uploads abandoned by an earlier process: a live
   * upload appends to its file at every chunk). Returns how many were removed.
   */
  sweepTemp(before: Date): number {
    const dir = path.join(this.root, 'tmp');
    let n = 0;
    for (const name of fs.readdirSync(dir)) {
      const p = path.join(dir, name);
      try {
        const st = fs.statSync(p);
        if (st.isFile() && st.mtimeMs <= before.getTime()) {
          fs.rmSync(p, { force: true });
          n++;
        }
      } catch {
        // Gone meanwhile (finished or removed by another process): nothing to do.
      }
    }
    return n;
  }

  newTempPath(): string {
    return path.join(this.root, 'tmp', randomBytes(16).toString('hex'));
  }

  /** Streams a readable into the store; returns its hash and size. */
  async putStream(source: NodeJS.ReadableStream): Promise<StoredBlob> {
    const tmp = this.newTempPath();
    const hash = createHash('sha256');
    let size = 0;
    const tap = new Transform({
      transform(chunk: Buffer, _enc, cb) {
        hash.update(chunk);
        size += chunk.length;
        cb(null, chunk);
      },
    });
    try {
      await pipeline(source, tap, fs.createWriteStream(tmp, { flags: 'wx' }));
    } catch (err) {
      fs.rmSync(tmp, { force: true });
      throw new AppError('VALIDATION', `读取附件失败：${(err as Error).message}`);
    }
    return this.commitTemp(tmp, hash.digest('hex'), size);
  }

  async putFile(file: string): Promise<StoredBlob> {
    if (!fs.existsSync(file) || !fs.statSync(file).isFile()) {
      throw new AppError('VALIDATION', `附件文件“${file}”不存在或不是普通文件。`);
    }
    return this.putStream(fs.createReadStream(file));
  }

  /** Moves a fully written temp file into place under its hash (a duplicate is simply dropped). */
  commitTemp(tmp: string, sha256: string, size: number): StoredBlob {
    const dest = this.pathOf(sha256);
    if (fs.existsSync(dest)) {
      fs.rmSync(tmp, { force: true });
    } else {
      fs.mkdirSync(path.dirname(dest), { recursive: true });
      fs.renameSync(tmp, dest);
      fs.chmodSync(dest, 0o444);
    }
    return { sha256, size };
  }
}
