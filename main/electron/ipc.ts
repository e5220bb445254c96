// ipcMain wiring: one handler per contract channel. Each request is checked for where it came from
// (our renderer's main frame only) and then handed to the backend: in 单机使用 the local core's
// dispatch, which validates the input with zod and always answers with a Result; in server mode the
// TeamClient, which forwards the same channel to the agency server (main/electron/teamClient.ts).
// Beside them, the desk channels (preload/desk.ts), answered here by the main process alone.
import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { CHANNELS, IPC_PREFIX, type Result } from '../../preload/contract';
import { DESK_CHANGED_EVENT, DESK_CHANNELS, DESK_PREFIX } from '../../preload/desk';
import { dispatch } from '../core/api';
import type { Backend, DeskHost, WindowSession } from './deskHost';
import { isTrustedSender } from './trust';

export type { Backend };

const FORBIDDEN: Result<never> = { ok: false, error: { code: 'FORBIDDEN', message: '拒绝来自未知页面的请求。' } };
const NOT_CHOSEN: Result<never> = { ok: false, error: { code: 'BAD_STATE', message: '请先选择“单机使用”或“连接本单位服务器”。' } };

let backend: Backend | null = null;

/** Sign-in state per window (webContents id); dropped when the webContents is destroyed. */
const sessions = new Map<number, WindowSession>();

function sessionFor(sender: WebContents): WindowSession {
  let s = sessions.get(sender.id);
  if (!s) {
    // In server mode, what the server pushes for this window's sign-in goes to this window only.
    s = { userId: null, token: null, push: (e) => void (!sender.isDestroyed() && sender.send(DESK_CHANGED_EVENT, e)) };
    sessions.set(sender.id, s);
    const id = sender.id;
    const created = s;
    sender.once('destroyed', () => {
      sessions.delete(id);
      if (backend?.kind === 'server') backend.client.detach(created);
    });
  }
  return s;
}

function trusted(event: IpcMainInvokeEvent): boolean {
  const frame = event.senderFrame;
  if (!frame) return false; // the frame navigated away or was destroyed before we got here
  return isTrustedSender(frame.url, frame === event.sender.mainFrame);
}

/** Switches where requests go (the first-start choice); every window starts signed out. */
export function setBackend(next: Backend | null): void {
  backend = next;
  sessions.clear();
}

export function registerIpc(initial: Backend | null, desk: DeskHost): void {
  backend = initial;
  for (const channel of CHANNELS) {
    ipcMain.handle(IPC_PREFIX + channel, async (event, input: unknown) => {
      if (!trusted(event)) return FORBIDDEN;
      const b = backend;
      if (!b) return NOT_CHOSEN;
      const session = sessionFor(event.sender);
      return b.kind === 'local' ? dispatch(b.core, session, channel, input) : b.client.handle(session, channel, input);
    });
  }
  for (const channel of DESK_CHANNELS) {
    ipcMain.handle(DESK_PREFIX + channel, async (event, input: unknown) => {
      if (!trusted(event)) return FORBIDDEN;
      try {
        return await desk.handle(channel, input, sessionFor(event.sender));
      } catch (err) {
        return { ok: false, error: { code: 'INTERNAL', message: err instanceof Error ? err.message : String(err) } };
      }
    });
  }
}

export function unregisterIpc(): void {
  for (const channel of CHANNELS) ipcMain.removeHandler(IPC_PREFIX + channel);
  for (const channel of DESK_CHANNELS) ipcMain.removeHandler(DESK_PREFIX + channel);
  sessions.clear();
}
