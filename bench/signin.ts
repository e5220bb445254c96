// Sign-in timing (issue 10, point 7): an unknown username must cost what a known one costs, so
// usernames cannot be enumerated by timing. Measures `authenticate` (the path the app's sign-in and
// every `lrw --as` take) on a real SQLite core: unknown user, known user with a wrong password (below
// the lock, with its counter write), known user while locked, and the right password; prints the
// medians and the ratio known-wrong / unknown (1.0 is ideal). Measured here, never asserted in a test.
// Run with `npm run bench` (BENCH_ONLY=signin) or on its own: node --import tsx bench/signin.ts
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { authenticate } from '../main/core/services/auth';
import { closeCore, openCore } from '../main/core/services/core';
import { updateAuthSettings } from '../main/core/services/security';
import { setup } from '../main/core/services/setup';
import { createUser } from '../main/core/services/users';

const RUNS = Number(process.env.BENCH_SIGNIN_RUNS ?? 30);
const PASSWORD = 'bench-Passw0rd';

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn().catch(() => {});
  return performance.now() - t0;
}

export async function benchSignin(): Promise<Record<string, number>> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lrw-bench-signin-'));
  const core = await openCore({ dbPath: path.join(dir, 'lrw.sqlite') });
  try {
    const admin = await setup(core, { agencyName: '基准测试局', docPrefix: '基准罚', admin: { username: 'admin', displayName: '管理员', password: PASSWORD } });
    await createUser(core, admin, { username: 'known', displayName: '已知用户', password: PASSWORD, roles: ['handler'] });
    await createUser(core, admin, { username: 'locked', displayName: '锁定用户', password: PASSWORD, roles: ['handler'] });
    await updateAuthSettings(core, admin, { maxFailures: 5, lockMinutes: 15, idleMinutes: 30, adminSplit: true });
    for (let i = 0; i < 5; i++) await timed(() => authenticate(core, { username: 'locked', password: 'wrong-password' }));
    // Warm-up (the dummy hash is made on first use).
    await timed(() => authenticate(core, { username: 'nobody', password: 'wrong-password' }));
    const unknown: number[] = [];
    const knownWrong: number[] = [];
    const knownLocked: number[] = [];
    const right: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      unknown.push(await timed(() => authenticate(core, { username: `nobody${i}`, password: 'wrong-password' })));
      knownWrong.push(await timed(() => authenticate(core, { username: 'known', password: 'wrong-password' })));
      knownLocked.push(await timed(() => authenticate(core, { username: 'locked', password: PASSWORD })));
      // Every few failures the right password clears the counter, so `known` never reaches the lock.
      if (i % 3 === 2) right.push(await timed(() => authenticate(core, { username: 'known', password: PASSWORD })));
    }
    const r = {
      runs: RUNS,
      unknownUserMedianMs: median(unknown),
      knownWrongPasswordMedianMs: median(knownWrong),
      knownLockedMedianMs: median(knownLocked),
      rightPasswordMedianMs: median(right),
      ratioKnownWrongToUnknown: median(knownWrong) / median(unknown),
      ratioLockedToUnknown: median(knownLocked) / median(unknown),
    };
    console.log(
      `sign-in: unknown user ${r.unknownUserMedianMs.toFixed(1)} ms, known user wrong password ${r.knownWrongPasswordMedianMs.toFixed(1)} ms, ` +
        `locked ${r.knownLockedMedianMs.toFixed(1)} ms, right password ${r.rightPasswordMedianMs.toFixed(1)} ms (median of ${RUNS}); ` +
        `ratio known/unknown ${r.ratioKnownWrongToUnknown.toFixed(2)}, locked/unknown ${r.ratioLockedToUnknown.toFixed(2)}`,
    );
    return r;
  } finally {
    await closeCore(core);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  void benchSignin();
}
