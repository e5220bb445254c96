// 待办: what waits for the signed-in user.
import { useCallback, useEffect, useState } from 'react';
import type { QueueView, SessionView } from '../../../main/core/domain/views';
import { call } from '../api';
import { CaseTable } from '../components/CaseTable';
import { ErrorBox, Loading } from '../components/common';
import { navigate } from '../router';
import { useLiveChanges } from '../live';
import { exportXlsx, openPrintView } from './PrintViews';

export function Queue({ session }: { session: SessionView }) {
  const [queue, setQueue] = useState<QueueView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [exporting, setExporting] = useState(false);

  const load = useCallback(async () => {
    const res = await call('cases.queue', {});
    if (res.ok) {
      setQueue(res.value);
      setError(null);
    } else setError(res.error.message);
  }, []);

  useEffect(() => {
    void load();
  }, [load]);

  // Team mode: what others do (a case submitted at another desk) arrives without a reload.
  useLiveChanges(() => true, () => void load());

  const isHandler = session.user.roles.includes('handler');
  return (
    <div className="page" data-testid="queue-page">
      <div className="page-head">
        <h1>待办</h1>
        <span className="page-head-tools">
          <button type="button" data-testid="queue-print" disabled={!queue} onClick={() => openPrintView({ name: 'queuePrint' })}>
            打印
          </button>
          <button
            type="button"
            data-testid="queue-export"
            disabled={!queue || exporting}
            onClick={async () => {
              setExporting(true);
              setError(await exportXlsx({ source: 'queue' }));
              setExporting(false);
            }}
          >
            导出 Excel
          </button>
        </span>
        {isHandler && (
          <button type="button" className="btn-primary" data-testid="queue-new-submission" onClick={() => navigate({ name: 'submit' })}>
            新建送审
          </button>
        )}
      </div>
      <ErrorBox message={error} />
      {!queue && !error && <Loading />}
      {queue && queue.items.length === 0 && (
        <div className="empty" data-testid="queue-empty">
          暂无待办事项。
        </div>
      )}
      {queue && queue.items.length > 0 && <CaseTable items={queue.items} showReason testId="queue-table" />}
    </div>
  );
}
