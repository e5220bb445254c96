// The desktop's mode, as main.ts runs it (issue 14, point 2): reads team.json at start, opens the
// local core (单机使用) or the TeamClient to the agency server (连接本单位服务器), and answers the desk
// channels of preload/desk.ts: the first-start choice, the certificate probe, the connection state
// and the offline queue. No electron import: tested in Node (test/integration/desk-host.test.ts);
// main.ts passes in what only Electron has (the user data folder, the keychain, the window list).
import path from 'node:path';
import type { Result } from '../../preload/contract';
import type { DeskChannel, DeskStatus } from '../../preload/desk';
import type { Session } from '../core/api';
import type { Core } from '../core/services/core';
import type { SecretStore } from '../core/secrets';
import { DeskSigner } from '../core/services/signAtDesk';
import { OfflineQueue } from './offlineQueue';
import { probeCertificate, RemoteCaller } from './remote';
import { TeamClient, type DeskSession } from './teamClient';
import { readTeamConfig, teamConfigView, trustOf, writeTeamConfig, type TeamConfig } from './teamConfig';

/** Where contract requests go: the local core, the agency server, or nowhere yet (first start). */
export type Backend = { kind: 'local'; core: Core } | { kind: 'server'; client: TeamClient };

/** One window's sign-in state: the local core's Session, or the server's bearer token with its user. */
export type WindowSession = Session & DeskSession;

export interface DeskHost {
  handle(channel: DeskChannel, input: unknown, session: WindowSession): Promise<Result<unknown>>;
}

export const OFFLINE_QUEUE_FILE = 'offline-queue.json';

export interface DeskControllerOptions {
  userDataDir: string;
  /** A database named on the command line or in LRW_DB: 单机使用 without asking (npm start, the E2E launch). */
  explicitLocalDb: boolean;
  openLocal(): Promise<Core>;
  /** Told whenever requests must go elsewhere (ipc.ts's setBackend). */
  setBackend(b: Backend | null): void;
  /** Sent to every window (the banner). */
  onStatus(s: DeskStatus): void;
  /** While offline, how often the server is tried (ms). */
  retryMs?: number;
  /**
   * This desktop's keychain: in team mode the signing keys stay here (services/signAtDesk.ts); their
   * .p12 files go to <userData>/signing-keys.
   */
  secrets?: () => Promise<SecretStore>;
}

/** Where a desktop in team mode keeps its signing keys' .p12 files. */
export const DESK_KEYS_DIR = 'signing-keys';

/** Was a database named on the command line (--db) or in LRW_DB? Then the desk is 单机使用 without asking. */
export function hasExplicitDb(argv: readonly string[], env: NodeJS.ProcessEnv): boolean {
  if (env.LRW_DB) return true;
  for (const a of argv) {
    if (a === '--') break;
    if (a === '--db' || a.startsWith('--db=')) return true;
  }
  return false;
}

const refuse = (code: 'VALIDATION' | 'BAD_STATE', message: string): Result<never> => ({ ok: false, error: { code, message } });

export class DeskController implements DeskHost {
  private config: TeamConfig | null = null;
  private backend: Backend | null = null;

  constructor(private readonly opts: DeskControllerOptions) {}

  /** Reads team.json and opens the backend it names; null at the first start (the renderer asks). */
  async start(): Promise<Backend | null> {
    this.config = readTeamConfig(this.opts.userDataDir);
    if (!this.config && this.opts.explicitLocalDb) return this.use({ kind: 'local', core: await this.opts.openLocal() });
    if (!this.config) return null;
    return this.open(this.config);
  }

  get current(): Backend | null {
    return this.backend;
  }

  private use(b: Backend): Backend {
    this.backend = b;
    this.opts.setBackend(b);
    this.opts.onStatus(this.status());
    return b;
  }

  private async open(c: TeamConfig): Promise<Backend> {
    if (c.mode === 'local') return this.use({ kind: 'local', core: await this.opts.openLocal() });
    let client: TeamClient | null = null;
    const caller = new RemoteCaller({ url: c.url, trust: trustOf(c), onReachability: (r, e) => client?.reachabilityChanged(r, e) });
    client = new TeamClient({
      caller,
      queue: OfflineQueue.open(path.join(this.opts.userDataDir, OFFLINE_QUEUE_FILE)),
      retryMs: this.opts.retryMs,
      onStatus: (s) => this.opts.onStatus(s),
      ...(this.opts.secrets && { signer: new DeskSigner({ keysDir: path.join(this.opts.userDataDir, DESK_KEYS_DIR), secrets: this.opts.secrets }) }),
    });
    const b = this.use({ kind: 'server', client });
    // Learn at once whether the server is there (the banner), and replay what an earlier run kept.
    void caller.health();
    return b;
  }

  status(): DeskStatus {
    if (this.backend?.kind === 'server') return this.backend.client.status();
    return this.backend?.kind === 'local' ? { mode: 'local' } : { mode: 'unset' };
  }

  async handle(channel: DeskChannel, input: unknown, session: WindowSession): Promise<Result<unknown>> {
    switch (channel) {
      case 'desk.config':
        return { ok: true, value: this.config ? teamConfigView(this.config) : this.backend?.kind === 'local' ? { mode: 'local', chosenAt: '' } : null };
      case 'desk.status':
        return { ok: true, value: this.status() };
      case 'desk.probe': {
        if (this.backend) return refuse('BAD_STATE', '已选择使用方式；如需更改，请由信息管理员删除用户数据目录中的 team.json 后重新启动。');
        return probeCertificate(String((input as { url?: unknown } | null)?.url ?? ''));
      }
      case 'desk.choose': {
        if (this.backend || this.config) return refuse('BAD_STATE', '已选择使用方式；如需更改，请由信息管理员删除用户数据目录中的 team.json 后重新启动。');
        let c: TeamConfig;
        try {
          c = writeTeamConfig(this.opts.userDataDir, input);
        } catch (err) {
          return refuse('VALIDATION', err instanceof Error ? err.message : String(err));
        }
        this.config = c;
        await this.open(c);
        return { ok: true, value: teamConfigView(c) };
      }
      case 'desk.queue':
        if (this.backend?.kind !== 'server' || session.userId === null) return { ok: true, value: [] };
        return { ok: true, value: this.backend.client.openItems(session.userId) };
      case 'desk.discard': {
        if (this.backend?.kind !== 'server' || session.userId === null) return { ok: true, value: 0 };
        const key = (input as { recordKey?: unknown } | null)?.recordKey;
        if (typeof key !== 'string' || !key) return refuse('VALIDATION', '请指明要放弃的记录');
        return { ok: true, value: this.backend.client.discard(session.userId, key) };
      }
    }
  }

  close(): void {
    if (this.backend?.kind === 'server') this.backend.client.close();
  }
}
