// SecretStore over keytar: the real OS keychain (Windows Credential Manager, macOS Keychain, Linux Secret
// Service through libsecret). keytar is a native module, loaded only when this backend is created, so code
// that never touches the keychain (tests with MemorySecretStore, the renderer build) does not load it.
// In the packaged app it is rebuilt for Electron's ABI by electron-builder (see electron-builder.yml).
import { AppError } from '../domain/errors';
import type { SecretStore } from './index';

interface KeytarModule {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
}

const UNAVAILABLE =
  '无法访问系统钥匙串（签名证书口令保存在其中）。Windows 请确认“凭据管理器”服务已启动；Linux 请在已登录的桌面会话中运行，并确认 GNOME 密钥环（gnome-keyring）或 KWallet 已解锁。';

export class KeytarSecretStore implements SecretStore {
  constructor(private readonly keytar: KeytarModule) {}

  async get(service: string, account: string): Promise<string | null> {
    return this.call(() => this.keytar.getPassword(service, account));
  }
  async set(service: string, account: string, secret: string): Promise<void> {
    await this.call(() => this.keytar.setPassword(service, account, secret));
  }
  async delete(service: string, account: string): Promise<boolean> {
    return this.call(() => this.keytar.deletePassword(service, account));
  }

  private async call<T>(op: () => Promise<T>): Promise<T> {
    try {
      return await op();
    } catch (err) {
      // The cause names the platform error (e.g. no D-Bus session) but never the secret.
      throw new AppError('BAD_STATE', UNAVAILABLE, { cause: (err as Error).message });
    }
  }
}

/** Loads keytar and returns a store over the OS keychain; AppError('BAD_STATE') when it cannot load. */
export async function createKeytarSecretStore(): Promise<KeytarSecretStore> {
  let mod: KeytarModule;
  try {
    const imported = (await import('keytar')) as unknown as KeytarModule & { default?: KeytarModule };
    // Node's ESM view of this CJS module names only some exports; module.exports (default) has them all.
    mod = typeof imported.default?.setPassword === 'function' ? imported.default : imported;
  } catch (err) {
    throw new AppError('BAD_STATE', UNAVAILABLE, { cause: (err as Error).message });
  }
  return new KeytarSecretStore(mod);
}
