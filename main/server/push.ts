// Live updates: every event appended to the chain — through this process, another server process on
// the same PostgreSQL, or `lrw` — is pushed to the connected clients within moments.
// PostgreSQL announces each event on the channel lrw_events (migration 013) and this process LISTENs
// on its own connection; a slow poll of the head backs it up (a lost connection is re-established).
// SQLite has no such channel, and its server is the only process: the head is polled.
import pg from 'pg';
import type { Core } from '../core/services/core';
import { eventsAfter, headSeq, type PushedEvent } from '../core/services/pushEvents';

export type { PushedEvent };

export interface PushHub {
  subscribe(fn: (e: PushedEvent) => void): () => void;
  close(): Promise<void>;
}

export interface PushOptions {
  /** The full PostgreSQL URL (with its password), for the LISTEN connection. */
  pgUrl?: string;
  /** How often the head is polled (SQLite; PostgreSQL's back-up poll is 10 times slower). */
  pollMs?: number;
}

export async function startPush(core: Core, opts: PushOptions = {}): Promise<PushHub> {
  const listeners = new Set<(e: PushedEvent) => void>();
  let last = await headSeq(core);
  let closed = false;
  let pumping: Promise<void> | null = null;
  let again = false;

  // One reader at a time; a wake-up during a read reads once more afterwards.
  const pump = (): Promise<void> => {
    if (pumping) {
      again = true;
      return pumping;
    }
    pumping = (async () => {
      do {
        again = false;
        try {
          for (;;) {
            const batch = await eventsAfter(core, last, 500);
            for (const e of batch) {
              last = e.seq;
              for (const l of listeners) l(e);
            }
            if (batch.length < 500) break;
          }
        } catch (err) {
          if (!closed) console.error('[lrw serve] 读取新事件失败：', (err as Error).message);
        }
      } while (again && !closed);
    })().finally(() => {
      pumping = null;
    });
    return pumping;
  };

  let listenClient: pg.Client | null = null;
  let reconnect: NodeJS.Timeout | null = null;
  const listen = async (): Promise<void> => {
    if (!opts.pgUrl || closed) return;
    const c = new pg.Client({ connectionString: opts.pgUrl, application_name: 'lrw-push' });
    c.on('notification', () => void pump());
    c.on('error', () => {
      if (listenClient === c) listenClient = null;
      void c.end().catch(() => undefined);
      if (!closed) reconnect = setTimeout(() => void listen().catch(() => undefined), 1000);
    });
    try {
      await c.connect();
      await c.query('LISTEN lrw_events');
      listenClient = c;
      void pump(); // whatever arrived while we were not listening
    } catch {
      void c.end().catch(() => undefined);
      if (!closed) reconnect = setTimeout(() => void listen().catch(() => undefined), 1000);
    }
  };
  await listen();

  const pollMs = opts.pollMs ?? 300;
  const poll = setInterval(() => void pump(), opts.pgUrl ? pollMs * 10 : pollMs);
  poll.unref();

  return {
    subscribe(fn) {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
    async close() {
      closed = true;
      clearInterval(poll);
      if (reconnect) clearTimeout(reconnect);
      listeners.clear();
      await pumping;
      if (listenClient) await listenClient.end().catch(() => undefined);
    },
  };
}
