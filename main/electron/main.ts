// Electron entry (bundled to dist/main/electron.js): app lifecycle, the single window, and wiring of
// the protocol, the IPC bridge and the security guards. No business rule lives here; see main/core.
import fs from 'node:fs';
import path from 'node:path';
import { app, BrowserWindow, dialog } from 'electron';
import { AppError } from '../core/domain/errors';
import { resolveDbPath } from '../core/paths';
import { closeCore, openCore, type Core } from '../core/services/core';
import { DESK_STATUS_EVENT, type DeskStatus } from '../../preload/desk';
import { DeskController, hasExplicitDb } from './deskHost';
import { registerIpc, setBackend, unregisterIpc } from './ipc';
import { AppSecretStore } from './secretStore';
import { registerAppScheme, serveRenderer } from './protocol';
import { denyAllPermissions, installNavigationGuards } from './security';
import { RENDERER_INDEX_URL } from './trust';
import { prewarmDocumentsSoon } from '../core/services/fonts';

const APP_ID = 'cn.gov.lrw.workstation';
const TITLE = '法制审核工作台';
// This file runs as dist/main/electron.js; its siblings are dist/preload and dist/renderer.
const PRELOAD = path.join(__dirname, '..', 'preload', 'index.cjs');
const RENDERER_DIR = path.join(__dirname, '..', 'renderer');

let core: Core | null = null;
let desk: DeskController | null = null;
let mainWindow: BrowserWindow | null = null;

function fatal(title: string, err: unknown): void {
  const message = err instanceof AppError ? err.message : err instanceof Error ? err.message : String(err);
  console.error(`[lrw] ${title}:`, err);
  dialog.showErrorBox(title, message);
  app.exit(1);
}

function createWindow(): void {
  const win = new BrowserWindow({
    width: 1280,
    height: 860,
    title: TITLE,
    show: false,
    webPreferences: {
      preload: PRELOAD,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      webviewTag: false,
      spellcheck: false,
    },
  });
  win.once('ready-to-show', () => win.show());
  win.on('closed', () => {
    if (mainWindow === win) mainWindow = null;
  });
  mainWindow = win;
  void win.loadURL(RENDERER_INDEX_URL);
}

function start(): void {
  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  app.on('will-quit', () => {
    unregisterIpc();
    desk?.close();
    desk = null;
    if (core) {
      void closeCore(core);
      core = null;
    }
  });

  app.whenReady().then(
    async () => {
      if (process.platform === 'win32') app.setAppUserModelId(APP_ID);
      if (!fs.existsSync(path.join(RENDERER_DIR, 'index.html'))) {
        fatal('无法启动', new Error(`未找到界面文件（${RENDERER_DIR}），请先运行 npm run build。`));
        return;
      }
      // 单机使用 opens the local database as before; 连接本单位服务器 forwards every channel to the
      // agency server (main/electron/deskHost.ts). At the first start nothing is open: the renderer
      // asks, through window.api.desk, and the choice is kept in team.json in userData.
      const userDataDir = app.getPath('userData');
      const broadcast = (status: DeskStatus) => {
        for (const w of BrowserWindow.getAllWindows()) if (!w.webContents.isDestroyed()) w.webContents.send(DESK_STATUS_EVENT, status);
      };
      // In team mode the signing keys stay on this desktop, their passphrases in its keychain.
      const deskKeychain = new AppSecretStore(userDataDir);
      let initial;
      try {
        desk = new DeskController({
          userDataDir,
          explicitLocalDb: hasExplicitDb(process.argv, process.env),
          openLocal: async () => {
            const dbPath = resolveDbPath({ argv: process.argv, env: process.env, userDataDir });
            core = await openCore({ dbPath, secrets: new AppSecretStore(userDataDir) });
            prewarmDocumentsSoon(core);
            return core;
          },
          setBackend,
          onStatus: broadcast,
          secrets: async () => deskKeychain,
        });
        initial = await desk.start();
      } catch (err) {
        fatal('无法打开数据库', err);
        return;
      }
      denyAllPermissions();
      serveRenderer(RENDERER_DIR);
      registerIpc(initial, desk);
      createWindow();
      app.on('activate', () => {
        if (BrowserWindow.getAllWindows().length === 0) createWindow();
      });
    },
    (err) => fatal('无法启动', err),
  );
}

// Before 'ready': the privileged scheme, global sandboxing and the per-webContents guards.
registerAppScheme();
app.enableSandbox();
// Date pickers and other native controls follow the UI language, not the OS's.
app.commandLine.appendSwitch('lang', 'zh-CN');
installNavigationGuards();

if (!app.requestSingleInstanceLock()) {
  // Another window of the app is already running; it is focused by its 'second-instance' handler.
  app.quit();
} else {
  start();
}
