// 行政处罚法 第五十八条 in the user list: a reviewer's qualification number, or the security
// administrator's recorded exemption (reviewed penalty decisions before 15 July 2021), and for the
// security administrator the action that records one. The core checks it all again.
import { useState } from 'react';
import type { UserView } from '../../../main/core/domain/views';
import { call } from '../api';
import { fmtTime } from '../format';

export function QualificationCell({ u }: { u: UserView }) {
  if (u.qualificationNo) return <>{u.qualificationNo}</>;
  if (u.reviewerExemption) {
    return (
      <span data-testid={`user-exemption-${u.username}`} title={u.reviewerExemption.note}>
        未登记（资格豁免）
        <div className="muted small">
          {u.reviewerExemption.by}于{fmtTime(u.reviewerExemption.at)}登记：{u.reviewerExemption.note}
        </div>
      </span>
    );
  }
  if (u.roles.includes('reviewer')) return <span className="warn-text small">未登记：不能审核行政处罚案件</span>;
  return <>—</>;
}

/** The security administrator records that a reviewer without the qualification reviewed penalty decisions before 2021-07-15. */
export function ExemptButton({ u, me, onDone, onError }: { u: UserView; me: UserView; onDone: (u: UserView) => void; onError: (m: string) => void }) {
  const [busy, setBusy] = useState(false);
  if (!me.roles.includes('sec_admin') || u.id === me.id || u.qualificationNo || u.reviewerExemption || !u.roles.includes('reviewer')) return null;
  async function exempt() {
    const note = window.prompt(
      `登记“${u.displayName}”在2021年7月15日（行政处罚法施行）前已从事行政处罚决定法制审核（行政处罚法第五十八条）。\n请写明依据（起止时间、岗位、台账或文件）。登记后不能撤回：`,
    );
    if (note === null) return;
    if (!note.trim()) return onError('请写明该审核人员在2021年7月15日前从事行政处罚决定法制审核的情况。');
    setBusy(true);
    const res = await call('users.exemptReviewer', { userId: u.id, note });
    setBusy(false);
    if (!res.ok) return onError(res.error.message);
    onDone(res.value);
  }
  return (
    <button type="button" className="btn-small" data-testid={`user-exempt-${u.username}`} onClick={() => void exempt()} disabled={busy}>
      登记资格豁免
    </button>
  );
}
