// 待办: what waits for the signed-in user, as the core decided it (services/queue.ts): the
// administrator's first-run checklist, the meetings waiting for the chair or the secretary, the cases
// waiting for this user, and the handler's own open cases with their clocks (我送审的在办案件).
// The shell keeps the queue fresh (navigation, pushed events); this screen only shows it.
import type { OwnCaseItem, QueueMeetingItem, SessionView, SetupStepView } from '../../../main/core/domain/views';
import { CaseTable } from '../components/CaseTable';
import { useState } from 'react';
import { ClockChip } from '../components/Clock';
import { CaseLink, ErrorBox, Loading, StateBadge } from '../components/common';
import { fmtDateTime } from '../format';
import { navigate, type Route } from '../router';
import { useQueue } from '../queueStore';
import { exportXlsx, openPrintView } from './PrintViews';

export function Queue({ session }: { session: SessionView }) {
  const userId = session.user.id;
  // Read by the shell on every navigation (this screen's arrival included) and pushed event.
  const { queue, error: queueError } = useQueue(userId);
  const [exporting, setExporting] = useState(false);
  const [exportError, setExportError] = useState<string | null>(null);
  const error = queueError ?? exportError;

  const isHandler = session.user.roles.includes('handler');
  const setupOpen = queue?.setup?.some((s) => !s.done) ?? false;
  const nothing = queue && queue.items.length === 0 && queue.meetings.length === 0 && !setupOpen;
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
              setExportError(await exportXlsx({ source: 'queue' }));
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
      {queue?.setup && setupOpen && <SetupChecklist steps={queue.setup} />}
      {queue && queue.meetings.length > 0 && <MeetingList meetings={queue.meetings} />}
      {nothing && (
        <div className="empty queue-empty-line" data-testid="queue-empty">
          {queue.mine && queue.mine.length > 0 ? '暂无需要您处理的事项；您送审的案件进展见下方。' : '暂无待办事项。'}
        </div>
      )}
      {queue && queue.items.length > 0 && (
        <section className="queue-section" data-testid="queue-cases" aria-labelledby="queue-cases-title">
          <h2 className="card-title" id="queue-cases-title">
            待处理的案件
            <span className="muted small">{queue.items.filter((i) => !i.watch).length} 件</span>
          </h2>
          <CaseTable items={queue.items} showReason testId="queue-table" />
        </section>
      )}
      {queue?.mine && <OwnCases items={queue.mine} />}
    </div>
  );
}

/** The first-run steps as a checklist; each links to the screen where it is done (when this user can). */
function SetupChecklist({ steps }: { steps: SetupStepView[] }) {
  const left = steps.filter((s) => !s.done).length;
  return (
    <section className="card setup-checklist" data-testid="setup-checklist" aria-labelledby="setup-title">
      <h2 className="card-title" id="setup-title">
        初始设置
        <span className="muted small" data-testid="setup-left">
          尚有{left}项未完成
        </span>
      </h2>
      <ol className="checklist">
        {steps.map((s) => (
          <li key={s.key} className={s.done ? 'check-done' : 'check-open'} data-testid="setup-step" data-key={s.key} data-done={s.done ? 'true' : 'false'}>
            <span className="check-mark" aria-label={s.done ? '已完成' : '未完成'}>
              {s.done ? '✓' : ''}
            </span>
            <div className="check-body">
              <div className="check-label">
                {s.label}
                {!s.done && s.route && (
                  <a
                    href={`#/${s.route}`}
                    className="check-go"
                    data-testid={`setup-go-${s.key}`}
                    onClick={(e) => {
                      e.preventDefault();
                      navigate({ name: s.route } as Route);
                    }}
                  >
                    {s.route === 'users' ? '前往用户管理' : '前往系统设置'}
                  </a>
                )}
              </div>
              <div className="muted small">{s.detail}</div>
            </div>
          </li>
        ))}
      </ol>
    </section>
  );
}

function MeetingList({ meetings }: { meetings: QueueMeetingItem[] }) {
  return (
    <section className="card" data-testid="queue-meetings" aria-labelledby="queue-meetings-title">
      <h2 className="card-title" id="queue-meetings-title">
        负责人会议
      </h2>
      <table className="table compact queue-meetings-table">
        <thead>
          <tr>
            <th scope="col">会议</th>
            <th scope="col">时间</th>
            <th scope="col">主持人</th>
            <th scope="col">议题</th>
            <th scope="col">待办事项</th>
          </tr>
        </thead>
        <tbody>
          {meetings.map((m) => (
            <tr key={m.meetingId} data-testid="queue-meeting-row" data-meeting-id={m.meetingId} data-watch={m.watch ? 'true' : 'false'} className={m.watch ? 'row-watch' : undefined}>
              <td>
                <a
                  href={`#/meeting/${m.meetingId}`}
                  data-testid="queue-meeting-link"
                  onClick={(e) => {
                    e.preventDefault();
                    navigate({ name: 'meeting', meetingId: m.meetingId });
                  }}
                >
                  {m.title}
                </a>
              </td>
              <td className="nowrap">{fmtDateTime(m.scheduledAt)}</td>
              <td>{m.chair}</td>
              <td className="nowrap">
                {m.items}项{m.items > 0 && m.undecided < m.items ? `（已决定${m.items - m.undecided}项）` : ''}
              </td>
              <td className="reason" data-testid="queue-meeting-reason">
                {m.reason}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/** 我送审的在办案件: every case of this handler not yet closed, where it stands, and its clock. */
function OwnCases({ items }: { items: OwnCaseItem[] }) {
  return (
    <section className="card" data-testid="own-cases" aria-labelledby="own-cases-title">
      <h2 className="card-title" id="own-cases-title">
        我送审的在办案件
        <span className="muted small">{items.length} 件</span>
      </h2>
      {items.length === 0 ? (
        <p className="muted" data-testid="own-cases-empty">
          您目前没有在办的送审案件。
        </p>
      ) : (
        <table className="table" data-testid="own-cases-table">
          <thead>
            <tr>
              <th scope="col">案件编号</th>
              <th scope="col">案件名称</th>
              <th scope="col">状态</th>
              <th scope="col">进展</th>
              <th scope="col">期限</th>
              <th scope="col">审核人</th>
              <th scope="col">更新时间</th>
            </tr>
          </thead>
          <tbody>
            {items.map((c) => (
              <tr key={c.id} data-testid="own-case-row" data-case-no={c.caseNo} data-flag={c.flag ?? ''} className={c.flag ? 'row-flagged' : undefined}>
                <td className="nowrap">
                  <CaseLink caseId={c.id} caseNo={c.caseNo} testId="own-case-link" />
                </td>
                <td>{c.title}</td>
                <td>
                  <StateBadge state={c.state} />
                  {c.flag && (
                    <span className="badge badge-flag" data-testid="own-case-flag">
                      {c.flag === 'returned' ? '退回待补正' : '未获批准'}
                    </span>
                  )}
                </td>
                <td className="reason" data-testid="own-case-progress">
                  {c.progress}
                </td>
                <td className="clock-col">
                  {c.clock ? (
                    <span className="own-clock">
                      <span className="muted small">{c.clock.label}</span>
                      <ClockChip clock={c.clock} testId="own-case-clock" />
                    </span>
                  ) : (
                    <span className="muted">—</span>
                  )}
                </td>
                <td>{c.reviewer ?? '—'}</td>
                <td className="nowrap">{fmtDateTime(c.updatedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
