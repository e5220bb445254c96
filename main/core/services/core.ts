// The core handle every service takes: the database, the attachment store and a clock.
import path from 'node:path';
import type { Db } from '../db/open';
import { openDb } from '../db/open';
import { BlobStore } from '../files/blobStore';
import type { Role } from '../domain/types';
import { ZodError, type ZodType } from 'zod';
import { AppError } from '../domain/errors';

export interface Core {
  db: Db;
  dbPath: string;
  blobs: BlobStore;
  now: () => Date;
  uploads: Map<string, import('./uploads').Upload>;
}

export interface Actor {
  id: number;
  username: string;
  displayName: string;
  roles: Role[];
}

export interface OpenCoreOptions {
  dbPath: string;
  /** Where attachments live; defaults to "<db file>-files" beside the database. */
  filesDir?: string;
  now?: () => Date;
}

export function openCore(opts: OpenCoreOptions): Core {
  const db = openDb(opts.dbPath);
  const filesDir = opts.filesDir ?? `${path.resolve(opts.dbPath)}-files`;
  return { db, dbPath: opts.dbPath, blobs: new BlobStore(filesDir), now: opts.now ?? (() => new Date()), uploads: new Map() };
}

export function closeCore(core: Core): void {
  core.db.close();
}

export const nowIso = (core: Core): string => core.now().toISOString();

/** Runs fn in one IMMEDIATE transaction: every write of a use case and its audit event land together or not at all. */
export function tx<T>(core: Core, fn: () => T): T {
  return core.db.transaction(fn).immediate();
}

/** Zod field path -> Chinese message, e.g. “party.idNumber：请填写证件号码”. */
export function parseInput<T>(schema: ZodType<T>, input: unknown): T {
  try {
    return schema.parse(input);
  } catch (err) {
    if (err instanceof ZodError) {
      const first = err.issues[0];
      const where = first.path.length ? `（字段 ${first.path.join('.')}）` : '';
      throw new AppError('VALIDATION', `输入有误：${first.message}${where}`, {
        issues: err.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
      });
    }
    throw err;
  }
}
