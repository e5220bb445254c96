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
