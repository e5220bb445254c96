// 记录校验: verifies the full-process record in the background (services/verifyJobs.ts) — the chain, every
// record row, the stored files (unless quick), the signed checkpoints — with a progress bar, and shows
// the same result as `lrw audit verify`; a failed verification raises the alarm banner (AlarmBanner).
// The 审计管理员 also reads the record itself (newest first, by action).
import { useCallback, useEffect, useRef, useState, type Ref } from 'react';
import type { AuditEventView, AuditVerifyView, RecordMismatch, VerifyJobView, VerifyProgress } from '../../../main/core/domain/views';
import { call } from '../api';
import { ErrorBox } from '../components/common';
import { ALARMS_CHANGED_EVENT } from '../components/AlarmBanner';
import { fmtDateTime } from '../format';

export const VERIFY_POLL_MS = 300;
/** The job being watched, so leaving the page and coming back resumes it (jobs live as long as the app). */
const JOB_KEY = 'lrw:verify-job';

const PHASE_LABELS: Record<VerifyProgress['phase'], string> = {
  events: '逐条核对事件哈希链',
  rows: '核对每条记录与其事件',
  files: '重新计算存储文件的校验值',
  checkpoints: '核对签名检查点',
  witnesses: '核对外部见证',
};
const PHASE_UNITS: Record<VerifyProgress['phase'], string> = { events: '条', rows: '行', files: '个', checkpoints: '个', witnesses: '份' };

export const MISMATCH_KIND_LABELS: Record<RecordMismatch['kind'], string> = {
  chain: '事件哈希链',
  row: '记录行',
  state: '当前状态',
  file: '存储的文件',
  checkpoint: '签名检查点',
  witness: '外部见证',
  key: '记录签名密钥',
};

const n = (x: number) => x.toLocaleString('zh-CN');

export function AuditVerify({ readsLog = false }: { readsLog?: boolean }) {
  const [job, setJob] = useState<VerifyJobView | null>(null);
  const [quick, setQuick] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [starting, setStarting] = useState(false);
  const resultRef = useRef<HTMLDivElement>(null);
  const running = starting || (job !== null && !job.done);

  const poll = useCallback(async (jobId: string) => {
    const res = await call('audit.verifyStatus', { jobId });
    if (!res.ok) {
      sessionStorage.removeItem(JOB_KEY);
      setJob(null);
      setError(res.error.message);
      return;
    }
    setJob(res.value);
    if (res.value.done) {
      sessionStorage.removeItem(JOB_KEY);
      if (res.value.alarmId) window.dispatchEvent(new CustomEvent(ALARMS_CHANGED_EVENT));
    }
  }, []);

  // Resume a job started before leaving the page.
  useEffect(() => {
    const saved = sessionStorage.getItem(JOB_KEY);
    if (saved) void poll(saved);
  }, [poll]);

  useEffect(() => {
    if (!job || job.done) return;
    const t = setTimeout(() => void poll(job.jobId), VERIFY_POLL_MS);
    return () => clearTimeout(t);
  }, [job, poll]);

  // The result takes the focus, so a keyboard or screen-reader user lands on it.
  useEffect(() => {
    if (job?.done) resultRef.current?.focus();
  }, [job?.done]);

  async function start() {
    setStarting(true);
    setError(null);
    const res = await call('audit.verifyStart', { quick });
    setStarting(false);
    if (!res.ok) return setError(res.error.message);
    sessionStorage.setItem(JOB_KEY, res.value.jobId);
    setJob(res.value);
  }

  return (
    <div className="page" data-testid="audit-page">
      <div className="page-head">
        <h1>记录校验</h1>
      </div>
      <section className="card">
        <p>
          全过程记录逐条以哈希链相连，每一条记录（送审材料、审核意见、审批、会议、文书等）都由写入它的事件作证，附件和签发的文件按其校验值保存（依据：全过程记录“不得随意删除、篡改”）。
          校验将重新计算全部事件和记录，并逐个重新读取存储的文件，文件较多时需要较长时间。
        </p>
        <div className="actions">
          <label className="checkbox-label">
            <input type="checkbox" data-testid="audit-quick" checked={quick} disabled={running} onChange={(e) => setQuick(e.target.checked)} />
            快速校验（不重新读取附件和签发文件，结果注明“未校验文件”）
          </label>
        </div>
        <div className="actions">
          <button type="button" className="btn-primary" data-testid="audit-verify" disabled={running} onClick={() => void start()}>
            {running ? '正在校验……' : '开始校验'}
          </button>
        </div>
        {job && !job.done && <VerifyProgressBar progress={job.progress} startedAt={job.startedAt} />}
      </section>
      <ErrorBox message={error} />
      {job?.done && job.error && <ErrorBox message={job.error.message} testId="audit-job-error" />}
      {job?.done && job.result && <VerifyResult job={job} result={job.result} ref={resultRef} />}
      {readsLog && <EventLog />}
    </div>
  );
}

function VerifyProgressBar({ progress, startedAt }: { progress: VerifyProgress | null; startedAt: string }) {
  const pct = progress && progress.total > 0 ? Math.min(100, Math.floor((progress.done / progress.total) * 100)) : null;
  const text = progress
    ? `${PHASE_LABELS[progress.phase] ?? progress.phase}：${n(progress.done)} / ${n(progress.total)} ${PHASE_UNITS[progress.phase] ?? ''}${pct !== null ? `（${pct}%）` : ''}`
    : '正在校验（校验程序尚未报告进度）';
  return (
    <div className="verify-progress" data-testid="audit-progress" data-phase={progress?.phase ?? ''}>
      {/* Without a value the bar is indeterminate: nothing is shown that the verifier did not report. */}
      {pct !== null ? <progress max={100} value={pct} aria-label="校验进度" /> : <progress aria-label="校验进度" />}
      <span role="status" aria-live="polite">
        {text}
      </span>
      <span className="muted small">开始于 {fmtDateTime(startedAt)}</span>
    </div>
  );
}

function VerifyResult({ job, result: v, ref }: { job: VerifyJobView; result: AuditVerifyView; ref: Ref<HTMLDivElement> }) {
  const m = v.mismatch;
  // A failed verification stops at the first mismatch: what it did not reach is said to be unchecked.
  const stopped = '未核对（校验在第一处不符处停止）';
  const filesText =
    job.quick || v.filesSkipped
      ? '未校验文件（快速校验）'
      : v.files === undefined
        ? v.ok
          ? '未校验文件'
          : stopped
        : v.ok
          ? `${n(v.files)} 个，均与保存时的校验值一致`
          : `已核对 ${n(v.files)} 个`;
  const rowsText = v.rows !== undefined ? (v.ok ? `${n(v.rows)} 行，均与为其作证的事件相符` : `已核对 ${n(v.rows)} 行`) : v.ok ? '本次校验未逐行核对' : stopped;
  // The chain itself is at fault only for a chain mismatch (or the old firstBad without one).
  const chainBroken = !v.ok && (m ? m.kind === 'chain' : true);
  const eventsText = chainBroken
    ? `已核对 ${n(v.count)} 条${v.head ? `，最后一个完好的事件为第 ${v.head.seq} 号` : ''}`
    : `${n(v.count)} 条，哈希链完整${v.head ? `，链头第 ${v.head.seq} 号（${v.head.hash.slice(0, 16)}…）` : ''}`;
  const seconds = job.finishedAt ? Math.max(0, (Date.parse(job.finishedAt) - Date.parse(job.startedAt)) / 1000) : null;
  return (
    <section className={`card ${v.ok ? '' : 'card-danger'}`} data-testid="audit-result-card">
      <div
        ref={ref}
        tabIndex={-1}
        className={v.ok ? 'result-ok' : 'result-bad'}
        role={v.ok ? 'status' : 'alert'}
        data-testid="audit-result"
        data-ok={v.ok ? 'true' : 'false'}
      >
        {v.ok ? (
          <strong>校验通过：全过程记录完整，未发现删除或改动。</strong>
        ) : (
          <>
            <strong>校验不通过！</strong> {m?.message ?? (v.firstBad ? `第 ${v.firstBad.seq} 号事件不符——${v.firstBad.reason}` : v.message)}
          </>
        )}
      </div>
      {!v.ok && m && (
        <table className="table verify-mismatch" data-testid="audit-mismatch">
          <caption>第一处不符</caption>
          <tbody>
            <tr><th scope="row">类别</th><td>{MISMATCH_KIND_LABELS[m.kind] ?? m.kind}</td></tr>
            {m.tableLabel && <tr><th scope="row">表</th><td>{m.tableLabel}{m.table ? <span className="mono small">（{m.table}）</span> : null}</td></tr>}
            {m.row && <tr><th scope="row">行</th><td className="mono">{m.row}</td></tr>}
            {m.field && <tr><th scope="row">字段</th><td className="mono">{m.field}</td></tr>}
            {m.seq != null && <tr><th scope="row">应作证的事件</th><td>第 {m.seq} 号</td></tr>}
          </tbody>
        </table>
      )}
      <dl className="verify-facts" data-testid="audit-facts">
        <dt>事件</dt>
        <dd data-testid="audit-count">{eventsText}</dd>
        <dt>记录行</dt>
        <dd data-testid="audit-rows">{rowsText}</dd>
        <dt>文件</dt>
        <dd data-testid="audit-files">{filesText}</dd>
        <dt>签名检查点</dt>
        <dd data-testid="audit-checkpoints">
          {v.checkpoints !== undefined ? `${n(v.checkpoints)} 个${v.latestCheckpointSeq ? `，最新的签于第 ${v.latestCheckpointSeq} 号事件` : ''}` : v.ok ? '未核对' : stopped}
        </dd>
        {v.witnesses && v.witnesses.length > 0 && (
          <>
            <dt>外部见证</dt>
            <dd>
              <ul className="plain-list">
                {v.witnesses.map((w, i) => (
                  <li key={i} className={w.ok ? 'ok-text' : 'error-text'}>
                    {w.source}：{w.message}
                  </li>
                ))}
              </ul>
            </dd>
          </>
        )}
        {v.warnings && v.warnings.length > 0 && (
          <>
            <dt>提示</dt>
            <dd>
              <ul className="plain-list" data-testid="audit-warnings">
                {v.warnings.map((w, i) => (
                  <li key={i}>{w}</li>
                ))}
              </ul>
            </dd>
          </>
        )}
        <dt>校验时间</dt>
        <dd>
          {fmtDateTime(job.startedAt)}{seconds !== null ? `，用时${seconds < 0.1 ? '不到 0.1 秒' : ` ${seconds < 10 ? seconds.toFixed(1) : Math.round(seconds)} 秒`}` : ''}
        </dd>
      </dl>
      {!v.ok && (
        <p data-testid="audit-alarm-note">
          {job.alarmId ? `已发出第 ${job.alarmId} 号记录校验警报：系统管理员和法制机构负责人在确认前，每个页面顶部都会显示此警报。` : ''}
          请立即报告法制机构负责人，并保留本机数据文件，不要自行修复。
        </p>
      )}
    </section>
  );
}

function EventLog() {
  const [items, setItems] = useState<AuditEventView[] | null>(null);
  const [action, setAction] = useState('');
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(async (beforeSeq?: number) => {
    const res = await call('audit.events', { limit: 50, ...(action.trim() && { action: action.trim() }), ...(beforeSeq && { beforeSeq }) });
    if (!res.ok) return setError(res.error.message);
    setError(null);
    setItems((prev) => (beforeSeq && prev ? [...prev, ...res.value] : res.value));
  }, [action]);
  useEffect(() => {
    void load();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  return (
    <section className="card" data-testid="audit-log">
      <h2 className="card-title">全过程记录（最新在前）</h2>
      <form
        className="actions"
        onSubmit={(e) => {
          e.preventDefault();
          void load();
        }}
      >
        <input aria-label="操作类型前缀" placeholder="操作类型前缀，例如 user." data-testid="audit-log-action" value={action} onChange={(e) => setAction(e.target.value)} />
        <button type="submit">筛选</button>
      </form>
      <ErrorBox message={error} />
      {items && (
        <table className="table" data-testid="audit-log-table">
          <thead>
            <tr>
              <th scope="col">序号</th>
              <th scope="col">时间</th>
              <th scope="col">操作人</th>
              <th scope="col">操作</th>
              <th scope="col">案件</th>
              <th scope="col">内容</th>
            </tr>
          </thead>
          <tbody>
            {items.map((e) => (
              <tr key={e.seq}>
                <td className="mono">{e.seq}</td>
                <td>{fmtDateTime(e.at)}</td>
                <td>{e.actor}</td>
                <td title={e.action}>{e.label}</td>
                <td>{e.caseId ?? '—'}</td>
                <td className="mono small">{JSON.stringify(e.payload)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {items && items.length > 0 && items.length % 50 === 0 && (
        <div className="actions">
          <button type="button" onClick={() => void load(items[items.length - 1].seq)}>
            更早的记录
          </button>
        </div>
      )}
    </section>
  );
}
