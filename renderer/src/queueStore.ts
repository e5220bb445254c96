// The signed-in user's 待办, read once and shared: the 待办 screen shows it, the menu shows its counts.
// The shell refreshes it on every navigation (a desktop alone has no pushes: the counts follow the
// user's own actions) and on every pushed event in team mode; calls made while one is on its way are
// folded into one more call after it, at least a second after the one before: a burst of pushes costs at
// most two requests, and a steady stream one a second.
import { useEffect, useState } from 'react';
import type { QueueView } from '../../main/core/domain/views';
import { call } from './api';
export { QUEUE_STALE_EVENT } from './queueSignals';

interface QueueState {
  userId: number | null;
  queue: QueueView | null;
  error: string | null;
}

let state: QueueState = { userId: null, queue: null, error: null };
const listeners = new Set<(s: QueueState) => void>();
let running: Promise<void> | null = null;
let again = false;
/** Whose queue the next read is for (the latest caller's). */
let wanted: number | null = null;
/** When the latest read began, and the least time between a read and one folded in after it. */
let lastRead = 0;
const MIN_GAP_MS = 1000;

function set(next: QueueState): void {
  state = next;
  for (const l of listeners) l(state);
}

/** Reads the queue of this user again (a different user than last time starts from nothing). */
export function refreshQueue(userId: number): Promise<void> {
  if (state.userId !== userId) set({ userId, queue: null, error: null });
  wanted = userId;
  if (running) {
    again = true;
    return running;
  }
  running = (async () => {
    let first = true;
    do {
      // A read folded in after another waits until a second has passed since that one began: a stream of
      // pushes (every event a reviewer may read reaches them) costs at most one read a second.
      if (!first) await new Promise((r) => setTimeout(r, Math.max(0, lastRead + MIN_GAP_MS - Date.now())));
      first = false;
      lastRead = Date.now();
      again = false;
      const uid = wanted;
      const res = await call('cases.queue', {});
      // Switched user meanwhile: that answer belongs to nobody on screen (the switch asked for another read).
      if (uid === null || state.userId !== uid) continue;
      set(res.ok ? { userId: uid, queue: res.value, error: null } : { ...state, error: res.error.message });
    } while (again);
  })().finally(() => {
    running = null;
  });
  return running;
}

/** The shared queue of this user, as last read. */
export function useQueue(userId: number): { queue: QueueView | null; error: string | null } {
  const [s, setS] = useState(state);
  useEffect(() => {
    listeners.add(setS);
    setS(state);
    return () => {
      listeners.delete(setS);
    };
  }, []);
  return s.userId === userId ? { queue: s.queue, error: s.error } : { queue: null, error: null };
}
