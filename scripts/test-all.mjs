// `npm test`: every check, in order, with one closing line that counts them all.
//   1. TypeScript   2. vitest (core, lrw, documents; under a real Secret Service when available)
//   3. calendar and deadline tests again under TZ=UTC and TZ=America/Los_Angeles
//   4. build, then the end-to-end specs in Chromium
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ART = path.join(ROOT, 'test-artifacts');
fs.mkdirSync(ART, { recursive: true });
const bin = (name) => path.join(ROOT, 'node_modules', '.bin', name);
const keyring = path.join(ROOT, 'scripts', 'with-keyring.sh');

let passed = 0;
let failed = 0;
const steps = [];

/** Runs a command with output shown live; resolves with its exit code and captured stdout. */
function run(label, cmd, args, env = {}) {
  console.log(`\n=== ${label} ===`);
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      process.stdout.write(d);
    });
    child.on('close', (code) => resolve({ code: code ?? 1, out }));
  });
}

function vitestCounts(file) {
  try {
    const r = JSON.parse(fs.readFileSync(file, 'utf8'));
    return { p: r.numPassedTests ?? 0, f: r.numFailedTests ?? 0 };
  } catch {
    return { p: 0, f: 1 };
  }
}

async function vitest(label, args, env = {}, jsonName) {
  const json = path.join(ART, jsonName);
  fs.rmSync(json, { force: true });
  const full = ['run', ...args, '--reporter=default', '--reporter=json', `--outputFile=${json}`];
  const useKeyring = fs.existsSync(keyring) && !process.env.DBUS_SESSION_BUS_ADDRESS;
  const r = useKeyring ? await run(label, 'bash', [keyring, bin('vitest'), ...full], env) : await run(label, bin('vitest'), full, env);
  const c = vitestCounts(json);
  if (r.code !== 0 && c.f === 0) c.f = 1;
  passed += c.p;
  failed += c.f;
  steps.push(`${label}: ${c.p} passed, ${c.f} failed`);
}

// npm start may have rebuilt the native modules for Electron; Node's tests need Node's build.
const MARK = path.join(ROOT, 'node_modules', '.lrw-native-abi');
if (fs.existsSync(MARK) && fs.readFileSync(MARK, 'utf8') === 'electron') {
  const r = await run('为 Node 重新编译本地模块', 'npm', ['rebuild', 'better-sqlite3', 'keytar']);
  if (r.code === 0) fs.rmSync(MARK);
}

const tsc = await run('类型检查 TypeScript', bin('tsc'), ['-p', 'tsconfig.json', '--noEmit']);
steps.push(`typecheck: ${tsc.code === 0 ? 'ok' : 'FAILED'}`);
if (tsc.code !== 0) failed++;

await vitest('单元与集成测试 vitest', [], {}, 'vitest.json');
const tzFiles = ['test/unit/calendar', 'test/integration/deadlines.test.ts'];
await vitest('时区 TZ=UTC', tzFiles, { TZ: 'UTC' }, 'vitest-utc.json');
await vitest('时区 TZ=America/Los_Angeles', tzFiles, { TZ: 'America/Los_Angeles' }, 'vitest-la.json');

const build = await run('构建 build', process.execPath, ['scripts/build.mjs']);
if (build.code !== 0) {
  failed++;
  steps.push('build: FAILED');
} else {
  const e2eCmd = [process.execPath, '--import', 'tsx', 'test/e2e/run.ts'];
  // The harness signs with keys whose passphrases live in a real Secret Service.
  const e2e = fs.existsSync(keyring) && !process.env.DBUS_SESSION_BUS_ADDRESS
    ? await run('端到端测试 E2E (Chromium)', 'bash', [keyring, ...e2eCmd])
    : await run('端到端测试 E2E (Chromium)', e2eCmd[0], e2eCmd.slice(1));
  const m = [...e2e.out.matchAll(/^(\d+) passed, (\d+) failed/gm)].at(-1);
  const p = m ? Number(m[1]) : 0;
  const f = m ? Number(m[2]) : 1;
  passed += p;
  failed += f || (e2e.code !== 0 ? 1 : 0);
  steps.push(`e2e: ${p} passed, ${f} failed`);
}

console.log('\n=== 汇总 summary ===');
for (const s of steps) console.log(`  ${s}`);
console.log(`Total: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
