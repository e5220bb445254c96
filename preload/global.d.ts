// window.api, as installed by preload/index.ts (or by the E2E harness), typed by the contract.
import type { Api } from './contract';

declare global {
  interface Window {
    api: Api;
  }
}

export {};
