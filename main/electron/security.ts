// Hardening applied to every webContents the app creates: no new windows, no navigation away from
// the bundled renderer, no <webview>, and no permission (camera, notifications, geolocation…) granted.
import { isAllowedPermission } from './trust';
import { app, session, type WebContents } from 'electron';
import { isRendererUrl } from './trust';

function harden(contents: WebContents): void {
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  const stayHome = (event: { url: string; preventDefault: () => void }) => {
    if (!isRendererUrl(event.url)) event.preventDefault();
  };
  contents.on('will-navigate', stayHome);
  contents.on('will-redirect', stayHome);
  // Also covers subframes (will-navigate only fires for the main frame).
  contents.on('will-frame-navigate', stayHome);
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

/** Call once, before any window is created. */
export function installNavigationGuards(): void {
  app.on('web-contents-created', (_event, contents) => harden(contents));
}

/**
 * Call after app 'ready' (sessions exist only then). Every permission is refused except desktop
 * notifications for the app's own pages (review deadline reminders).
 */
export function denyAllPermissions(): void {
  const s = session.defaultSession;
  s.setPermissionRequestHandler((contents, permission, callback) =>
    callback(isAllowedPermission(permission, contents.getURL())),
  );
  s.setPermissionCheckHandler((_contents, permission, origin) => isAllowedPermission(permission, origin));
}
