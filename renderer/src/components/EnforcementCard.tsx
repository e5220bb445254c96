// 送达与执行 (000 第二十四至三十二条): after the decision, each service of a decision document and each fact
// of execution, the fine with its surcharge (3% a day, never above the fine), the clocks, and what still
// stands before 办结. The handler records them here; the core checks every rule again
// (services/enforcement.ts) and refuses what the law does not allow yet, with the reason.
import { useState, type FormEvent } from 'react';
import type { CaseDetail, ExecutionRecordView, ServiceRecordView } from '../../../main/core/domain/views';
import { call } from '../api';
import { ClockChip } from './Clock';
import { useConfirm } from './ConfirmDialog';
import { DateInput } from './DateInput';
import { ErrorBox, Field, Notice } from './common';

const METHOD_LABELS: Record<ServiceRecordView['method'], string> = {
  direct: '直接送达', post: '邮寄送达', left: '留置送达', entrusted: '委托、转交送达', notice: '公告送达',
};
/** Each method's own particulars (the article it follows says what the record must show). */
const METHOD_FIELDS: Record<ServiceRecordView['method'], [key: string, label: string][]> = {
  direct: [['server', '送达人'], ['signer', '签收人']],
  post: [['trackingNo', '邮件号码'], ['postedOn', '交邮日期（如 2026-12-01）']],
  left: [['server', '送达人'], ['refusal', '拒收事由'], ['witness', '见证人'], ['avRecord', '音像记录（编号或存放位置）']],
  entrusted: [['reason', '委托、转交原因'], ['via', '受托或转交单位'], ['server', '送达人']],
  notice: [['otherMeansFailed', '已采用其他方式均无法送达的情况'], ['carrier', '公告方式和载体'], ['avRecord', '音像记录（编号或存放位置）']],
};
const STEP_LABELS: Record<ExecutionRecordView['step'], string> = {
  paid: '缴纳罚款（款项）', performed: '当事人履行', rectification: '改正情况核查', reminder: '催告书送达', statement: '陈述、申辩的复核',
  enforced: '强制执行', court_applied: '申请人民法院强制执行', court_result: '人民法院强制执行结果',
};
const MEASURES: [string, string][] = [
  ['surcharge', '加处罚款或滞纳金'], ['transfer', '划拨存款、汇款'], ['auction', '拍卖或依法处理查封、扣押的财物'],
  ['restore', '排除妨碍、恢复原状'], ['substitute', '代履行'], ['other', '其他强制执行方式'],
];

const todayInChina = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);

export function EnforcementCard({ detail, onDone }: { detail: CaseDetail; onDone: (d: CaseDetail) => void }) {
  const e = detail.enforcement;
  const [method, setMethod] = useState<ServiceRecordView['method']>('direct');
  const [doc, setDoc] = useState<string>('');
  const [docName, setDocName] = useState('');
  const [recipient, setRecipient] = useState(detail.partyName);
  const [servedOn, setServedOn] = useState(todayInChina());
  const [extra, setExtra] = useState<Record<string, string>>({});
  const [step, setStep] = useState<ExecutionRecordView['step'] | ''>('');
  const [onDate, setOnDate] = useState(todayInChina());
  const [amount, setAmount] = useState('');
  const [measure, setMeasure] = useState('surcharge');
  const [text, setText] = useState('');
  const [avRecord, setAvRecord] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [confirmDialog, ask] = useConfirm();
  if (!e) return null;
  const chosenStep = step || e.steps[0] || '';

  async function serve(ev: FormEvent) {
    ev.preventDefault();
    if (!(await ask({ title: '确认登记送达？', message: '记入全过程记录后不能修改或删除；如有错误，另行登记更正。', confirmLabel: '确认登记', okTestId: 'enforcement-confirm' }))) return;
    setBusy(true);
    setError(null);
    const particulars = Object.fromEntries(METHOD_FIELDS[method].map(([k]) => [k, extra[k] ?? '']));
    const res = await call('enforcement.service', {
      caseId: detail.id, method, recipient, servedOn,
      ...(doc ? { documentId: Number(doc) } : { documentName: docName }),
      ...(method === 'post' && { carrier: 'registered' }),
      ...particulars,
    } as never);
    setBusy(false);
    if (!res.ok) return setError(res.error.message);
    setExtra({});
    setNotice('已登记送达。');
    onDone(res.value);
  }

  async function execute(ev: FormEvent) {
    ev.preventDefault();
    if (!chosenStep) return;
    if (!(await ask({ title: `确认登记“${STEP_LABELS[chosenStep]}”？`, message: '记入全过程记录后不能修改或删除。', confirmLabel: '确认登记', okTestId: 'enforcement-confirm' }))) return;
    setBusy(true);
    setError(null);
    const res = await call('enforcement.execution', {
      caseId: detail.id, step: chosenStep, onDate, text,
      ...(chosenStep === 'paid' && { amount }),
      ...(chosenStep === 'enforced' && { measure, avRecord }),
    } as never);
    setBusy(false);
    if (!res.ok) return setError(res.error.message);
    setText('');
    setAmount('');
    setStep('');
    setNotice(res.value.enforcement?.conclusion ? `已登记。执行情况：${res.value.enforcement.conclusion}` : '已登记。');
    onDone(res.value);
  }

  return (
    <section className="card enforcement-card" data-testid="enforcement-card" aria-labelledby="enforcement-title">
      {confirmDialog}
      <h2 className="card-title" id="enforcement-title">
        送达与执行
        <span className="muted small" data-testid="enforcement-conclusion">{e.conclusion ?? (detail.state === 'closed' ? '' : '执行尚未终结')}</span>
      </h2>
      {e.closeBlockers.length > 0 && (
        <div className="notice-box" role="status" data-testid="enforcement-blockers">
          办结前还需：
          <ul className="plain-list">{e.closeBlockers.map((b) => <li key={b}>{b}</li>)}</ul>
        </div>
      )}
      {e.fine && (
        <p data-testid="enforcement-fine">
          罚款{e.fine.fineLabel}
          {e.fine.dueOn ? `，缴纳期限至${e.fine.dueOn}` : '（决定送达后起算15日缴纳期限）'}
          {e.fine.surchargeFen > 0 ? `；逾期${e.fine.surchargeDays}日，加处罚款${e.fine.surchargeLabel}${e.fine.capped ? '（已达罚款数额，不再增加）' : ''}` : ''}
          ；应缴{e.fine.owedLabel}，已缴{e.fine.paidLabel}。
        </p>
      )}
      {e.courtWindow && <p className="muted small" data-testid="enforcement-court-window">可于{e.courtWindow.after}之后、{e.courtWindow.until}之前申请人民法院强制执行（行政强制法第五十三、五十四条）。</p>}
      {e.clocks.length > 0 && (
        <ul className="plain-list" data-testid="enforcement-clocks">
          {e.clocks.map((k) => <li key={k.kind}>{k.label}：<ClockChip clock={k} testId={`enforcement-clock-${k.kind}`} showDue /></li>)}
        </ul>
      )}
      <h3>送达记录</h3>
      {e.services.length === 0 ? <p className="muted">尚无送达记录。</p> : (
        <ul className="plain-list" data-testid="enforcement-services">
          {e.services.map((s) => (
            <li key={s.id}>{s.servedOn} {s.documentName}，{s.methodLabel}，受送达人{s.recipient}；{s.details.map((d) => `${d.label}：${d.value}`).join('；')}（{s.by}登记）</li>
          ))}
        </ul>
      )}
      <h3>履行与执行</h3>
      {e.executions.length === 0 ? <p className="muted">尚无履行或执行记录。</p> : (
        <ul className="plain-list" data-testid="enforcement-executions">
          {e.executions.map((x) => (
            <li key={x.id}>{x.onDate} {x.stepLabel}{x.measureLabel ? `（${x.measureLabel}）` : ''}{x.amountLabel ? ` ${x.amountLabel}` : ''}：{x.text}（{x.by}登记）</li>
          ))}
        </ul>
      )}
      <Notice message={notice} testId="enforcement-notice" />
      <ErrorBox message={error} testId="enforcement-error" />
      {e.canServe && (
        <form onSubmit={serve} data-testid="service-form">
          <h3>登记送达</h3>
          <Field label="送达的文书" required>
            {(id) => (
              <select id={id} value={doc} onChange={(x) => setDoc(x.target.value)} data-testid="service-document">
                {e.documents.map((d) => <option key={d.documentId} value={String(d.documentId)}>{d.name}</option>)}
                <option value="">未在本系统签发的文书（填写名称及文号）</option>
              </select>
            )}
          </Field>
          {doc === '' && (
            <Field label="文书名称及文号" required>
              {(id) => <input id={id} value={docName} onChange={(x) => setDocName(x.target.value)} data-testid="service-document-name" />}
            </Field>
          )}
          <Field label="送达方式" required>
            {(id) => (
              <select id={id} value={method} onChange={(x) => setMethod(x.target.value as ServiceRecordView['method'])} data-testid="service-method">
                {Object.entries(METHOD_LABELS).map(([k, v]) => <option key={k} value={k}>{v}</option>)}
              </select>
            )}
          </Field>
          <Field label="受送达人" required>
            {(id) => <input id={id} value={recipient} onChange={(x) => setRecipient(x.target.value)} data-testid="service-recipient" />}
          </Field>
          <Field label="送达日期（签收日期）" required>
            {(id) => <DateInput id={id} value={servedOn} onChange={setServedOn} testId="service-date" />}
          </Field>
          {METHOD_FIELDS[method].map(([k, label]) => (
            <Field key={`${method}-${k}`} label={label} required>
              {(id) => <input id={id} value={extra[k] ?? ''} onChange={(x) => setExtra({ ...extra, [k]: x.target.value })} data-testid={`service-${k}`} />}
            </Field>
          ))}
          <button type="submit" className="primary" disabled={busy} data-testid="service-submit">登记送达</button>
        </form>
      )}
      {e.steps.length > 0 && (
        <form onSubmit={execute} data-testid="execution-form">
          <h3>登记履行与执行情况</h3>
          <Field label="事项" required>
            {(id) => (
              <select id={id} value={chosenStep} onChange={(x) => setStep(x.target.value as ExecutionRecordView['step'])} data-testid="execution-step">
                {e.steps.map((s) => <option key={s} value={s}>{STEP_LABELS[s]}</option>)}
              </select>
            )}
          </Field>
          <Field label="日期" required>
            {(id) => <DateInput id={id} value={onDate} onChange={setOnDate} testId="execution-date" />}
          </Field>
          {chosenStep === 'paid' && (
            <Field label="缴纳金额（元）" required>
              {(id) => <input id={id} value={amount} inputMode="decimal" onChange={(x) => setAmount(x.target.value)} data-testid="execution-amount" />}
            </Field>
          )}
          {chosenStep === 'enforced' && (
            <>
              <Field label="强制执行方式" required>
                {(id) => (
                  <select id={id} value={measure} onChange={(x) => setMeasure(x.target.value)} data-testid="execution-measure">
                    {MEASURES.map(([k, v]) => <option key={k} value={k}>{v}</option>)}
                  </select>
                )}
              </Field>
              <Field label="音像记录（编号或存放位置；排除妨碍、恢复原状的必填）">
                {(id) => <input id={id} value={avRecord} onChange={(x) => setAvRecord(x.target.value)} data-testid="execution-av" />}
              </Field>
            </>
          )}
          <Field label={chosenStep === 'paid' ? '缴款凭证等说明' : '情况说明'} required={chosenStep !== 'paid'}>
            {(id) => <textarea id={id} rows={3} value={text} onChange={(x) => setText(x.target.value)} data-testid="execution-text" />}
          </Field>
          <button type="submit" className="primary" disabled={busy} data-testid="execution-submit">登记</button>
        </form>
      )}
    </section>
  );
}
