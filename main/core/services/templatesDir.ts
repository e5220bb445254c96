import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../domain/errors';

/** The shipped templates folder: beside the app (dist/… or the source tree), or LRW_TEMPLATES. */
export function findTemplatesDir(): string {
  const candidates = [
    process.env.LRW_TEMPLATES,
    path.resolve(__dirname, '..', '..', 'templates'),
    path.resolve(__dirname, '..', '..', '..', 'templates'),
    path.resolve(process.cwd(), 'templates'),
  ].filter((p): p is string => !!p);
  const found = candidates.find((d) => fs.existsSync(path.join(d, 'review-opinion.txt')));
  if (!found) throw new AppError('INTERNAL', `找不到文书模板目录（已查找：${candidates.join('；')}），请重新安装程序。`);
  return found;
}

