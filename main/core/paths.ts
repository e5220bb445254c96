// Where the database lives, shared by the app (main/electron/main.ts) and `lrw` (main/cli/lrw.ts).
// Pure: no electron import, no reads of process.*; every input is a parameter so tests can pin them.
import path from 'node:path';
import { AppError } from './domain/errors';

/** Must equal package.json "productName": Electron names the userData directory after it. */
export const PRODUCT_NAME = '法制审核工作台';
export const DB_FILE_NAME = 'lrw.sqlite';

type Env = Readonly<Record<string, string | undefined>>;

/**
 * The directory Electron's app.getPath('userData') gives for this productName, i.e. appData + name:
 * Linux $XDG_CONFIG_HOME (when set and non-empty, as Chromium's GetXDGDirectory does) or ~/.config;
 * macOS ~/Library/Application Support; Windows %APPDATA% (the roaming profile).
 */
export function defaultUserDataDir(platform: NodeJS.Platform, env: Env, home: string): string {
  if (platform === 'win32') {
    return path.win32.join(env.APPDATA || path.win32.join(home, 'AppData', 'Roaming'), PRODUCT_NAME);
  }
  if (platform === 'darwin') return path.posix.join(home, 'Library', 'Application Support', PRODUCT_NAME);
  return path.posix.join(env.XDG_CONFIG_HOME || path.posix.join(home, '.config'), PRODUCT_NAME);
}

export interface ResolveDbPathOptions {
  /** Command-line arguments; only `--db PATH` / `--db=PATH` is looked at, anything else is ignored. */
  argv: readonly string[];
  env: Env;
  userDataDir: string;
  /** Base for a relative --db / LRW_DB; defaults to process.cwd(). */
  cwd?: string;
}

/**
 * `--db PATH` argument first (the last one wins, like most CLIs), then env LRW_DB (ignored when empty),
 * else `<userDataDir>/lrw.sqlite`. An explicit path is made absolute, so the attachment folder derived
 * from it does not depend on a later working directory.
 */
export function resolveDbPath(opts: ResolveDbPathOptions): string {
  const fromArgv = dbArgument(opts.argv);
  // A PostgreSQL URL is taken as given; a file path is made absolute.
  const resolve = (p: string) => (/^postgres(ql)?:\/\//i.test(p) ? p : opts.cwd === undefined ? path.resolve(p) : path.resolve(opts.cwd, p));
  if (fromArgv !== undefined) return resolve(fromArgv);
  if (opts.env.LRW_DB) return resolve(opts.env.LRW_DB);
  return path.join(opts.userDataDir, DB_FILE_NAME);
}

function dbArgument(argv: readonly string[]): string | undefined {
  let found: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') break;
    if (a === '--db') {
      const next = argv[i + 1];
      if (next === undefined || next === '' || next.startsWith('--')) {
        throw new AppError('VALIDATION', '参数 --db 后须给出数据库文件路径。');
      }
      found = next;
      i++;
    } else if (a.startsWith('--db=')) {
      const v = a.slice('--db='.length);
      if (v === '') throw new AppError('VALIDATION', '参数 --db 后须给出数据库文件路径。');
      found = v;
    }
  }
  return found;
}
