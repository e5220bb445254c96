// `npm test`: every check, in order, with one closing line that counts them all.
//   1. TypeScript   2. vitest (core, lrw, documents; under a real Secret Service when available)
//   3. calendar and deadline tests again under TZ=UTC and TZ=America/Los_Angeles
//   4. the integration and lrw tests again on PostgreSQL (a throw-away cluster: scripts/with-postgres.sh)
//   5. build, then the end-to-end specs in Chromium, on SQLite and on PostgreSQL
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ART = path.join(ROOT, 'test-artifacts');
fs.mkdirSync(ART, { recursive: true });
const bin = (name) => path.join(ROOT, 'node_modules', '.bin', name);
const keyring = path.join(ROOT, 'scripts', 'with-keyring.sh');
const withPg = path.join(ROOT, 'scripts', 'with-postgres.sh');
const PG = { LRW_TEST_ENGINE: 'postgres' };

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

/** Every failed test, named with the first lines of its failure: the summary at the end repeats them. */
const failures = [];

function vitestCounts(file, label) {
  try {
    const r = JSON.parse(fs.readFileSync(file, 'utf8'));
    for (const f of r.testResults ?? []) {
      if (f.status === 'failed' && !(f.assertionResults ?? []).some((t) => t.status === 'failed')) {
        failures.push(`[${label}] ${path.relative(ROOT, f.name)}: ${String(f.message ?? '').split('\n').slice(0, 6).join('\n    ')}`);
      }
      for (const t of f.assertionResults ?? []) {
        if (t.status !== 'failed') continue;
        const why = (t.failureMessages ?? []).join('\n').split('\n').slice(0, 8).join('\n    ');
        failures.push(`[${label}] ${path.relative(ROOT, f.name)} > ${t.fullName}\n    ${why}`);
      }
    }
    return { p: r.numPassedTests ?? 0, f: r.numFailedTests ?? 0 };
  } catch {
    return { p: 0, f: 1 };
  }
}

/** The command, under a real Secret Service when one can be started, and a throw-away PostgreSQL when env asks for it. */
function wrapped(cmd, args, env) {
  let chain = [cmd, ...args];
  if (fs.existsSync(keyring) && !process.env.DBUS_SESSION_BUS_ADDRESS) chain = ['bash', keyring, ...chain];
  if (env.LRW_TEST_ENGINE === 'postgres') chain = ['bash', withPg, ...chain];
  return chain;
}

async function vitest(label, args, env = {}, jsonName) {
  const json = path.join(ART, jsonName);
  fs.rmSync(json, { force: true });
  const full = ['run', ...args, '--reporter=default', '--reporter=json', `--outputFile=${json}`];
  const [cmd, ...rest] = wrapped(bin('vitest'), full, env);
  const r = await run(label, cmd, rest, env);
  const c = vitestCounts(json, label);
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
// The unit tests do not touch a store; everything that does runs again on PostgreSQL.
await vitest('集成与 lrw 测试 PostgreSQL', ['test/integration'], PG, 'vitest-pg.json');

const build = await run('构建 build', process.execPath, ['scripts/build.mjs']);
if (build.code !== 0) {
  failed++;
  steps.push('build: FAILED');
} else {
  // The harness signs with keys whose passphrases live in a real Secret Service.
  for (const [label, env] of [['SQLite', {}], ['PostgreSQL', PG]]) {
    const [cmd, ...args] = wrapped(process.execPath, ['--import', 'tsx', 'test/e2e/run.ts'], env);
    const e2e = await run(`端到端测试 E2E (Chromium, ${label})`, cmd, args, env);
    for (const line of e2e.out.split('\n')) if (line.startsWith('✗ ')) failures.push(`[e2e ${label}] ${line.slice(0, 600)}`);
    const m = [...e2e.out.matchAll(/^(\d+) passed, (\d+) failed/gm)].at(-1);
    const p = m ? Number(m[1]) : 0;
    const f = m ? Number(m[2]) : 1;
    passed += p;
    failed += f || (e2e.code !== 0 ? 1 : 0);
    steps.push(`e2e ${label}: ${p} passed, ${f} failed`);
  }
}

if (failures.length) {
  console.log('\n=== 失败的测试 failed tests ===');
  for (const f of failures) console.log(`  ${f}`);
}
console.log('\n=== 汇总 summary ===');
for (const s of steps) console.log(`  ${s}`);
console.log(`Total: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
