// The desktop in server mode, as one object the IPC bridge hands every request to (issue 14, point 2):
// the contract goes to the agency server through RemoteCaller; autosaves go through the offline queue
// when the server cannot be reached (and, in order, behind anything still queued); a reachability
// watcher polls /healthz while offline, replays the queue when the server is back and reports the
// connection state for the banner. No electron import: tested in Node (test/integration/desk-*.test.ts).
import type { Result } from '../../preload/contract';
import { expectedVersionOf, isOfflineChannel, OfflineQueue, type FlushOutcome, type QueueItem } from './offlineQueue';
import { isTransportFailure, RemoteCaller, type RemoteSession } from './remote';
import { SIGNED_AT_DESK, type DeskSigner } from '../core/services/signAtDesk';

/** One window's sign-in against the server: the bearer token and who it is. */
export interface DeskSession extends RemoteSession {
  userId: number | null;
  /** Where this window's pushed events go (ipc.ts sends them to its webContents); none: no stream. */
  push?: (event: unknown) => void;
}

/** What the banner shows. */
export interface ConnectionStatus {
  mode: 'server';
  url: string;
  /** null before the first request. */
  reachable: boolean | null;
  /** Why not, when not reachable (Chinese). */
  message?: string;
  /** This desk's changes not yet sent (pending + held), and conflicts / refusals kept for their authors. */
  unsent: number;
  conflicts: number;
  rejected: number;
}

export interface TeamClientOptions {
  caller: RemoteCaller;
  queue: OfflineQueue;
  /** While offline, how often /healthz is tried (ms, default 5000). */
  retryMs?: number;
  onStatus?: (status: ConnectionStatus) => void;
  /** Signs with the keys this desktop holds (issue 14, point 5); none: those channels go to the server, which refuses them. */
  signer?: DeskSigner;
}

const hhmmss = (iso: string) => {
  const d = new Date(iso);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
};

/** The local answer to an autosave kept on the desk. drafts / review drafts look saved (they are, here). */
function savedOffline(item: QueueItem): Result<unknown> {
  if (item.channel === 'meetings.save') {
    // A MeetingView cannot be made up on the desk: the page keeps its unsaved parts and shows this.
    return {
      ok: false,
      error: { code: 'SAVED_OFFLINE', message: `本单位服务器暂时无法连接：本次记录已保存在本机（${hhmmss(item.deskTime)}），连接恢复后自动发送，请继续记录。` },
    };
  }
  // The version stays the one the window read: the replay moves it on (OfflineQueue.rebase).
  const base = expectedVersionOf(item.input);
  return { ok: true, value: { savedAt: item.deskTime, ...(base !== null && { version: base }), offline: true } };
}

export class TeamClient {
  private readonly caller: RemoteCaller;
  private readonly queue: OfflineQueue;
  private readonly retryMs: number;
  private readonly sessions = new Set<DeskSession>();
  private lastError: string | undefined;
  private retryTimer: NodeJS.Timeout | null = null;
  private closed = false;
  /** Replies to queued items that were sent while their request was still waiting (seq → Result). */
  private readonly replies = new Map<number, Result<unknown>>();
  private readonly awaited = new Set<number>();
  /** The open push stream of each signed-in window (GET /api/events with its token). */
  private readonly streams = new Map<DeskSession, { token: string; stop: () => void }>();

  constructor(private readonly opts: TeamClientOptions) {
    this.caller = opts.caller;
    this.queue = opts.queue;
    this.retryMs = opts.retryMs ?? 5000;
  }

  status(): ConnectionStatus {
    const open = this.queue.open();
    return {
      mode: 'server',
      url: this.caller.url,
      reachable: this.caller.isReachable,
      ...(this.caller.isReachable === false && this.lastError && { message: this.lastError }),
      unsent: open.filter((i) => i.state === 'pending' || i.state === 'held').length,
      conflicts: open.filter((i) => i.state === 'conflict').length,
      rejected: open.filter((i) => i.state === 'rejected').length,
    };
  }

  /** The queue's open items of one user (for the page that lets the author resolve conflicts). */
  openItems(userId: number): QueueItem[] {
    return this.queue.open(userId);
  }

  discard(userId: number, recordKey: string): number {
    const n = this.queue.discard(userId, recordKey);
    this.emit();
    return n;
  }

  private emit(): void {
    this.opts.onStatus?.(this.status());
  }

  /** Called by RemoteCaller's onReachability (main wires it): remembers why, starts or stops retrying. */
  reachabilityChanged(reachable: boolean, error?: { message: string }): void {
    if (reachable) {
      this.lastError = undefined;
      this.stopRetry();
      void this.flush();
    } else {
      this.lastError = error?.message;
      this.startRetry();
    }
    this.emit();
  }

  private startRetry(): void {
    if (this.retryTimer || this.closed) return;
    this.retryTimer = setInterval(() => void this.caller.health(), this.retryMs);
    this.retryTimer.unref();
  }

  private stopRetry(): void {
    if (this.retryTimer) clearInterval(this.retryTimer);
    this.retryTimer = null;
  }

  private canSend = (userId: number): boolean => [...this.sessions].some((s) => s.userId === userId && s.token);

  private sessionOf(userId: number): DeskSession | undefined {
    return [...this.sessions].find((s) => s.userId === userId && s.token);
  }

  /** Replays what the desk kept, in order, each with a current session of its author. */
  async flush(): Promise<FlushOutcome> {
    const out = await this.queue.flush(async (item) => {
      const s = this.sessionOf(item.userId);
      const res = await this.caller.call(item.channel, item.input, s ?? { token: null }, { deskTime: item.deskTime });
      if (!isTransportFailure(res) && this.awaited.has(item.seq)) this.replies.set(item.seq, res);
      if (s && s.token === null) s.userId = null;
      return res;
    }, this.canSend);
    this.emit();
    return out;
  }

  /** Tracks a window's session so its queued changes can be replayed with it. */
  attach(session: DeskSession): void {
    this.sessions.add(session);
  }

  detach(session: DeskSession): void {
    this.sessions.delete(session);
    this.stopStream(session);
  }

  /**
   * Keeps one push stream per signed-in window (like the browser's EventSource), reopened after a
   * break while the window's token lasts; every pushed event goes to the window as it comes.
   */
  private ensureStream(session: DeskSession): void {
    const token = session.token;
    if (this.closed || !session.push || !token) return;
    const cur = this.streams.get(session);
    if (cur && cur.token === token) return;
    cur?.stop();
    const entry = {
      token,
      stop: this.caller.events(
        session,
        (e) => session.push?.(e),
        (status) => {
          if (this.streams.get(session) !== entry) return;
          this.streams.delete(session);
          // 401: the session is over (the next request says so); anything else: try again shortly.
          if (status === 401 || this.closed) return;
          setTimeout(() => {
            if (session.token === token && this.sessions.has(session)) this.ensureStream(session);
          }, this.retryMs).unref();
        },
      ),
    };
    this.streams.set(session, entry);
  }

  private stopStream(session: DeskSession): void {
    const cur = this.streams.get(session);
    if (!cur) return;
    this.streams.delete(session);
    cur.stop();
  }

  /** Handles one contract request of a window. */
  async handle(session: DeskSession, channel: string, rawInput: unknown): Promise<Result<unknown>> {
    this.attach(session);
    const input = session.userId !== null ? this.queue.rebase(session.userId, channel, rawInput) : rawInput;
    if (isOfflineChannel(channel) && session.userId !== null && session.token) {
      const userId = session.userId;
      if (this.caller.isReachable === false || this.queue.hasUnsent(userId)) {
        // Offline (the watcher replays when the server is back), or something older still waits: this
        // change goes behind it, never ahead.
        const item = this.queue.enqueue(channel, input, userId);
        if (this.caller.isReachable === false) {
          this.emit();
          return savedOffline(item);
        }
        this.awaited.add(item.seq);
        try {
          await this.flush();
        } finally {
          this.awaited.delete(item.seq);
        }
        return this.takeReply(item) ?? savedOffline(item);
      }
      const res = await this.forward(session, channel, input);
      if (!isTransportFailure(res)) return res;
      const item = this.queue.enqueue(channel, input, userId);
      this.emit();
      return savedOffline(item);
    }
    if (this.opts.signer && SIGNED_AT_DESK.has(channel)) {
      // The key is here: this desktop signs, the server checks and stores (services/signAtDesk.ts).
      return this.opts.signer.handle(channel, input, (ch, inp) => this.forward(session, ch, inp));
    }
    if (channel === 'drafts.load' && session.userId !== null) {
      const key = String((input as { key?: unknown } | null)?.key ?? '');
      if (this.queue.latestDraft(session.userId, key) && session.token) await this.flush();
      const kept = this.queue.latestDraft(session.userId, key);
      if (kept) return { ok: true, value: { json: (kept.input as { json: string }).json, savedAt: kept.deskTime, offline: true } };
    }
    return this.forward(session, channel, input);
  }

  private takeReply(item: QueueItem): Result<unknown> | undefined {
    const r = this.replies.get(item.seq);
    this.replies.delete(item.seq);
    return r;
  }

  private async forward(session: DeskSession, channel: string, input: unknown): Promise<Result<unknown>> {
    const res = await this.caller.call(channel, input, session);
    const { serverDate: _d, ...result } = res as Result<unknown> & { serverDate?: string };
    if (res.ok && (channel === 'auth.signIn' || channel === 'app.setup' || channel === 'auth.changePassword' || channel === 'auth.me')) {
      const v = res.value as { user?: { id?: number } } | null;
      session.userId = v?.user?.id ?? (channel === 'auth.me' ? null : session.userId);
      // A sign-in may be what queued changes waited for.
      if (session.userId !== null && this.queue.hasUnsent(session.userId)) void this.flush();
    }
    if (channel === 'auth.signOut' && res.ok) session.userId = null;
    if (session.token === null) {
      session.userId = null;
      this.stopStream(session);
    } else if (session.userId !== null) this.ensureStream(session);
    return result;
  }

  close(): void {
    this.closed = true;
    this.stopRetry();
    for (const s of [...this.streams.keys()]) this.stopStream(s);
    this.caller.close();
  }
}
