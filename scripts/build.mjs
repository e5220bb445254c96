// Builds everything the app and `lrw` run from, into dist/:
//   dist/main/electron.js    Electron main process (CJS, Node)
//   dist/preload/index.cjs   sandboxed preload (one self-contained CJS file; only 'electron' is required)
//   dist/cli/lrw.cjs         the `lrw` command (CJS, Node), launched by bin/lrw.js
//   dist/renderer/           the React UI (Vite, vite.config.ts)
// Native modules (better-sqlite3, keytar) stay external: they are loaded from node_modules at run time.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(ROOT);

const log = (msg) => console.log(`[build] ${msg}`);
const warn = (msg) => console.warn(`[build] 警告：${msg}`);

const common = {
  absWorkingDir: ROOT,
  bundle: true,
  format: 'cjs',
  sourcemap: false,
  logLevel: 'warning',
  legalComments: 'none',
};

async function bundle(name, options) {
  const started = Date.now();
  await esbuild.build({ ...common, ...options });
  const size = fs.statSync(path.join(ROOT, options.outfile)).size;
  log(`${name} -> ${options.outfile} (${Math.round(size / 1024)} KB, ${Date.now() - started} ms)`);
}

async function main() {
  await bundle('main', {
    entryPoints: ['main/electron/main.ts'],
    outfile: 'dist/main/electron.js',
    platform: 'node',
    target: 'node20',
    external: ['electron', 'better-sqlite3', 'keytar'],
  });

  // A sandboxed preload can require only a few modules ('electron' among them), so everything else
  // is inlined. platform 'browser' makes esbuild fail if a Node built-in sneaks into the preload.
  // Minified because the contract's zod schemas (with their locales) come along and it loads per page.
  await bundle('preload', {
    entryPoints: ['preload/index.ts'],
    outfile: 'dist/preload/index.cjs',
    platform: 'browser',
    target: 'chrome120',
    external: ['electron'],
    minify: true,
  });

  if (fs.existsSync(path.join(ROOT, 'main/cli/lrw.ts'))) {
    await bundle('cli', {
      entryPoints: ['main/cli/lrw.ts'],
      outfile: 'dist/cli/lrw.cjs',
      platform: 'node',
      target: 'node20',
      // The server's framework stays in node_modules (its logger loads worker files by path).
      external: ['better-sqlite3', 'keytar', 'fastify', '@fastify/cookie', '@fastify/rate-limit', '@fastify/static'],
    });
  } else {
    warn('未找到 main/cli/lrw.ts，跳过命令行工具的构建。');
  }

  const viteConfig = path.join(ROOT, 'vite.config.ts');
  if (fs.existsSync(viteConfig)) {
    log('renderer (vite) ...');
    const started = Date.now();
    const { build } = await import('vite');
    await build({ configFile: viteConfig, logLevel: 'warn' });
    log(`renderer -> dist/renderer (${Date.now() - started} ms)`);
  } else {
    warn('未找到 vite.config.ts，跳过界面（renderer）的构建。');
  }
  log('完成。');
}

main().catch((err) => {
  console.error(`[build] 构建失败：${err?.message ?? err}`);
  process.exitCode = 1;
});
