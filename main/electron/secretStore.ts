// The app's keychain: keytar (the OS keychain) first; where keytar cannot work, Electron's safeStorage,
// which encrypts with a key the OS protects and keeps the ciphertext in the user data folder. On Linux
// safeStorage may fall back to 'basic_text' (no real protection): that is refused unless the
// administrator explicitly consents by setting LRW_ALLOW_BASIC_TEXT_KEYS=1.
import fs from 'node:fs';
import path from 'node:path';
import { safeStorage } from 'electron';
import { AppError } from '../core/domain/errors';
import { createKeytarSecretStore, type SecretStore } from '../core/secrets';

class SafeStorageSecretStore implements SecretStore {
  constructor(private readonly file: string) {}

  private check(): void {
    if (!safeStorage.isEncryptionAvailable()) {
      throw new AppError('BAD_STATE', '系统钥匙串不可用，且本机无法对证书口令加密保存；请在已登录的桌面会话中运行。');
    }
    const backend = process.platform === 'linux' ? safeStorage.getSelectedStorageBackend() : 'os';
    if (backend === 'basic_text' && process.env.LRW_ALLOW_BASIC_TEXT_KEYS !== '1') {
      throw new AppError('BAD_STATE', '本机只能以明文方式保存证书口令（basic_text），为安全起见已拒绝；如确需使用，须由管理员设置 LRW_ALLOW_BASIC_TEXT_KEYS=1 后重新启动。');
    }
  }

  private read(): Record<string, string> {
    return fs.existsSync(this.file) ? (JSON.parse(fs.readFileSync(this.file, 'utf8')) as Record<string, string>) : {};
  }

  private write(items: Record<string, string>): void {
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    fs.writeFileSync(this.file, JSON.stringify(items), { mode: 0o600 });
  }

  async get(service: string, account: string): Promise<string | null> {
    this.check();
    const v = this.read()[`${service}\u0000${account}`];
    return v === undefined ? null : safeStorage.decryptString(Buffer.from(v, 'base64'));
  }

  async set(service: string, account: string, secret: string): Promise<void> {
    this.check();
    const items = this.read();
    items[`${service}\u0000${account}`] = safeStorage.encryptString(secret).toString('base64');
    this.write(items);
  }

  async delete(service: string, account: string): Promise<boolean> {
    const items = this.read();
    const key = `${service}\u0000${account}`;
    if (!(key in items)) return false;
    delete items[key];
    this.write(items);
    return true;
  }
}

/** keytar when it loads and answers; otherwise safeStorage (decided once, on first use). */
export class AppSecretStore implements SecretStore {
  private chosen: Promise<SecretStore> | null = null;

  constructor(private readonly userDataDir: string) {}

  private store(): Promise<SecretStore> {
    return (this.chosen ??= (async () => {
      try {
        const k = await createKeytarSecretStore();
        await k.get('legal-review-workstation/probe', 'probe');
        return k;
      } catch {
        return new SafeStorageSecretStore(path.join(this.userDataDir, 'secrets.json'));
      }
    })());
  }

  async get(service: string, account: string) {
    return (await this.store()).get(service, account);
  }
  async set(service: string, account: string, secret: string) {
    return (await this.store()).set(service, account, secret);
  }
  async delete(service: string, account: string) {
    return (await this.store()).delete(service, account);
  }
}
