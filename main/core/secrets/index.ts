// Secrets (signing-key passphrases) live in the operating system's keychain, never in the database, files
// or logs. Backends:
//   - KeytarSecretStore (./keytar.ts): Windows Credential Manager, macOS Keychain, Linux Secret Service
//     (GNOME Keyring / KWallet over D-Bus, via libsecret) — used by `lrw` and the app.
//   - MemorySecretStore (below): unit tests.
//   - An Electron safeStorage backend is not part of the core (core never imports 'electron'): it would
//     implement this interface in main/electron/ (safeStorage.encryptString → ciphertext file in
//     userData) and be handed to the services where the app composes them in main/electron/main.ts.

export interface SecretStore {
  /** The secret, or null when none is stored. */
  get(service: string, account: string): Promise<string | null>;
  /** Stores (or replaces) the secret. */
  set(service: string, account: string, secret: string): Promise<void>;
  /** Removes the secret; false when there was none. */
  delete(service: string, account: string): Promise<boolean>;
}

/** Service name under which the app keeps its secrets in the OS keychain. */
export const KEYCHAIN_SERVICE_PREFIX = 'legal-review-workstation';

/** In-memory store for tests and for tools that must not touch the real keychain. */
export class MemorySecretStore implements SecretStore {
  private readonly items = new Map<string, string>();
  private key(service: string, account: string): string {
    return `${service}\u0000${account}`;
  }
  async get(service: string, account: string): Promise<string | null> {
    return this.items.get(this.key(service, account)) ?? null;
  }
  async set(service: string, account: string, secret: string): Promise<void> {
    this.items.set(this.key(service, account), secret);
  }
  async delete(service: string, account: string): Promise<boolean> {
    return this.items.delete(this.key(service, account));
  }
  /** Number of stored secrets (tests). */
  get size(): number {
    return this.items.size;
  }
}

export { createKeytarSecretStore, KeytarSecretStore } from './keytar';
