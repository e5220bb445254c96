// Sandboxed preload (bundled to dist/preload/index.cjs): exposes window.api, one function per contract
// channel, each a thin ipcRenderer.invoke. Nothing else crosses: never ipcRenderer itself, never Node.
import { contextBridge, ipcRenderer } from 'electron';
import { CHANNELS, IPC_PREFIX, type Api, type Channel, type Input, type Outputs, type Result } from './contract';

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

contextBridge.exposeInMainWorld('api', api);
