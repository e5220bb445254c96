// `npm start`: build, make sure the native modules (better-sqlite3, keytar) are built for Electron's ABI,
// then start Electron. Node and Electron need different builds of native modules; this switches to the
// Electron build (npm test switches back automatically). Never done in postinstall, so a plain
// `npm ci` always leaves modules that Node's tests can load.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const MARK = path.join(ROOT, 'node_modules', '.lrw-native-abi');
const run = (cmd, args) => {
  const r = spawnSync(cmd, args, { cwd: ROOT, stdio: 'inherit', shell: process.platform === 'win32' });
  if (r.status !== 0) process.exit(r.status ?? 1);
};

run(process.execPath, ['scripts/build.mjs']);
let electronBin;
try {
  electronBin = (await import('electron')).default;
} catch {
  electronBin = null;
}
if (!electronBin || !fs.existsSync(electronBin)) {
  console.error('未找到 Electron 程序：请不带 ELECTRON_SKIP_BINARY_DOWNLOAD 重新运行 npm ci（需要能访问 Electron 的下载地址）。');
  process.exit(1);
}
if (!fs.existsSync(MARK) || fs.readFileSync(MARK, 'utf8') !== 'electron') {
  console.log('为 Electron 重新编译本地模块（better-sqlite3、keytar），首次需要几分钟……');
  run('npx', ['electron-builder', 'install-app-deps']);
  fs.writeFileSync(MARK, 'electron');
}
run(electronBin, ['.', ...process.argv.slice(2)]);
