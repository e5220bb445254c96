// Reminds a reviewer (or the legal office head, for reviews nobody has taken) when a review enters its
// last working day: polls deadlines.lastDay every 10 minutes while signed in, raises one desktop
// notification per review and day (remembered in localStorage; Electron maps the renderer's
// Notification API to the operating system's), and shows an in-app banner.
import { useEffect, useState } from 'react';
import type { OverdueItem, SessionView } from '../../../main/core/domain/views';
import { call } from '../api';
import { todayCst } from '../format';
import { PROVISIONAL_LABEL } from '../labels';
import { navigate } from '../router';

export const LAST_DAY_POLL_MS = 10 * 60 * 1000;
const ASKED_KEY = 'lrw:notification-permission-asked';

const itemKey = (i: OverdueItem) => `${i.caseId}:${i.clock.kind}:${i.clock.due}`;

function readSet(key: string): Set<string> {
  try {
    const v = JSON.parse(localStorage.getItem(key) ?? '[]') as unknown;
    return new Set(Array.isArray(v) ? v.map(String) : []);
  } catch {
    return new Set();
  }
}

function writeSet(key: string, s: Set<string>): void {
  try {
    localStorage.setItem(key, JSON.stringify([...s]));
  } catch {
    /* storage full or disabled: the banner still shows */
  }
}

/** Removes the notified-lists of earlier days so that localStorage does not grow forever. */
function pruneOldDays(prefix: string, today: string): void {
  try {
    for (let i = localStorage.length - 1; i >= 0; i--) {
      const k = localStorage.key(i);
      if (k && k.startsWith(prefix) && !k.endsWith(today)) localStorage.removeItem(k);
    }
  } catch {
    /* ignore */
  }
}

export function reminderBody(i: OverdueItem): string {
  const c = i.clock;
  return `${i.caseNo}《${i.title}》${c.label}：${c.remainingLabel}（${c.dueLabel}到期${c.provisional ? `，${PROVISIONAL_LABEL}` : ''}）`;
}

async function ensurePermission(): Promise<boolean> {
  if (typeof Notification === 'undefined') return false;
  if (Notification.permission === 'granted') return true;
  if (Notification.permission === 'denied') return false;
  // Asked once: a user who dismissed the prompt is not asked again every ten minutes.
  if (localStorage.getItem(ASKED_KEY)) return false;
  localStorage.setItem(ASKED_KEY, new Date().toISOString());
  try {
    return (await Notification.requestPermission()) === 'granted';
  } catch {
    return false;
  }
}

export function LastDayWatcher({ session }: { session: SessionView }) {
  const [items, setItems] = useState<OverdueItem[]>([]);
  const [dismissedDay, setDismissedDay] = useState<string | null>(() => localStorage.getItem(`lrw:lastday-dismissed:${session.user.id}`));

  useEffect(() => {
    let live = true;
    const userId = session.user.id;
    const check = async () => {
      const res = await call('deadlines.lastDay', {});
      if (!live || !res.ok) return;
      setItems(res.value);
      const today = todayCst();
      const prefix = `lrw:lastday-notified:${userId}:`;
      pruneOldDays(prefix, today);
      const notified = readSet(prefix + today);
      const fresh = res.value.filter((i) => !notified.has(itemKey(i)));
      if (fresh.length === 0) return;
      const allowed = await ensurePermission();
      if (!live) return;
      for (const i of fresh) {
        if (allowed) {
          try {
            const n = new Notification('审核期限提醒', { body: reminderBody(i), tag: `lrw-${itemKey(i)}` });
            n.onclick = () => {
              window.focus();
              navigate({ name: 'case', caseId: i.caseId });
            };
          } catch {
            /* the banner below still tells the user */
          }
        }
        notified.add(itemKey(i));
      }
      writeSet(prefix + today, notified);
    };
    void check();
    const timer = setInterval(() => void check(), LAST_DAY_POLL_MS);
    // Moving between pages refreshes the banner (an issued review drops out at once); nothing is notified twice.
    const onRoute = () => void check();
    window.addEventListener('hashchange', onRoute);
    return () => {
      live = false;
      clearInterval(timer);
      window.removeEventListener('hashchange', onRoute);
    };
  }, [session.user.id]);

  const today = todayCst();
  if (items.length === 0 || dismissedDay === today) return null;
  return (
    <div className="lastday-banner" role="alert" data-testid="lastday-banner">
      <strong>审核期限提醒</strong>
      <ul>
        {items.map((i) => (
          <li key={itemKey(i)} data-testid="lastday-item" data-state={i.clock.state}>
            <a
              href={`#/case/${i.caseId}`}
              onClick={(e) => {
                e.preventDefault();
                navigate({ name: 'case', caseId: i.caseId });
              }}
            >
              {reminderBody(i)}
            </a>
          </li>
        ))}
      </ul>
      <button
        type="button"
        className="btn-small"
        data-testid="lastday-dismiss"
        onClick={() => {
          localStorage.setItem(`lrw:lastday-dismissed:${session.user.id}`, today);
          setDismissedDay(today);
        }}
      >
        今日不再显示
      </button>
    </div>
  );
}
