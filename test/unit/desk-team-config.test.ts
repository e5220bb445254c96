// The first-start choice (main/electron/teamConfig.ts): 单机使用 or 连接本单位服务器, kept in team.json
// in the user data folder; bad input is refused with a Chinese message and changes nothing.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readTeamConfig, teamConfigPath, teamConfigView, trustOf, writeTeamConfig } from '../../main/electron/teamConfig';
import { testCa } from '../helpers/tlsCerts';

const FP = 'AB:'.repeat(31) + 'AB';
let dir: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lrw-team-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('team.json', () => {
  it('is absent at first start: no choice yet', () => {
    expect(readTeamConfig(dir)).toBeNull();
  });

  it('keeps 单机使用', () => {
    const c = writeTeamConfig(dir, { mode: 'local' }, new Date('2026-12-01T08:00:00Z'));
    expect(c).toEqual({ mode: 'local', chosenAt: '2026-12-01T08:00:00.000Z' });
    expect(readTeamConfig(dir)).toEqual(c);
  });

  it('keeps a server with its pinned fingerprint, normalized, and survives a restart (a fresh read)', () => {
    writeTeamConfig(dir, { mode: 'server', url: 'https://lrw.agency.local:8443/', fingerprint: FP });
    const c = readTeamConfig(dir)!;
    expect(c).toMatchObject({ mode: 'server', url: 'https://lrw.agency.local:8443', fingerprint: 'ab'.repeat(32) });
    expect(trustOf(c as typeof c & { mode: 'server' })).toEqual({ fingerprint: 'ab'.repeat(32) });
    expect(teamConfigView(c)).toMatchObject({ mode: 'server', trust: 'fingerprint', fingerprint: 'ab'.repeat(32) });
    if (process.platform !== 'win32') expect(fs.statSync(teamConfigPath(dir)).mode & 0o077).toBe(0);
  });

  it('keeps a server trusted through an imported CA; the view does not carry the PEM', () => {
    const { caPem } = testCa();
    const c = writeTeamConfig(dir, { mode: 'server', url: 'https://10.0.0.8:8443', caPem });
    expect(trustOf(c as typeof c & { mode: 'server' })).toEqual({ caPem });
    expect(JSON.stringify(teamConfigView(c))).not.toContain('BEGIN CERTIFICATE');
  });

  it.each([
    [{}, '请选择单机使用'],
    [{ mode: 'cloud' }, '请选择单机使用'],
    [{ mode: 'server', url: 'http://lrw.agency.local', fingerprint: FP }, 'https://'],
    [{ mode: 'server', url: 'https://lrw.agency.local/x', fingerprint: FP }, '不要带路径'],
    [{ mode: 'server', url: 'https://lrw.agency.local', fingerprint: 'abc' }, '证书指纹无效'],
    [{ mode: 'server', url: 'https://lrw.agency.local' }, '请填写证书指纹'],
    [{ mode: 'server', url: 'https://lrw.agency.local', caPem: 'not a pem' }, 'PEM'],
  ])('refuses %j with a Chinese message and writes nothing', (input, message) => {
    expect(() => writeTeamConfig(dir, input)).toThrow(message);
    expect(fs.existsSync(teamConfigPath(dir))).toBe(false);
  });

  it('a refused change leaves the earlier choice as it was', () => {
    writeTeamConfig(dir, { mode: 'server', url: 'https://lrw.agency.local', fingerprint: FP });
    expect(() => writeTeamConfig(dir, { mode: 'server', url: 'ftp://x', fingerprint: FP })).toThrow();
    expect(readTeamConfig(dir)).toMatchObject({ mode: 'server', url: 'https://lrw.agency.local' });
  });

  it('a damaged file is an error naming it, never taken as "no choice" (which would open an empty local database)', () => {
    fs.writeFileSync(teamConfigPath(dir), '{"version":1,');
    expect(() => readTeamConfig(dir)).toThrow(/连接设置文件已损坏.*team\.json/);
    fs.writeFileSync(teamConfigPath(dir), JSON.stringify({ version: 1, config: { mode: 'server', url: 'http://x' }, chosenAt: 'x' }));
    expect(() => readTeamConfig(dir)).toThrow(/连接设置文件无效/);
  });
});
