// Where the app and `lrw` look for the database: both must land on the same file.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DB_FILE_NAME, PRODUCT_NAME, defaultUserDataDir, resolveDbPath } from '../../main/core/paths';
import pkg from '../../package.json';

const userDataDir = path.resolve('/home/zhang/.config/法制审核工作台');
const cwd = path.resolve('/work/cases');

describe('resolveDbPath', () => {
  it('prefers --db PATH over LRW_DB and the default', async () => {
    const p = resolveDbPath({ argv: ['/opt/lrw/lrw', '--db', '/data/a.sqlite'], env: { LRW_DB: '/data/b.sqlite' }, userDataDir, cwd });
    expect(p).toBe(path.resolve('/data/a.sqlite'));
  });

  it('accepts --db=PATH, and the last --db wins', async () => {
    expect(resolveDbPath({ argv: ['--db=/data/a.sqlite'], env: {}, userDataDir, cwd })).toBe(path.resolve('/data/a.sqlite'));
    expect(resolveDbPath({ argv: ['--db', '/data/a.sqlite', '--db=/data/c.sqlite'], env: {}, userDataDir, cwd })).toBe(
      path.resolve('/data/c.sqlite'),
    );
  });

  it('falls back to LRW_DB when there is no --db', async () => {
    expect(resolveDbPath({ argv: ['/usr/bin/electron', '.'], env: { LRW_DB: '/data/b.sqlite' }, userDataDir, cwd })).toBe(
      path.resolve('/data/b.sqlite'),
    );
  });

  it('uses <userDataDir>/lrw.sqlite when neither is given, or LRW_DB is empty', async () => {
    const expected = path.join(userDataDir, 'lrw.sqlite');
    expect(DB_FILE_NAME).toBe('lrw.sqlite');
    expect(resolveDbPath({ argv: [], env: {}, userDataDir, cwd })).toBe(expected);
    expect(resolveDbPath({ argv: [], env: { LRW_DB: '' }, userDataDir, cwd })).toBe(expected);
  });

  it('makes relative paths absolute against cwd', async () => {
    expect(resolveDbPath({ argv: ['--db', 'x/lrw.sqlite'], env: {}, userDataDir, cwd })).toBe(path.join(cwd, 'x', 'lrw.sqlite'));
    expect(resolveDbPath({ argv: [], env: { LRW_DB: 'y.sqlite' }, userDataDir, cwd })).toBe(path.join(cwd, 'y.sqlite'));
  });

  it('ignores arguments after "--" and other options', async () => {
    expect(resolveDbPath({ argv: ['--dbx', '/a', '--', '--db', '/b'], env: {}, userDataDir, cwd })).toBe(path.join(userDataDir, 'lrw.sqlite'));
  });

  it('refuses --db without a path instead of silently opening the default database', async () => {
    await expect((async () => resolveDbPath({ argv: ['--db'], env: {}, userDataDir, cwd }))()).rejects.toThrow(/--db/);
    await expect((async () => resolveDbPath({ argv: ['--db', '--json'], env: {}, userDataDir, cwd }))()).rejects.toThrow(/--db/);
    await expect((async () => resolveDbPath({ argv: ['--db='], env: {}, userDataDir, cwd }))()).rejects.toThrow(/--db/);
  });
});

describe('defaultUserDataDir (same directory as Electron app.getPath("userData"))', () => {
  it('is named after package.json productName, as Electron names it', async () => {
    expect(PRODUCT_NAME).toBe('法制审核工作台');
    expect(pkg.productName).toBe(PRODUCT_NAME);
  });

  it('Linux: $XDG_CONFIG_HOME, else ~/.config', async () => {
    expect(defaultUserDataDir('linux', {}, '/home/zhang')).toBe('/home/zhang/.config/法制审核工作台');
    expect(defaultUserDataDir('linux', { XDG_CONFIG_HOME: '' }, '/home/zhang')).toBe('/home/zhang/.config/法制审核工作台');
    expect(defaultUserDataDir('linux', { XDG_CONFIG_HOME: '/srv/cfg' }, '/home/zhang')).toBe('/srv/cfg/法制审核工作台');
  });

  it('macOS: ~/Library/Application Support', async () => {
    expect(defaultUserDataDir('darwin', { XDG_CONFIG_HOME: '/ignored' }, '/Users/zhang')).toBe(
      '/Users/zhang/Library/Application Support/法制审核工作台',
    );
  });

  it('Windows: %APPDATA%, else the roaming profile under the home directory', async () => {
    expect(defaultUserDataDir('win32', { APPDATA: 'C:\\Users\\zhang\\AppData\\Roaming' }, 'C:\\Users\\zhang')).toBe(
      'C:\\Users\\zhang\\AppData\\Roaming\\法制审核工作台',
    );
    expect(defaultUserDataDir('win32', {}, 'C:\\Users\\zhang')).toBe('C:\\Users\\zhang\\AppData\\Roaming\\法制审核工作台');
  });
});
