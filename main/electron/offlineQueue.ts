// The desktop's offline queue (issue 14, point 2: "no keystroke lost"). While the agency server cannot
// be reached, autosaves (drafts.save, reviews.saveDraft, meetings.save) are kept in a file on the desk
// with the desk's time, answered locally as saved offline, and replayed in order when the server is
// back, recording the server's receipt time. A refusal because someone else changed the record
// meanwhile (code STALE) is kept for the author to resolve, and later changes to that record wait
// behind it: the other person's change is never silently overwritten. No electron import: tested in
// Node (test/integration/desk-offline.test.ts).
import fs from 'node:fs';
import path from 'node:path';
import type { ErrorPayload } from '../core/domain/errors';
import type { RemoteResult } from './remote';
import { isTransportFailure } from './remote';

/** The channels whose requests are kept on the desk while the server cannot be reached. */
export const OFFLINE_CHANNELS = ['drafts.save', 'reviews.saveDraft', 'meetings.save'] as const;
export type OfflineChannel = (typeof OFFLINE_CHANNELS)[number];

export function isOfflineChannel(channel: string): channel is OfflineChannel {
  return (OFFLINE_CHANNELS as readonly string[]).includes(channel);
}

/**
 * pending: not sent yet. held: waits behind a conflict on the same record. sent: the server took it.
 * conflict: the server refused it as stale (kept for the author). rejected: refused for another reason
 * (kept, shown). discarded: the author dropped it after seeing the conflict.
 */
export type QueueState = 'pending' | 'held' | 'sent' | 'conflict' | 'rejected' | 'discarded';

export interface QueueItem {
  seq: number;
  channel: OfflineChannel;
  input: unknown;
  /** The author: replayed only with a session of this user. */
  userId: number;
  /** The record the change is for: drafts:<key>, review:<caseId>, meeting:<meetingId>. */
  recordKey: string;
  /** When it was made, by the desk's clock. */
  deskTime: string;
  state: QueueState;
  /** When the server received it (its reply's savedAt, else its Date header). */
  receivedAt?: string;
  error?: ErrorPayload;
}

interface QueueFile {
  version: 1;
  nextSeq: number;
  items: QueueItem[];
  /**
   * Versions this desk's own replays moved a record on (`userId|recordKey` → from, to): the window
   * that typed offline still holds `from`, and its next write is based on `to`, not refused as stale
   * because of its own queued changes.
   */
  advanced?: Record<string, { from: number; to: number }>;
}

/** The version a write is based on (issue 14 point 4: `expectedVersion`), or null. */
export function expectedVersionOf(input: unknown): number | null {
  const v = input && typeof input === 'object' ? (input as { expectedVersion?: unknown }).expectedVersion : undefined;
  return typeof v === 'number' ? v : null;
}

/** The record a versioned write names, for the channels whose records the queue may have moved on. */
function versionedRecordKey(channel: string, input: unknown): string | null {
  const i = (input ?? {}) as Record<string, unknown>;
  if (channel === 'reviews.saveDraft' || channel === 'reviews.issue') return `review:${String(i.caseId)}`;
  if (channel.startsWith('meetings.') && i.meetingId !== undefined) return `meeting:${String(i.meetingId)}`;
  return null;
}

/** How many sent / discarded items are kept as history in the file. */
const HISTORY = 200;

export function recordKeyOf(channel: OfflineChannel, input: unknown): string {
  const i = (input ?? {}) as Record<string, unknown>;
  if (channel === 'drafts.save') return `drafts:${String(i.key)}`;
  if (channel === 'reviews.saveDraft') return `review:${String(i.caseId)}`;
  return `meeting:${String(i.meetingId)}`;
}

/** Sends one queued item to the server; the author's session is the sender's business. */
export type Sender = (item: QueueItem) => Promise<RemoteResult>;

export interface FlushOutcome {
  sent: QueueItem[];
  conflicts: QueueItem[];
  rejected: QueueItem[];
  /** True when the server could not be reached (the rest stays pending). */
  unreachable: boolean;
  /** Users whose items wait for a sign-in (no session, or it ended). */
  waitingForSignIn: number[];
}

export class OfflineQueue {
  private data: QueueFile;
  private flushing: Promise<FlushOutcome> | null = null;

  private constructor(
    readonly file: string,
    private readonly now: () => Date,
  ) {
    this.data = OfflineQueue.load(file);
  }

  /** Opens (or starts) the queue kept in `file`. */
  static open(file: string, now: () => Date = () => new Date()): OfflineQueue {
    return new OfflineQueue(file, now);
  }

  private static load(file: string): QueueFile {
    let raw: string;
    try {
      raw = fs.readFileSync(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, nextSeq: 1, items: [] };
      throw err;
    }
    try {
      const d = JSON.parse(raw) as QueueFile;
      if (d.version !== 1 || !Array.isArray(d.items) || typeof d.nextSeq !== 'number') throw new Error('shape');
      return d;
    } catch {
      // Never start over silently: the file holds unsent work.
      throw new Error(`本机离线保存的文件已损坏（${file}），为免丢失内容未作改动；请联系信息管理员处理该文件后重新启动。`);
    }
  }

  /** Writes the whole queue atomically (temp file, fsync, rename): a crash leaves the old or the new. */
  private persist(): void {
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    const keep = new Set(
      this.data.items
        .filter((i) => i.state === 'sent' || i.state === 'discarded')
        .slice(-HISTORY)
        .map((i) => i.seq),
    );
    this.data.items = this.data.items.filter((i) => (i.state !== 'sent' && i.state !== 'discarded') || keep.has(i.seq));
    const tmp = `${this.file}.${process.pid}.tmp`;
    const fd = fs.openSync(tmp, 'w', 0o600);
    try {
      fs.writeSync(fd, JSON.stringify(this.data));
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, this.file);
  }

  /** Every item still in the file, oldest first (a copy). */
  items(): QueueItem[] {
    return this.data.items.map((i) => ({ ...i }));
  }

  /** Items that still need the server or the author: pending, held, conflict, rejected. */
  open(userId?: number): QueueItem[] {
    return this.items().filter((i) => i.state !== 'sent' && i.state !== 'discarded' && (userId === undefined || i.userId === userId));
  }

  /** Is anything of this user waiting to be sent (so a new change must queue behind it, in order)? */
  hasUnsent(userId: number): boolean {
    return this.data.items.some((i) => i.userId === userId && (i.state === 'pending' || i.state === 'held'));
  }

  /** Keeps a change on the desk. It waits behind a conflict on the same record, if there is one. */
  enqueue(channel: OfflineChannel, input: unknown, userId: number): QueueItem {
    const recordKey = recordKeyOf(channel, input);
    const blocked = this.data.items.some((i) => i.userId === userId && i.recordKey === recordKey && (i.state === 'conflict' || i.state === 'held'));
    const item: QueueItem = {
      seq: this.data.nextSeq++,
      channel,
      input,
      userId,
      recordKey,
      deskTime: this.now().toISOString(),
      state: blocked ? 'held' : 'pending',
    };
    this.data.items.push(item);
    this.persist();
    return { ...item };
  }

  /**
   * A write of `userId` based on a version that this desk's replays have since moved on (the window
   * still holds the version it read before going offline): the same write based on the version the
   * replays produced. Anything else is returned as is, so a change by someone else is still refused.
   */
  rebase(userId: number, channel: string, input: unknown): unknown {
    const key = versionedRecordKey(channel, input);
    const base = expectedVersionOf(input);
    if (key === null || base === null) return input;
    const adv = this.data.advanced?.[`${userId}|${key}`];
    return adv && adv.from === base ? { ...(input as object), expectedVersion: adv.to } : input;
  }

  /** The newest unsent drafts.save of `key` by this user: what drafts.load answers while offline. */
  latestDraft(userId: number, key: string): QueueItem | null {
    for (let i = this.data.items.length - 1; i >= 0; i--) {
      const it = this.data.items[i]!;
      if (it.userId === userId && it.channel === 'drafts.save' && it.recordKey === `drafts:${key}` && it.state !== 'sent' && it.state !== 'discarded') return { ...it };
    }
    return null;
  }

  /**
   * The author has seen the conflict on `recordKey` (and reloaded the record): the conflicting and the
   * held changes are dropped from the queue (kept as history). Returns how many.
   */
  discard(userId: number, recordKey: string): number {
    let n = 0;
    for (const it of this.data.items) {
      if (it.userId === userId && it.recordKey === recordKey && (it.state === 'conflict' || it.state === 'held' || it.state === 'rejected')) {
        it.state = 'discarded';
        n++;
      }
    }
    if (n) this.persist();
    return n;
  }

  /**
   * Replays pending items in order (oldest first) through `send`; `canSend(userId)` says whether the
   * author has a session now. Stops at the first transport failure. One flush at a time: a call while
   * one runs waits for it and then runs again.
   */
  async flush(send: Sender, canSend: (userId: number) => boolean): Promise<FlushOutcome> {
    while (this.flushing) await this.flushing.catch(() => undefined);
    const run = this.doFlush(send, canSend);
    this.flushing = run;
    try {
      return await run;
    } finally {
      this.flushing = null;
    }
  }

  /** After `it` was taken at version `to`: later queued writes on the same base follow it. */
  private advance(it: QueueItem, to: number | null): void {
    const base = expectedVersionOf(it.input);
    if (to === null || base === null) return;
    for (const later of this.data.items) {
      if (later.seq > it.seq && later.userId === it.userId && later.recordKey === it.recordKey && (later.state === 'pending' || later.state === 'held') && expectedVersionOf(later.input) === base) {
        later.input = { ...(later.input as object), expectedVersion: to };
      }
    }
    const k = `${it.userId}|${it.recordKey}`;
    const adv = (this.data.advanced ??= {});
    const prev = adv[k];
    adv[k] = { from: prev && prev.to === base ? prev.from : base, to };
  }

  private async doFlush(send: Sender, canSend: (userId: number) => boolean): Promise<FlushOutcome> {
    const out: FlushOutcome = { sent: [], conflicts: [], rejected: [], unreachable: false, waitingForSignIn: [] };
    const waiting = new Set<number>();
    for (const it of this.data.items) {
      if (it.state !== 'pending') continue;
      if (waiting.has(it.userId)) continue;
      if (!canSend(it.userId)) {
        waiting.add(it.userId);
        continue;
      }
      const res = await send({ ...it });
      if (isTransportFailure(res)) {
        out.unreachable = true;
        break;
      }
      if (res.ok) {
        const v = res.value as { savedAt?: unknown } | null;
        it.state = 'sent';
        it.receivedAt = v && typeof v.savedAt === 'string' ? v.savedAt : (res.serverDate ?? this.now().toISOString());
        delete it.error;
        this.advance(it, v && typeof (v as { version?: unknown }).version === 'number' ? (v as { version: number }).version : null);
        out.sent.push({ ...it });
      } else if (res.error.code === 'UNAUTHENTICATED' || res.error.code === 'PASSWORD_CHANGE_REQUIRED') {
        // The session ended: this user's changes wait (in order) for the next sign-in.
        waiting.add(it.userId);
        continue;
      } else if ((res.error.code as string) === 'STALE') {
        it.state = 'conflict';
        it.error = { code: res.error.code, message: res.error.message };
        it.receivedAt = res.serverDate;
        for (const later of this.data.items) {
          if (later.seq > it.seq && later.userId === it.userId && later.recordKey === it.recordKey && later.state === 'pending') later.state = 'held';
        }
        out.conflicts.push({ ...it });
      } else {
        it.state = 'rejected';
        it.error = { code: res.error.code, message: res.error.message };
        it.receivedAt = res.serverDate;
        out.rejected.push({ ...it });
      }
      this.persist();
    }
    out.waitingForSignIn = [...waiting];
    return out;
  }
}
