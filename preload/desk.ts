// The desktop's own small bridge beside the contract (issue 14, point 2): the first-start choice
// 单机使用 / 连接本单位服务器, the certificate probe, the connection state for the banner and the
// offline queue's items. Only the Electron app has it (window.api.desk); the server's browser shim
// and the E2E harness do not, and the renderer then shows none of it. These channels never reach the
// core or the server: main/electron/ipc.ts answers them in the main process.
// No electron import here: the renderer and Node tests load these types and names.
import type { Result } from './contract';
import type { ProbedCertificate } from '../main/electron/remote';
import type { TeamConfigView } from '../main/electron/teamConfig';
import type { ConnectionStatus } from '../main/electron/teamClient';
import type { QueueItem } from '../main/electron/offlineQueue';

export type { ProbedCertificate, TeamConfigView, ConnectionStatus, QueueItem };

export const DESK_PREFIX = 'lrw-desk:';
/** Sent by the main process to every window when the connection state or the queue changes. */
export const DESK_STATUS_EVENT = 'lrw-desk:status';
/** Sent by the main process to a signed-in window for every event the server pushes (GET /api/events). */
export const DESK_CHANGED_EVENT = 'lrw-desk:changed';

export const DESK_CHANNELS = ['desk.config', 'desk.probe', 'desk.choose', 'desk.status', 'desk.queue', 'desk.discard'] as const;
export type DeskChannel = (typeof DESK_CHANNELS)[number];

/** local: its own database. server: see ConnectionStatus. unset: the first start, nothing chosen yet. */
export type DeskStatus = { mode: 'local' } | { mode: 'unset' } | ConnectionStatus;

export type TeamChoiceRequest = { mode: 'local' } | { mode: 'server'; url: string; fingerprint: string } | { mode: 'server'; url: string; caPem: string };

export interface DeskApi {
  /** The stored choice, or null at the first start. */
  config(): Promise<Result<TeamConfigView | null>>;
  /** Connects once to `url` and shows the certificate it presents (nothing is sent, nothing pinned). */
  probe(input: { url: string }): Promise<Result<ProbedCertificate>>;
  /** Stores the first-start choice and starts the app in that mode. */
  choose(input: TeamChoiceRequest): Promise<Result<TeamConfigView>>;
  status(): Promise<Result<DeskStatus>>;
  /** This window's user's changes kept on the desk that still need the server or the author. */
  queue(): Promise<Result<QueueItem[]>>;
  /** The author has seen the conflict on a record and reloaded it: drop its kept changes. */
  discard(input: { recordKey: string }): Promise<Result<number>>;
  /** Called on every change of the connection state; returns the unsubscribe function. */
  onStatus(listener: (status: DeskStatus) => void): () => void;
  /** Called with each event the server pushes (the renderer turns it into its 'lrw:changed' window event). */
  onChanged(listener: (event: unknown) => void): () => void;
}
