// Live updates from the agency server: the browser's window.api (main/server/webShim.ts) or, on a
// desktop in team mode, its main process fires window events for every event appended anywhere.
// Screens listen here; on a desktop alone nothing fires and nothing changes.
import { useEffect, useRef, useState } from 'react';
import type { PushedEvent } from '../../main/core/services/pushEvents';

export const CHANGED_EVENT = 'lrw:changed';
export const CONNECTION_EVENT = 'lrw:connection';

/** What the server pushes for each appended event (never its payload). */
export type ChangeEvent = PushedEvent;

/** Calls onChange (at most every 300 ms) for pushed events that pass the filter. */
export function useLiveChanges(filter: (e: ChangeEvent) => boolean, onChange: (events: ChangeEvent[]) => void): void {
  const latest = useRef({ filter, onChange });
  latest.current = { filter, onChange };
  useEffect(() => {
    let pending: ChangeEvent[] = [];
    let timer: ReturnType<typeof setTimeout> | null = null;
    const listener = (ev: Event) => {
      const e = (ev as CustomEvent<ChangeEvent>).detail;
      if (!e || typeof e.seq !== 'number' || !latest.current.filter(e)) return;
      pending.push(e);
      if (timer) return;
      timer = setTimeout(() => {
        timer = null;
        const batch = pending;
        pending = [];
        latest.current.onChange(batch);
      }, 300);
    };
    window.addEventListener(CHANGED_EVENT, listener);
    return () => {
      window.removeEventListener(CHANGED_EVENT, listener);
      if (timer) clearTimeout(timer);
    };
  }, []);
}

/** False while the agency server cannot be reached. */
export function useServerOnline(): boolean {
  const [online, setOnline] = useState(true);
  useEffect(() => {
    const listener = (ev: Event) => setOnline((ev as CustomEvent<{ online: boolean }>).detail?.online !== false);
    window.addEventListener(CONNECTION_EVENT, listener);
    return () => window.removeEventListener(CONNECTION_EVENT, listener);
  }, []);
  return online;
}

/** Where the page runs: a browser served by the agency server cannot sign (keys live on desktops). */
export function canSignHere(): boolean {
  const p = (window as unknown as { lrwPlatform?: { signing?: boolean } }).lrwPlatform;
  return p?.signing !== false;
}

/** "2026年12月01日 18:40" in China time, for "已被某某于…更新". */
export function cstMinute(iso: string): string {
  const d = new Date(new Date(iso).getTime() + 8 * 3600_000).toISOString();
  return `${d.slice(0, 4)}年${d.slice(5, 7)}月${d.slice(8, 10)}日 ${d.slice(11, 16)}`;
}
