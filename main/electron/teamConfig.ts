// The desktop's choice at first start (issue 14, point 2): 单机使用 (its own database, as before) or
// 连接本单位服务器 (URL plus the pinned certificate fingerprint, or an imported agency CA). Kept as
// JSON in the user data folder (team.json), validated with zod on every read and write; no electron
// import, so it is tested in Node (test/unit/desk-team-config.test.ts).
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { normalizeFingerprint, parseServerUrl, type Trust } from './remote';

export const TEAM_CONFIG_FILE = 'team.json';

const serverUrl = z
  .string({ error: '请填写服务器地址' })
  .trim()
  .min(1, { error: '请填写服务器地址' })
  .max(500, { error: '服务器地址过长' })
  .superRefine((v, ctx) => {
    const p = parseServerUrl(v);
    if (!p.ok) ctx.addIssue({ code: 'custom', message: p.message });
  })
  .transform((v) => new URL(v).origin);

const fingerprint = z
  .string({ error: '请填写证书指纹' })
  .refine((v) => normalizeFingerprint(v) !== null, { error: '证书指纹无效，应为64位十六进制数字（SHA-256，可带冒号）。' })
  .transform((v) => normalizeFingerprint(v)!);

const caPem = z
  .string({ error: '根证书必须是 PEM 文本' })
  .max(100_000, { error: '根证书文件过大' })
  .refine((v) => /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.test(v), { error: '根证书应为 PEM 格式（以 -----BEGIN CERTIFICATE----- 开头）。' });

const LocalConfig = z.object({ mode: z.literal('local') }).strict();
const ServerPinned = z.object({ mode: z.literal('server'), url: serverUrl, fingerprint }).strict();
const ServerCa = z.object({ mode: z.literal('server'), url: serverUrl, caPem }).strict();

/** What the first-start screen sends, and what team.json holds (plus when it was chosen). */
export type TeamChoice = z.output<typeof LocalConfig> | z.output<typeof ServerPinned> | z.output<typeof ServerCa>;
export type TeamConfig = TeamChoice & { chosenAt: string };

const StoredConfig = z.object({ version: z.literal(1, { error: '版本无效' }), config: z.unknown(), chosenAt: z.string({ error: '缺少选择时间' }) });

/** The message of the first zod issue, in Chinese. */
function firstIssue(err: z.ZodError): string {
  return err.issues[0]?.message ?? '设置无效';
}

/** Picks the schema by mode (and, for a server, by the trust given), so the message names the real fault. */
export function parseTeamChoice(input: unknown): { ok: true; value: TeamChoice } | { ok: false; message: string } {
  const mode = input && typeof input === 'object' ? (input as { mode?: unknown }).mode : undefined;
  if (mode !== 'local' && mode !== 'server') return { ok: false, message: '请选择单机使用，或连接本单位服务器' };
  const schema = mode === 'local' ? LocalConfig : 'caPem' in (input as object) ? ServerCa : ServerPinned;
  const r = schema.safeParse(input);
  return r.success ? { ok: true, value: r.data } : { ok: false, message: firstIssue(r.error) };
}

export function teamConfigPath(userDataDir: string): string {
  return path.join(userDataDir, TEAM_CONFIG_FILE);
}

/**
 * The stored choice, or null when none was made yet (the first start). A file that exists but is not a
 * valid configuration is an error with a clear message, never silently taken as "not chosen" (that
 * would turn a server desktop into a local one with an empty database).
 */
export function readTeamConfig(userDataDir: string): TeamConfig | null {
  const file = teamConfigPath(userDataDir);
  let raw: string;
  try {
    raw = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new Error(`连接设置文件已损坏（${file}），无法读取；请删除该文件后重新启动，并重新选择单机使用或连接本单位服务器。`);
  }
  const r = StoredConfig.safeParse(json);
  const c = r.success ? parseTeamChoice(r.data.config) : { ok: false as const, message: firstIssue(r.error) };
  if (!r.success || !c.ok) throw new Error(`连接设置文件无效（${file}）：${c.ok ? '' : c.message}。请删除该文件后重新启动并重新选择。`);
  return { ...c.value, chosenAt: r.data.chosenAt };
}

/** Validates and stores the choice (atomically: a crash leaves the old file or the new one). */
export function writeTeamConfig(userDataDir: string, input: unknown, now: Date = new Date()): TeamConfig {
  const r = parseTeamChoice(input);
  if (!r.ok) throw new Error(r.message);
  const file = teamConfigPath(userDataDir);
  fs.mkdirSync(userDataDir, { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  const chosenAt = now.toISOString();
  const fd = fs.openSync(tmp, 'w', 0o600);
  try {
    fs.writeSync(fd, JSON.stringify({ version: 1, config: r.value, chosenAt }, null, 2));
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
  return { ...r.value, chosenAt };
}

/** The trust a server configuration carries, for RemoteCaller. */
export function trustOf(config: TeamConfig & { mode: 'server' }): Trust {
  return 'fingerprint' in config ? { fingerprint: config.fingerprint } : { caPem: config.caPem };
}

/** What the renderer may see of the configuration (the CA's PEM stays in the main process). */
export interface TeamConfigView {
  mode: 'local' | 'server';
  url?: string;
  fingerprint?: string;
  trust?: 'fingerprint' | 'ca';
  chosenAt: string;
}

export function teamConfigView(c: TeamConfig): TeamConfigView {
  if (c.mode === 'local') return { mode: 'local', chosenAt: c.chosenAt };
  return 'fingerprint' in c
    ? { mode: 'server', url: c.url, fingerprint: c.fingerprint, trust: 'fingerprint', chosenAt: c.chosenAt }
    : { mode: 'server', url: c.url, trust: 'ca', chosenAt: c.chosenAt };
}
