// ipcMain wiring: one handler per contract channel. Each request is checked for where it came from
// (our renderer's main frame only) and then handed to the core's dispatch, which validates the input
// with zod and always answers with a Result.
import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { CHANNELS, IPC_PREFIX, type Result } from '../../preload/contract';
import { dispatch, type Session } from '../core/api';
import type { Core } from '../core/services/core';
import { isTrustedSender } from './trust';

const FORBIDDEN: Result<never> = { ok: false, error: { code: 'FORBIDDEN', message: '拒绝来自未知页面的请求。' } };

/** Sign-in state per window (webContents id); dropped when the webContents is destroyed. */
const sessions = new Map<number, Session>();

function sessionFor(sender: WebContents): Session {
  let s = sessions.get(sender.id);
  if (!s) {
    s = { userId: null };
    sessions.set(sender.id, s);
    const id = sender.id;
    sender.once('destroyed', () => sessions.delete(id));
  }
  return s;
}

function trusted(event: IpcMainInvokeEvent): boolean {
  const frame = event.senderFrame;
  if (!frame) return false; // the frame navigated away or was destroyed before we got here
  return isTrustedSender(frame.url, frame === event.sender.mainFrame);
}

export function registerIpc(core: Core): void {
  for (const channel of CHANNELS) {
    ipcMain.handle(IPC_PREFIX + channel, async (event, input: unknown) => {
      if (!trusted(event)) return FORBIDDEN;
      return dispatch(core, sessionFor(event.sender), channel, input);
    });
  }
}

export function unregisterIpc(): void {
  for (const channel of CHANNELS) ipcMain.removeHandler(IPC_PREFIX + channel);
  sessions.clear();
}
