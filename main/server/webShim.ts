// The browser's window.api: the same contract as the desktop's preload, forwarded to the server.
// Served as /web-api.js (a classic script, so it runs before the renderer's module bundle and under
// the strict CSP: no inline script). It also opens the push stream once somebody is signed in and
// turns each pushed event into a window event 'lrw:changed' the screens listen to.
import { CHANNELS } from '../../preload/contract';

export const CHANGED_EVENT = 'lrw:changed';
export const CONNECTION_EVENT = 'lrw:connection';

export function webShimSource(): string {
  return `(() => {
  'use strict';
  const channels = ${JSON.stringify(CHANNELS)};
  const csrf = () => {
    const m = document.cookie.match(/(?:^|;\\s*)lrw_csrf=([^;]+)/);
    return m ? decodeURIComponent(m[1]) : '';
  };
  let stream = null;
  let online = true;
  const setOnline = (v) => {
    if (v === online) return;
    online = v;
    window.dispatchEvent(new CustomEvent(${JSON.stringify(CONNECTION_EVENT)}, { detail: { online: v } }));
  };
  const openStream = () => {
    if (stream) return;
    stream = new EventSource('/api/events');
    stream.onmessage = (m) => {
      try {
        window.dispatchEvent(new CustomEvent(${JSON.stringify(CHANGED_EVENT)}, { detail: JSON.parse(m.data) }));
      } catch (e) { /* a malformed push is ignored */ }
    };
    stream.onopen = () => setOnline(true);
    stream.onerror = () => { if (stream && stream.readyState !== 1) setOnline(false); };
  };
  const closeStream = () => {
    if (stream) stream.close();
    stream = null;
  };
  const api = {};
  for (const channel of channels) {
    api[channel] = async (input) => {
      let res;
      try {
        res = await fetch('/api/' + encodeURIComponent(channel), {
          method: 'POST',
          credentials: 'same-origin',
          headers: { 'content-type': 'application/json', 'x-lrw-csrf': csrf() },
          body: JSON.stringify(input === undefined ? {} : input),
        });
      } catch (e) {
        setOnline(false);
        return { ok: false, error: { code: 'OFFLINE', message: '无法连接本单位服务器，操作未完成。请检查网络，稍后重试。' } };
      }
      setOnline(true);
      let body;
      try {
        body = await res.json();
      } catch (e) {
        return { ok: false, error: { code: 'INTERNAL', message: '服务器返回了无法识别的结果（HTTP ' + res.status + '）。' } };
      }
      if (body && body.ok) {
        if (channel === 'auth.signIn' || channel === 'app.setup' || (channel === 'auth.me' && body.value)) openStream();
        if (channel === 'auth.signOut') closeStream();
      } else if (body && body.error && body.error.code === 'UNAUTHENTICATED') closeStream();
      return body;
    };
  }
  Object.defineProperty(window, 'api', { value: Object.freeze(api), writable: false, configurable: false });
  // Where the page runs: a browser cannot sign (a signer's key lives in a desktop's keychain).
  Object.defineProperty(window, 'lrwPlatform', { value: Object.freeze({ mode: 'browser', signing: false }), writable: false, configurable: false });
})();
`;
}
