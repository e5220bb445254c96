// The signing-key passphrase in the real OS keychain through keytar. On Linux that is the Secret Service
// on the D-Bus session bus; run this under `bash scripts/with-keyring.sh npx vitest run …`, which starts a
// private bus and an unlocked GNOME keyring. Without a session bus the test is skipped and says why.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createTrialIdentity, deleteIdentity, loadSigningKey, SIGNING_KEY_SERVICE } from '../../../main/core/documents/identity';
import { signDocx } from '../../../main/core/documents/sign';
import { verifyDetached } from '../../../main/core/documents/verify';
import { createKeytarSecretStore, KEYCHAIN_SERVICE_PREFIX } from '../../../main/core/secrets/index';

const noBus = process.platform === 'linux' && !process.env.DBUS_SESSION_BUS_ADDRESS;
const SKIP_REASON = 'skipped: no DBUS_SESSION_BUS_ADDRESS, so no Secret Service to talk to — run it under `bash scripts/with-keyring.sh npx vitest run test/integration/documents/keychain.test.ts`';
if (noBus) console.warn(`[keychain.test] ${SKIP_REASON}`);

const service = `${KEYCHAIN_SERVICE_PREFIX}/test-${process.pid}`;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lrw-keychain-'));
afterAll(async () => fs.rmSync(dir, { recursive: true, force: true }));

describe.skipIf(noBus)(`keytar against the real keychain${noBus ? ` (${SKIP_REASON})` : ''}`, () => {
  it('stores, reads, replaces and deletes a secret', async () => {
    const store = await createKeytarSecretStore();
    const account = `account-${Date.now()}`;
    expect(await store.get(service, account)).toBeNull();
    await store.set(service, account, '口令-secret-1');
    expect(await store.get(service, account)).toBe('口令-secret-1');
    await store.set(service, account, '口令-secret-2');
    expect(await store.get(service, account)).toBe('口令-secret-2');
    expect(await store.delete(service, account)).toBe(true);
    expect(await store.get(service, account)).toBeNull();
    expect(await store.delete(service, account)).toBe(false);
  });

  it('keeps a signing identity passphrase only in the keychain, and signs with it', async () => {
    const store = await createKeytarSecretStore();
    const keysDir = path.join(dir, 'keys');
    const id = await createTrialIdentity({ signerName: '王五', agency: '某县司法局', keysDir, store });
    try {
      const passphrase = await store.get(SIGNING_KEY_SERVICE, id.id);
      expect(passphrase).toMatch(/^[A-Za-z0-9_-]{32}$/);
      // The keys directory holds the encrypted .p12 and nothing that contains the passphrase.
      for (const f of fs.readdirSync(keysDir)) expect(fs.readFileSync(path.join(keysDir, f)).includes(Buffer.from(passphrase!))).toBe(false);
      const key = await loadSigningKey(id.id, { keysDir, store });
      const content = Buffer.from('法制审核意见书（测试）');
      const v = verifyDetached(content, await signDocx(content, key.p12, key.passphrase));
      expect(v).toMatchObject({ intact: true, signerCN: '王五' });
    } finally {
      await deleteIdentity(id.id, { keysDir, store });
    }
    expect(await store.get(SIGNING_KEY_SERVICE, id.id)).toBeNull();
    await expect(loadSigningKey(id.id, { keysDir, store })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
