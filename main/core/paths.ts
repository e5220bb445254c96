// Where the database lives, shared by the app and `lrw` (pure: no electron import).
import path from 'node:path';

export const PRODUCT_NAME = '法制审核工作台';
export const DB_FILE_NAME = 'lrw.sqlite';

/** The directory Electron's app.getPath('userData') gives for this productName. */
export function defaultUserDataDir(platform: NodeJS.Platform, env: NodeJS.ProcessEnv, home: string): string {
  if (platform === 'win32') return path.win32.join(env.APPDATA || path.win32.join(home, 'AppData', 'Roaming'), PRODUCT_NAME);
  if (platform === 'darwin') return path.posix.join(home, 'Library', 'Application Support', PRODUCT_NAME);
  return path.posix.join(env.XDG_CONFIG_HOME || path.posix.join(home, '.config'), PRODUCT_NAME);
}

/** --db PATH first, then LRW_DB, else the default file in the user data directory. */
export function resolveDbPath(opts: { argv: readonly string[]; env: NodeJS.ProcessEnv; userDataDir: string }): string {
  const i = opts.argv.indexOf('--db');
  if (i >= 0 && opts.argv[i + 1]) return path.resolve(opts.argv[i + 1]);
  const eq = opts.argv.find((a) => a.startsWith('--db='));
  if (eq && eq.length > 5) return path.resolve(eq.slice(5));
  if (opts.env.LRW_DB) return path.resolve(opts.env.LRW_DB);
  return path.join(opts.userDataDir, DB_FILE_NAME);
}
