// Sandboxed preload (bundled to dist/preload/index.cjs): exposes window.api, one function per contract
// channel, each a thin ipcRenderer.invoke. Nothing else crosses: never ipcRenderer itself, never Node.
// Beside the contract, window.api.desk (preload/desk.ts): the desktop's first-start choice and its
// connection state, answered by the main process alone.
import { contextBridge, ipcRenderer } from 'electron';
import { CHANNELS, IPC_PREFIX, type Api, type Channel, type Input, type Outputs, type Result } from './contract';
import { DESK_CHANGED_EVENT, DESK_PREFIX, DESK_STATUS_EVENT, type DeskApi, type DeskStatus } from './desk';

type Invoker<C extends Channel> = (input: Input<C>) => Promise<Result<Outputs[C]>>;

const invoker =
  <C extends Channel>(channel: C): Invoker<C> =>
  (input) =>
    ipcRenderer.invoke(IPC_PREFIX + channel, input);

// CHANNELS is Object.keys(channels), so every key of Api is present at run time; the mapped type
// restores what Object.fromEntries forgets, and `satisfies Api` checks it against the contract.
const api = Object.freeze(Object.fromEntries(CHANNELS.map((c) => [c, invoker(c)]))) as {
  readonly [C in Channel]: Invoker<C>;
} satisfies Api;

const deskCall = (channel: string, input: unknown = {}) => ipcRenderer.invoke(DESK_PREFIX + channel, input);
const desk: DeskApi = Object.freeze({
  config: () => deskCall('desk.config'),
  probe: (input: { url: string }) => deskCall('desk.probe', input),
  choose: (input: unknown) => deskCall('desk.choose', input),
  status: () => deskCall('desk.status'),
  queue: () => deskCall('desk.queue'),
  discard: (input: { recordKey: string }) => deskCall('desk.discard', input),
  onStatus: (listener: (status: DeskStatus) => void) => {
    // Only the status object crosses, never the IPC event.
    const l = (_e: unknown, status: DeskStatus) => listener(status);
    ipcRenderer.on(DESK_STATUS_EVENT, l);
    return () => void ipcRenderer.removeListener(DESK_STATUS_EVENT, l);
  },
  onChanged: (listener: (event: unknown) => void) => {
    const l = (_e: unknown, event: unknown) => listener(event);
    ipcRenderer.on(DESK_CHANGED_EVENT, l);
    return () => void ipcRenderer.removeListener(DESK_CHANGED_EVENT, l);
  },
});

contextBridge.exposeInMainWorld('api', Object.freeze({ ...api, desk }));
