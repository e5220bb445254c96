// The desktop's offline queue (main/electron/offlineQueue.ts) on its own, with a scripted server: a
// stale refusal is kept for the author and later changes to that record wait behind it (never sent
// over someone else's change); the desk's own queued changes move the version on instead of
// conflicting with each other; a session that ended makes that author's changes wait, in order.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OfflineQueue, type QueueItem } from '../../main/electron/offlineQueue';
import type { RemoteResult } from '../../main/electron/remote';

let dir: string;
let file: string;
const clock = { now: new Date('2026-11-23T02:00:00Z') };
const tick = () => (clock.now = new Date(clock.now.getTime() + 1000));

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lrw-queue-'));
  file = path.join(dir, 'q.json');
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

const STALE: RemoteResult = { ok: false, error: { code: 'STALE' as never, message: '审核意见草稿已被孙审核于11月23日10:05修改，请刷新后再修改。' }, serverDate: '2026-11-23T02:10:00.000Z' };

/** A scripted server: answers each item with the next reply, and remembers what it was sent. */
function script(...replies: ((it: QueueItem) => RemoteResult)[]) {
  const sent: QueueItem[] = [];
  return {
    sent,
    send: async (it: QueueItem) => {
      sent.push(it);
      const r = replies.shift();
      if (!r) throw new Error('unexpected send');
      return r(it);
    },
  };
}
const ok = (value: unknown) => (): RemoteResult => ({ ok: true, value, serverDate: '2026-11-23T02:10:00.000Z' });

describe('offline queue', () => {
  it('a stale refusal is kept for the author; later changes of that record are held, other records go on', async () => {
    const q = OfflineQueue.open(file, () => clock.now);
    q.enqueue('reviews.saveDraft', { caseId: 7, opinion: '第一稿', expectedVersion: 3 }, 4);
    tick();
    q.enqueue('drafts.save', { key: 'submit:new', json: '"x"' }, 4);
    tick();
    q.enqueue('reviews.saveDraft', { caseId: 7, opinion: '第二稿', expectedVersion: 3 }, 4);
    const srv = script(() => STALE, ok({ savedAt: '2026-11-23T02:10:01.000Z' }));
    const out = await q.flush(srv.send, () => true);
    expect(srv.sent.map((i) => i.seq)).toEqual([1, 2]);
    expect(out.conflicts.map((i) => i.seq)).toEqual([1]);
    const items = OfflineQueue.open(file).items();
    expect(items.map((i) => [i.seq, i.state])).toEqual([
      [1, 'conflict'],
      [2, 'sent'],
      [3, 'held'],
    ]);
    expect(items[0]!.error?.message).toContain('已被孙审核');
    expect(items[1]!.receivedAt).toBe('2026-11-23T02:10:01.000Z');
    // A new change of the conflicting record waits too; a second flush sends nothing.
    q.enqueue('reviews.saveDraft', { caseId: 7, opinion: '第三稿', expectedVersion: 3 }, 4);
    expect(q.open(4).at(-1)!.state).toBe('held');
    expect(srv.sent.length).toBe(2);
    await q.flush(srv.send, () => true);
    expect(srv.sent.length).toBe(2);
    // The author resolves it (after reloading the record): kept as history, no longer open.
    expect(q.discard(4, 'review:7')).toBe(3);
    expect(q.open(4)).toEqual([]);
    expect(q.items().filter((i) => i.state === 'discarded').map((i) => (i.input as { opinion: string }).opinion)).toEqual(['第一稿', '第二稿', '第三稿']);
  });

  it("the desk's own queued changes of one record follow each other's versions instead of conflicting", async () => {
    const q = OfflineQueue.open(file, () => clock.now);
    q.enqueue('meetings.save', { meetingId: 2, items: [{ caseId: 1, notes: 'a' }], expectedVersion: 5 }, 9);
    q.enqueue('meetings.save', { meetingId: 2, items: [{ caseId: 1, notes: 'ab' }], expectedVersion: 5 }, 9);
    const srv = script(ok({ version: 6 }), ok({ version: 7 }));
    await q.flush(srv.send, () => true);
    expect(srv.sent.map((i) => (i.input as { expectedVersion: number }).expectedVersion)).toEqual([5, 6]);
    // The window still holds version 5: its next write is based on what the replays made (7)...
    expect(q.rebase(9, 'meetings.save', { meetingId: 2, expectedVersion: 5 })).toEqual({ meetingId: 2, expectedVersion: 7 });
    expect(q.rebase(9, 'meetings.decide', { meetingId: 2, caseId: 1, expectedVersion: 5 })).toMatchObject({ expectedVersion: 7 });
    // ...but not another user's, another record's, or a write based on any other version.
    expect(q.rebase(8, 'meetings.save', { meetingId: 2, expectedVersion: 5 })).toEqual({ meetingId: 2, expectedVersion: 5 });
    expect(q.rebase(9, 'meetings.save', { meetingId: 3, expectedVersion: 5 })).toEqual({ meetingId: 3, expectedVersion: 5 });
    expect(q.rebase(9, 'meetings.save', { meetingId: 2, expectedVersion: 4 })).toEqual({ meetingId: 2, expectedVersion: 4 });
    // It survives a restart.
    expect(OfflineQueue.open(file).rebase(9, 'meetings.save', { meetingId: 2, expectedVersion: 5 })).toMatchObject({ expectedVersion: 7 });
  });

  it('a session that ended: that author waits (in order) for the next sign-in; others go on', async () => {
    const q = OfflineQueue.open(file, () => clock.now);
    q.enqueue('drafts.save', { key: 'a', json: '1' }, 1);
    q.enqueue('drafts.save', { key: 'b', json: '2' }, 2);
    q.enqueue('drafts.save', { key: 'a', json: '3' }, 1);
    const srv = script(() => ({ ok: false, error: { code: 'UNAUTHENTICATED', message: '登录已超时' } }), ok({ savedAt: 'x' }));
    const out = await q.flush(srv.send, () => true);
    expect(srv.sent.map((i) => i.seq)).toEqual([1, 2]);
    expect(out.waitingForSignIn).toEqual([1]);
    expect(q.open(1).map((i) => [i.seq, i.state])).toEqual([
      [1, 'pending'],
      [3, 'pending'],
    ]);
    const again = script(ok({ savedAt: 'y' }), ok({ savedAt: 'z' }));
    await q.flush(again.send, () => true);
    expect(again.sent.map((i) => i.seq)).toEqual([1, 3]);
  });

  it('stops at the first transport failure and keeps the rest pending', async () => {
    const q = OfflineQueue.open(file, () => clock.now);
    q.enqueue('drafts.save', { key: 'a', json: '1' }, 1);
    q.enqueue('drafts.save', { key: 'a', json: '2' }, 1);
    const srv = script(() => ({ ok: false, error: { code: 'SERVER_UNREACHABLE', message: '无法连接本单位服务器' } }));
    const out = await q.flush(srv.send, () => true);
    expect(out.unreachable).toBe(true);
    expect(srv.sent.length).toBe(1);
    expect(q.open(1).map((i) => i.state)).toEqual(['pending', 'pending']);
    expect(q.latestDraft(1, 'a')!.input).toEqual({ key: 'a', json: '2' });
  });

  it('a damaged queue file is refused with a clear message and left untouched', () => {
    fs.writeFileSync(file, '{"version":1,"items":[');
    expect(() => OfflineQueue.open(file)).toThrow(/离线保存的文件已损坏/);
    expect(fs.readFileSync(file, 'utf8')).toBe('{"version":1,"items":[');
  });
});
