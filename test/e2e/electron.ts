// Runs walkWholePath in the real Electron window when an Electron binary is installed.
//   npm run build && node --import tsx test/e2e/electron.ts
// On machines installed with ELECTRON_SKIP_BINARY_DOWNLOAD=1 there is no binary: it says so and exits 0.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { _electron } from 'playwright-core';
import { walkWholePath } from './spec';

const ROOT = path.resolve(__dirname, '..', '..');
const ARTIFACTS = path.join(ROOT, 'test-artifacts', 'e2e-electron');

/**
 * The Electron binary, resolved the way node_modules/electron/index.js does (path.txt -> dist/<path>)
 * but WITHOUT its fallback of downloading the binary when it is missing.
 */
function electronBinary(): string | null {
  let pkgDir: string;
  try {
    pkgDir = path.dirname(require.resolve('electron/package.json', { paths: [ROOT] }));
  } catch {
    return null;
  }
  const pathFile = path.join(pkgDir, 'path.txt');
  const rel = fs.existsSync(pathFile) ? fs.readFileSync(pathFile, 'utf8').trim() : '';
  const distDir = process.env.ELECTRON_OVERRIDE_DIST_PATH ?? path.join(pkgDir, 'dist');
  if (!rel && !process.env.ELECTRON_OVERRIDE_DIST_PATH) return null;
  const bin = path.join(distDir, rel || 'electron');
  return fs.existsSync(bin) ? bin : null;
}

async function main(): Promise<number> {
  const bin = electronBinary();
  if (!bin) {
    console.log('已跳过 Electron 端到端测试：本机没有 Electron 可执行文件（安装时设置了 ELECTRON_SKIP_BINARY_DOWNLOAD=1）。');
    return 0;
  }
  const entry = path.join(ROOT, 'dist', 'main', 'electron.js');
  if (!fs.existsSync(entry)) {
    console.log('dist/main/electron.js is missing: run `npm run build` first.');
    console.log('0 passed, 1 failed');
    return 1;
  }
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lrw-e2e-electron-'));
  const app = await _electron.launch({
    executablePath: bin,
    args: [entry],
    cwd: ROOT,
    env: { ...process.env, LRW_DB: path.join(dir, 'lrw.sqlite') } as Record<string, string>,
  });
  let ok = false;
  const page = await app.firstWindow();
  try {
    page.setDefaultTimeout(15_000);
    await page.waitForLoadState('domcontentloaded');
    await walkWholePath(page, async (name) => {
      await page.screenshot({ path: path.join(ARTIFACTS, `walkWholePath-${name}.png`), fullPage: true });
    });
    ok = true;
    console.log('✓ walkWholePath (Electron)');
  } catch (err) {
    console.log(`✗ walkWholePath (Electron): ${err instanceof Error ? err.message : String(err)}`);
    await page.screenshot({ path: path.join(ARTIFACTS, 'walkWholePath-FAILED.png'), fullPage: true }).catch(() => undefined);
  } finally {
    await app.close().catch(() => undefined);
    fs.rmSync(dir, { recursive: true, force: true });
  }
  console.log(`${ok ? 1 : 0} passed, ${ok ? 0 : 1} failed`);
  return ok ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err);
    console.log('0 passed, 1 failed');
    process.exit(1);
  },
);
