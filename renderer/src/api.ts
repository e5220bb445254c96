// The renderer's only way to the core: window.api (installed by the Electron preload, or by the E2E harness).
import type { Api, Channel, Input, Outputs, Result, VersionedChannel } from '../../preload/contract';
import { humanizeMessage } from './errors';
import { QUEUE_CHANGING, QUEUE_STALE_EVENT } from './queueSignals';

export type { Result };

export const SIGNED_OUT_EVENT = 'lrw:signed-out';

function bridge(): Api | undefined {
  return (window as unknown as { api?: Api }).api;
}

/**
 * What the app sends: a write the core checks by version (VERSIONED_CHANNELS) always names the version
 * of the record it was based on, so a change made at another desk meanwhile is refused (STALE), never
 * silently overwritten. Optional for lrw and automation; required here, so the compiler holds every
 * screen to it.
 */
export type AppInput<C extends Channel> = C extends VersionedChannel ? Input<C> & { expectedVersion: number } : Input<C>;

/** Calls one channel; a broken bridge becomes an ordinary failed Result with a Chinese message. */
export async function call<C extends Channel>(channel: C, input: AppInput<C>): Promise<Result<Outputs[C]>> {
  const api = bridge();
  if (!api || typeof api[channel] !== 'function') {
    return { ok: false, error: { code: 'INTERNAL', message: '无法连接系统核心，请重新启动本程序。' } };
  }
  try {
    const fn = api[channel] as (i: Input<C>) => Promise<Result<Outputs[C]>>;
    const res = await fn(input as Input<C>);
    if (!res || typeof res !== 'object' || typeof (res as { ok?: unknown }).ok !== 'boolean') {
      return { ok: false, error: { code: 'INTERNAL', message: '系统核心返回了无法识别的结果。' } };
    }
    if (!res.ok) {
      // The session ended (signed out elsewhere, account disabled): the app returns to the sign-in page.
      if ((res.error.code === 'UNAUTHENTICATED' || res.error.code === 'PASSWORD_CHANGE_REQUIRED') && channel !== 'auth.signIn' && channel !== 'auth.changePassword') {
        window.dispatchEvent(new CustomEvent(SIGNED_OUT_EVENT, { detail: res.error.code === 'UNAUTHENTICATED' ? String(res.error.message ?? '') : undefined }));
      }
      return { ok: false, error: { ...res.error, message: humanizeMessage(String(res.error.message ?? '')) } };
    }
    // Work moved on: the shell reads the 待办 (and the menu counts) again.
    if (QUEUE_CHANGING.has(channel)) window.dispatchEvent(new Event(QUEUE_STALE_EVENT));
    return res;
  } catch {
    return { ok: false, error: { code: 'INTERNAL', message: '与系统核心通信失败，操作未完成，请重试。' } };
  }
}
