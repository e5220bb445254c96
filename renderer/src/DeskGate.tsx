// The desktop app's first start (issue 14, point 2): before anything else, 单机使用 or 连接本单位服务器
// (screens/TeamChoice.tsx); afterwards the app as always, with the connection banner above it. In a
// browser (the server's web shim) or the E2E harness there is no window.api.desk: the app as always.
import { useEffect, useState, type ReactNode } from 'react';
import { DeskBanner } from './components/DeskBanner';
import { ErrorBox, Loading } from './components/common';
import { deskApi, TeamChoice } from './screens/TeamChoice';
import { CHANGED_EVENT } from './live';

type Phase = 'loading' | 'choose' | 'ready' | { failed: string };

export function DeskGate({ children }: { children: ReactNode }) {
  const desk = deskApi();
  const [phase, setPhase] = useState<Phase>(desk ? 'loading' : 'ready');

  useEffect(() => {
    if (!desk) return;
    void desk.config().then((r) => setPhase(!r.ok ? { failed: r.error.message } : r.value ? 'ready' : 'choose'));
    // In server mode the main process relays the server's pushes; the screens hear them as the same
    // window events the browser's shim fires (live.ts). The connection state is DeskBanner's (it knows
    // what the desk keeps offline), so live.ts's browser banner (CONNECTION_EVENT) is not fed here.
    return desk.onChanged((detail) => window.dispatchEvent(new CustomEvent(CHANGED_EVENT, { detail })));
  }, [desk]);

  if (phase === 'loading')
    return (
      <div className="center-page">
        <Loading />
      </div>
    );
  if (phase === 'choose') return <TeamChoice onDone={() => setPhase('ready')} />;
  if (typeof phase === 'object')
    return (
      <div className="center-page">
        <ErrorBox message={phase.failed} />
      </div>
    );
  return (
    <>
      <DeskBanner />
      {children}
    </>
  );
}
