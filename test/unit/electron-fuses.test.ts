// Issue 14, point 7: the packaged app's Electron fuses, as configured in electron-builder.yml. The
// binary itself cannot be built here (no Electron download), so this checks the configuration that
// electron-builder flips into it: every fuse set the safe way, and the file accepted by
// electron-builder's own schema (a misspelt key would otherwise be ignored at packaging time).
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '..', '..');
const require = createRequire(path.join(ROOT, 'package.json'));
// js-yaml and app-builder-lib come with electron-builder (a devDependency).
const yaml = require('js-yaml') as { load(text: string): unknown };
const { validateConfiguration } = require('app-builder-lib/out/util/config/config.js') as {
  validateConfiguration(config: unknown, logger: unknown): Promise<void>;
};
const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };

type BuilderConfig = { electronFuses?: Record<string, unknown>; asar?: unknown; files?: string[] };
const config = yaml.load(fs.readFileSync(path.join(ROOT, 'electron-builder.yml'), 'utf8')) as BuilderConfig;

describe('electron-builder.yml: Electron fuses', () => {
  const fuses = config.electronFuses ?? {};

  it.each([
    ['runAsNode', false, 'ELECTRON_RUN_AS_NODE 不能把本程序当作 Node 运行'],
    ['enableNodeOptionsEnvironmentVariable', false, 'NODE_OPTIONS / NODE_EXTRA_CA_CERTS 不起作用'],
    ['enableNodeCliInspectArguments', false, '--inspect 与 SIGUSR1 调试器关闭'],
    ['onlyLoadAppFromAsar', true, '只从 app.asar 加载程序'],
    ['enableEmbeddedAsarIntegrityValidation', true, '校验 app.asar 的完整性'],
    ['enableCookieEncryption', true, 'Cookie 以系统密钥加密保存'],
    ['grantFileProtocolExtraPrivileges', false, 'file:// 页面没有额外权限（界面走 app:// 协议）'],
  ])('%s is %s (%s)', (name, value) => {
    expect(fuses[name]).toBe(value);
  });

  it('packs the app into app.asar (the integrity check and onlyLoadAppFromAsar need it)', () => {
    expect(config.asar === undefined || config.asar === true).toBe(true);
  });

  it('is a configuration electron-builder accepts, and a misspelt fuse is not', async () => {
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
    const misspelt = { ...config, electronFuses: { ...fuses, runAsNod: false } };
    await expect(validateConfiguration(misspelt, new DebugLogger(false))).rejects.toThrow(/electronFuses/);
  });
});
