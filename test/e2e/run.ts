// Runs the E2E specs in headless Chromium against the HTTP harness (real core, built renderer).
//   npx vite build && node --import tsx test/e2e/run.ts [spec name ...]
// Screenshots go to test-artifacts/e2e/. Prints one closing line "N passed, N failed".
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { apiInitScript, startHarness } from './harness';
import { SPECS } from './spec';
import { runTeamSpec, TEAM_SPECS } from './spec-team';
import { asRole, freshTarget, onPostgres, TEST_ENGINE } from '../helpers/engine';
import { openDb } from '../../main/core/db/open';

const ROOT = path.resolve(__dirname, '..', '..');
// One folder of screenshots per engine, so a PostgreSQL run does not overwrite the SQLite one.
const ARTIFACTS = path.join(ROOT, 'test-artifacts', TEST_ENGINE === 'sqlite' ? 'e2e' : `e2e-${TEST_ENGINE}`);
const CHROMIUM = process.env.LRW_CHROMIUM ?? '/usr/bin/chromium';

async function runOne(browser: Browser, name: string, fn: (typeof SPECS)[number]['fn']): Promise<boolean> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `lrw-e2e-${name}-`));
  const store = await freshTarget(dir);
  // On PostgreSQL the owner migrates, then the app runs as the application's role, as an agency deploys it:
  // every screen then passes the grants and the row-level security.
  if (onPostgres) await (await openDb(store.target)).close();
  const harness = await startHarness({ dbPath: onPostgres ? asRole(store.target) : store.target, filesDir: store.filesDir, testClock: true });
  const context = await browser.newContext({
    viewport: { width: 1366, height: 900 },
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
  });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`页面脚本错误：${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`控制台错误：${m.text()}`);
  });
  await page.addInitScript(apiInitScript(harness.url));
  page.setDefaultTimeout(15_000);
  const shot = async (label: string) => {
    await page.screenshot({ path: path.join(ARTIFACTS, `${name}-${label}.png`), fullPage: true });
  };
  const started = Date.now();
  let ok = false;
  try {
    await page.goto(harness.url + '/');
    await fn(page, shot);
    if (problems.length) throw new Error(problems.join('\n'));
    ok = true;
    console.log(`✓ ${name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  } catch (err) {
    console.log(`✗ ${name}: ${err instanceof Error ? err.message : String(err)}`);
    if (problems.length) console.log(problems.map((p) => `  ${p}`).join('\n'));
    await page.screenshot({ path: path.join(ARTIFACTS, `${name}-FAILED.png`), fullPage: true }).catch(() => undefined);
    console.log(`  失败截图：${path.relative(ROOT, path.join(ARTIFACTS, `${name}-FAILED.png`))}`);
  } finally {
    await context.close().catch(() => undefined);
    await harness.close().catch(() => undefined);
    await store.drop().catch(() => undefined);
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return ok;
}

async function main(): Promise<number> {
  if (!fs.existsSync(path.join(ROOT, 'dist', 'renderer', 'index.html'))) {
    console.log('dist/renderer is missing: run `npx vite build` first.');
    console.log('0 passed, 1 failed');
    return 1;
  }
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const only = process.argv.slice(2);
  const specs = only.length ? SPECS.filter((s) => only.includes(s.name)) : SPECS;
  // Team mode (spec-team.ts): `lrw serve` processes and four browser contexts, each on its own store.
  const teamSpecs = only.length ? TEAM_SPECS.filter((s) => only.includes(s.name)) : TEAM_SPECS;
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    // --lang makes native controls (date pickers) use Chinese formats, as on an officer's machine.
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--lang=zh-CN'],
    env: { ...process.env, LANG: 'zh_CN.UTF-8', LANGUAGE: 'zh_CN:zh' },
  });
  let passed = 0;
  let failed = 0;
  try {
    for (const s of specs) {
      if (await runOne(browser, s.name, s.fn)) passed++;
      else failed++;
    }
    for (const s of teamSpecs) {
      if (await runTeamSpec(browser, s.name, s.fn)) passed++;
      else failed++;
    }
  } finally {
    await browser.close();
  }
  console.log(`${passed} passed, ${failed} failed`);
  return failed === 0 && passed > 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err);
    console.log('0 passed, 1 failed');
    process.exit(1);
  },
);
