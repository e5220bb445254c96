// A list of cases (queue, search results). Each row opens the case page.
import type { CaseSummary, QueueItem } from '../../../main/core/domain/views';
import { DECISION_KIND_LABELS } from '../labels';
import { fmtDateTime } from '../format';
import { ClockChip } from './Clock';
import { CaseLink, StateBadge } from './common';

export function CaseTable({ items, showReason, testId }: { items: (CaseSummary | QueueItem)[]; showReason?: boolean; testId: string }) {
  return (
    <table className="table" data-testid={testId}>
      <thead>
        <tr>
          <th scope="col">案件编号</th>
          <th scope="col">案件名称</th>
          <th scope="col">类型</th>
          <th scope="col">当事人</th>
          <th scope="col">状态</th>
          {showReason && <th scope="col">待办事项</th>}
          <th scope="col">审核期限</th>
          <th scope="col">承办人</th>
          <th scope="col">审核人</th>
          <th scope="col">更新时间</th>
        </tr>
      </thead>
      <tbody>
        {items.map((c) => (
          <tr
            key={c.id}
            data-testid="case-row"
            data-case-no={c.caseNo}
            data-watch={'watch' in c && c.watch ? 'true' : undefined}
            className={[c.headOverride && 'row-override', 'watch' in c && c.watch && 'row-watch'].filter(Boolean).join(' ') || undefined}
          >
            <td className="nowrap">
              <CaseLink caseId={c.id} caseNo={c.caseNo} testId="case-link" />
            </td>
            <td>{c.title}</td>
            <td>{DECISION_KIND_LABELS[c.kind]}</td>
            <td>{c.partyName}</td>
            <td>
              <StateBadge state={c.state} outcome={c.lastOutcome} />
              {c.headOverride && <span className="badge badge-override">不采纳审核意见</span>}
            </td>
            {showReason && <td className="reason">{'reason' in c ? c.reason : ''}</td>}
            <td className="clock-col">{c.reviewClock ? <ClockChip clock={c.reviewClock} /> : <span className="muted">—</span>}</td>
            <td>{c.handler}</td>
            <td>{c.reviewer ?? '—'}</td>
            <td className="nowrap">{fmtDateTime(c.updatedAt)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
