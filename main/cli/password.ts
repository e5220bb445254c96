// Where `lrw` gets a password: LRW_PASSWORD, a --password-file (first line), or a no-echo prompt.
import fs from 'node:fs';
import { AppError } from '../core/domain/errors';

export async function readPassword(
  values: Record<string, unknown>,
  prompt: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<string> {
  if (env.LRW_PASSWORD) return env.LRW_PASSWORD;
  const file = values['password-file'];
  if (typeof file === 'string') {
    try {
      return fs.readFileSync(file, 'utf8').split(/\r?\n/)[0];
    } catch {
      throw new AppError('VALIDATION', `无法读取密码文件“${file}”。`);
    }
  }
  if (!process.stdin.isTTY) {
    throw new AppError('UNAUTHENTICATED', '未提供密码：请设置环境变量 LRW_PASSWORD、使用 --password-file，或在终端中运行以输入密码。');
  }
  return promptHidden(prompt);
}

function promptHidden(prompt: string): Promise<string> {
  return new Promise((resolve) => {
    const stdin = process.stdin;
    process.stderr.write(prompt);
    stdin.setRawMode(true);
    stdin.resume();
    let buf = '';
    const onData = (d: Buffer) => {
      for (const ch of d.toString('utf8')) {
        if (ch === '\r' || ch === '\n') {
          stdin.setRawMode(false);
          stdin.pause();
          stdin.off('data', onData);
          process.stderr.write('\n');
          return resolve(buf);
        }
        if (ch === '\u0003') process.exit(130);
        if (ch === '\u007f') buf = buf.slice(0, -1);
        else buf += ch;
      }
    };
    stdin.on('data', onData);
  });
}

/**
 * A new password (`lrw user passwd`, `lrw user reset-password`): LRW_NEW_PASSWORD, a
 * --new-password-file (first line), or a no-echo prompt asked twice; null when none can be had and
 * `optional` (the core then generates a temporary password).
 */
export async function readNewPassword(
  values: Record<string, unknown>,
  prompt: string,
  env: NodeJS.ProcessEnv = process.env,
  optional = false,
): Promise<string | null> {
  if (env.LRW_NEW_PASSWORD) return env.LRW_NEW_PASSWORD;
  const file = values['new-password-file'];
  if (typeof file === 'string') {
    try {
      return fs.readFileSync(file, 'utf8').split(/\r?\n/)[0];
    } catch {
      throw new AppError('VALIDATION', `无法读取密码文件“${file}”。`);
    }
  }
  if (optional) return null;
  if (!process.stdin.isTTY) {
    throw new AppError('VALIDATION', '未提供新密码：请设置环境变量 LRW_NEW_PASSWORD、使用 --new-password-file，或在终端中运行以输入新密码。');
  }
  const first = await promptHidden(prompt);
  const again = await promptHidden('请再输入一次：');
  if (first !== again) throw new AppError('VALIDATION', '两次输入的新密码不一致，密码未修改。');
  return first;
}

/**
 * The passphrase of an exported record-signing key (`lrw audit key export` / `import`): LRW_KEY_PASSPHRASE,
 * a --passphrase-file (first line), or a no-echo prompt (asked twice when `confirm`, for a new one).
 */
export async function readKeyPassphrase(
  values: Record<string, unknown>,
  prompt: string,
  env: NodeJS.ProcessEnv = process.env,
  confirm = false,
): Promise<string> {
  if (env.LRW_KEY_PASSPHRASE) return env.LRW_KEY_PASSPHRASE;
  const file = values['passphrase-file'];
  if (typeof file === 'string') {
    try {
      return fs.readFileSync(file, 'utf8').split(/\r?\n/)[0];
    } catch {
      throw new AppError('VALIDATION', `无法读取口令文件“${file}”。`);
    }
  }
  if (!process.stdin.isTTY) {
    throw new AppError('VALIDATION', '未提供密钥口令：请设置环境变量 LRW_KEY_PASSPHRASE、使用 --passphrase-file，或在终端中运行以输入口令。');
  }
  const first = await promptHidden(prompt);
  if (!confirm) return first;
  const again = await promptHidden('请再输入一次：');
  if (first !== again) throw new AppError('VALIDATION', '两次输入的口令不一致，密钥未导出。');
  return first;
}
