// 系统设置 (administrator): deadline settings, workflow settings, and entering a year's official holiday
// schedule (国务院办公厅通知). The core validates everything; its messages are shown as they are.
import { useEffect, useState, type FormEvent } from 'react';
import type { Outputs } from '../../../preload/contract';
import type { DeadlineSettings, Versioned, WorkflowSettingsView } from '../../../main/core/domain/views';
import { call } from '../api';
import { ErrorBox, Field, Loading, Notice, StaleBox, onCtrlEnterSubmit } from '../components/common';
import { FieldAnchor, FormErrorSummary, FormErrorsProvider, useFormErrors } from '../formErrors';
import { fmtDateWeekday } from '../format';
import { SealUploader } from '../components/SealUploader';
import { ReviewSettingsCard } from '../components/ReviewSettingsCard';
import { SecuritySettingsCard } from '../components/SecuritySettingsCard';
import { UploadSettingsCard } from '../components/UploadSettingsCard';
import type { Role } from '../../../main/core/domain/types';
import { COUNT_MODE_LABELS, PROVISIONAL_LABEL, QUORUM_LABELS, type CountMode, type QuorumRule } from '../labels';
import { DateInput } from '../components/DateInput';

type YearInfo = Outputs['calendar.show'];

export function Settings({ roles = [] }: { roles?: Role[] }) {
  // 三员分立: the 系统管理员 keeps the agency settings, calendar and seal; the 安全管理员 the sign-in security.
  const sys = roles.includes('sys_admin');
  const sec = roles.includes('sec_admin');
  return (
    <div className="page" data-testid="settings-page">
      <div className="page-head">
        <h1>系统设置</h1>
      </div>
      <div className="grid-2 settings-grid">
        {sys && <DeadlineSettingsCard />}
        {sys && <WorkflowSettingsCard />}
        {sys && <ReviewSettingsCard />}
        {sys && <UploadSettingsCard />}
        <SecuritySettingsCard canEdit={sec} />
      </div>
      {sys && <HolidayImport />}
      {sys && <SealUploader />}
    </div>
  );
}

function DeadlineSettingsCard() {
  const [s, setS] = useState<{ mode: CountMode; reviewDays: string; extensionDays: string; rereviewDays: string; version: number } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const errors = useFormErrors();
  const [stale, setStale] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const fromView = (v: DeadlineSettings & Versioned) => ({
    mode: v.mode,
    reviewDays: String(v.reviewDays),
    extensionDays: String(v.extensionDays),
    rereviewDays: String(v.rereviewDays),
    version: v.version,
  });

  const load = async () => {
    const res = await call('deadlines.settings', {});
    if (!res.ok) return setError(res.error.message);
    setS(fromView(res.value));
    setStale(null);
  };
  useEffect(() => {
    void load();
  }, []);

  async function save(e: FormEvent) {
    e.preventDefault();
    if (!s) return;
    setBusy(true);
    errors.clear();
    setNotice(null);
    const res = await call('deadlines.updateSettings', {
      mode: s.mode,
      reviewDays: Number(s.reviewDays),
      extensionDays: Number(s.extensionDays),
      rereviewDays: Number(s.rereviewDays),
      expectedVersion: s.version,
    });
    setBusy(false);
    if (!res.ok) return res.error.code === 'STALE' ? setStale(res.error.message) : errors.show(res.error);
    setStale(null);
    setS(fromView(res.value));
    setNotice('期限设置已保存，此后开始计算的期限按新设置执行。');
  }

  return (
    <section className="card" data-testid="deadline-settings">
      <h2 className="card-title">审核期限</h2>
      {!s && !error && <Loading />}
      {s && (
        <FormErrorsProvider form={errors}>
        <form noValidate onSubmit={save} onKeyDown={onCtrlEnterSubmit} ref={(el) => void (errors.root.current = el)}>
          <fieldset className="inline-radios">
            <legend>计算方式</legend>
            {(['working', 'natural'] as CountMode[]).map((m) => (
              <label key={m}>
                <input type="radio" name="deadline-mode" value={m} data-testid={`settings-mode-${m}`} checked={s.mode === m} onChange={() => setS({ ...s, mode: m })} />
                {COUNT_MODE_LABELS[m]}
              </label>
            ))}
          </fieldset>
          <div className="grid-3">
            <Field label="审核期限（日）" path="reviewDays">
              {(id) => <input id={id} type="number" min={1} max={60} data-testid="settings-reviewDays" value={s.reviewDays} onChange={(e) => setS({ ...s, reviewDays: e.target.value })} />}
            </Field>
            <Field label="可延长（日）" path="extensionDays">
              {(id) => (
                <input id={id} type="number" min={0} max={30} data-testid="settings-extensionDays" value={s.extensionDays} onChange={(e) => setS({ ...s, extensionDays: e.target.value })} />
              )}
            </Field>
            <Field label="复审期限（日）" path="rereviewDays">
              {(id) => (
                <input id={id} type="number" min={1} max={60} data-testid="settings-rereviewDays" value={s.rereviewDays} onChange={(e) => setS({ ...s, rereviewDays: e.target.value })} />
              )}
            </Field>
          </div>
          <p className="hint">审核期限自收到送审材料之日起计算，当日不计入；延长须经法制机构负责人批准，以一次为限。</p>
          <div className="actions">
            <button type="submit" className="btn-primary" data-testid="settings-deadlines-save" disabled={busy}>
              保存期限设置
            </button>
          </div>
          <FormErrorSummary form={errors} testId="settings-deadlines-save-error" />
        </form>
        </FormErrorsProvider>
      )}
      <StaleBox message={stale} onReload={load} keepsEdits={false} testId="settings-deadlines-stale" />
      <ErrorBox message={error} testId="settings-deadlines-error" />
      <Notice message={notice} testId="settings-deadlines-notice" />
    </section>
  );
}

function WorkflowSettingsCard() {
  const [s, setS] = useState<(WorkflowSettingsView & Versioned) | null>(null);
  const [items, setItems] = useState<{ code: string; label: string }[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [stale, setStale] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const load = async () => {
    const res = await call('settings.workflow', {});
    if (!res.ok) return setError(res.error.message);
    setS(res.value);
    setStale(null);
  };
  useEffect(() => {
    void load();
    void call('catalog.current', {}).then((res) => res.ok && setItems(res.value.items.map((i) => ({ code: i.code, label: i.label }))));
  }, []);

  async function save(e: FormEvent) {
    e.preventDefault();
    if (!s) return;
    setBusy(true);
    setError(null);
    setNotice(null);
    const { version, ...settings } = s;
    const res = await call('settings.updateWorkflow', { ...settings, expectedVersion: version });
    setBusy(false);
    if (!res.ok) return res.error.code === 'STALE' ? setStale(res.error.message) : setError(res.error.message);
    setStale(null);
    setS(res.value);
    setNotice('流程设置已保存。法定人数规则适用于此后新建的会议。');
  }

  return (
    <section className="card" data-testid="workflow-settings">
      <h2 className="card-title">复审与集体讨论</h2>
      {!s && !error && <Loading />}
      {s && (
        <form noValidate onSubmit={save} onKeyDown={onCtrlEnterSubmit}>
          <label className="check-line">
            <input
              type="checkbox"
              data-testid="settings-rereview-different"
              checked={s.rereviewDifferentReviewer}
              onChange={(e) => setS({ ...s, rereviewDifferentReviewer: e.target.checked })}
            />
            复审须由其他审核人员进行（原审核人员不得领取复审）
          </label>
          <fieldset className="inline-radios">
            <legend>负责人会议法定人数</legend>
            {(['half', 'two_thirds'] as QuorumRule[]).map((q) => (
              <label key={q}>
                <input type="radio" name="quorum" value={q} data-testid={`settings-quorum-${q}`} checked={s.quorum === q} onChange={() => setS({ ...s, quorum: q })} />
                应到人数{QUORUM_LABELS[q]}
              </label>
            ))}
          </fieldset>
          <label className="check-line">
            <input
              type="checkbox"
              data-testid="settings-depart-only-by-meeting"
              checked={s.departOnlyByMeeting}
              onChange={(e) => setS({ ...s, departOnlyByMeeting: e.target.checked })}
            />
            不采纳法制审核“不同意”意见只能经负责人集体讨论决定（建议保持勾选；取消后负责人可声明不采纳并写明理由后单独批准）
          </label>
          <fieldset className="inline-radios">
            <legend>须经负责人集体讨论决定的案件（行政处罚法第五十七条）</legend>
            {(
              [
                ['none', '不作统一要求（可由法制机构或承办单位提请）'],
                ['all', '全部重大执法决定'],
                ['items', '所选目录事项'],
              ] as const
            ).map(([v, label]) => (
              <label key={v}>
                <input type="radio" name="discussion-required" value={v} data-testid={`settings-discussion-${v}`} checked={s.discussionRequired === v} onChange={() => setS({ ...s, discussionRequired: v })} />
                {label}
              </label>
            ))}
          </fieldset>
          {s.discussionRequired === 'items' && (
            <fieldset className="check-list" data-testid="settings-discussion-items">
              <legend>须集体讨论的目录事项</legend>
              {items.map((i) => (
                <label key={i.code} className="check-line">
                  <input
                    type="checkbox"
                    checked={s.discussionItems.includes(i.code)}
                    onChange={(e) => setS({ ...s, discussionItems: e.target.checked ? [...s.discussionItems, i.code] : s.discussionItems.filter((c) => c !== i.code) })}
                  />
                  {i.label}
                </label>
              ))}
            </fieldset>
          )}
          <div className="actions">
            <button type="submit" className="btn-primary" data-testid="settings-workflow-save" disabled={busy}>
              保存流程设置
            </button>
          </div>
        </form>
      )}
      <StaleBox message={stale} onReload={load} keepsEdits={false} testId="settings-workflow-stale" />
      <ErrorBox message={error} testId="settings-workflow-error" />
      <Notice message={notice} testId="settings-workflow-notice" />
    </section>
  );
}

interface Row {
  date: string;
  name: string;
}

function RowsEditor({ label, rows, setRows, testId, unit }: { label: string; rows: Row[]; setRows: (r: Row[]) => void; testId: string; unit: string }) {
  return (
    <fieldset className="rows" data-testid={testId}>
      <legend>{label}</legend>
      {rows.length === 0 && <p className="muted small">（无）</p>}
      {rows.map((r, i) => (
        <div className="row" key={i}>
          <span className="row-no">{i + 1}.</span>
          <DateInput
            ariaLabel={`${unit}第${i + 1}行的日期`}
            testId={`${testId}-date-${i}`}
            value={r.date}
            onChange={(d) => setRows(rows.map((x, j) => (j === i ? { ...x, date: d } : x)))}
          />
          <input
            aria-label={`${unit}第${i + 1}行的节日名称`}
            placeholder="节日名称，如 国庆节"
            data-testid={`${testId}-name-${i}`}
            value={r.name}
            onChange={(e) => setRows(rows.map((x, j) => (j === i ? { ...x, name: e.target.value } : x)))}
          />
          <button type="button" className="btn-small" aria-label={`删除${unit}第${i + 1}行`} onClick={() => setRows(rows.filter((_x, j) => j !== i))}>
            删除
          </button>
        </div>
      ))}
      <button type="button" className="btn-small" data-testid={`${testId}-add`} onClick={() => setRows([...rows, { date: '', name: rows[rows.length - 1]?.name ?? '' }])}>
        ＋ 添加一行
      </button>
    </fieldset>
  );
}

function HolidayImport() {
  const thisYear = new Date().getFullYear();
  const [year, setYear] = useState(String(thisYear + 1));
  const [source, setSource] = useState('');
  const [holidays, setHolidays] = useState<Row[]>([{ date: '', name: '' }]);
  const [workdays, setWorkdays] = useState<Row[]>([]);
  const [current, setCurrent] = useState<YearInfo | null>(null);
  const errors = useFormErrors();
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    const y = Number(year);
    if (!Number.isInteger(y) || y < 1901 || y > 2099) {
      setCurrent(null);
      return;
    }
    let live = true;
    void call('calendar.show', { year: y }).then((res) => {
      if (live) setCurrent(res.ok ? res.value : null);
    });
    return () => {
      live = false;
    };
  }, [year]);

  function loadCurrent() {
    if (!current) return;
    setHolidays(current.holidays.map((h) => ({ ...h })));
    setWorkdays(current.workdays.map((w) => ({ ...w })));
    if (current.origin === 'override') setSource(current.source);
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    errors.clear();
    setNotice(null);
    const res = await call('calendar.import', {
      year: Number(year),
      source,
      holidays: holidays.filter((h) => h.date || h.name.trim()),
      workdays: workdays.filter((w) => w.date || w.name.trim()),
    });
    setBusy(false);
    if (!res.ok) return errors.show(res.error, (p) => p.replace(/^(holidays|workdays)\..*$/, '$1'));
    setCurrent(res.value);
    setNotice(`已录入${res.value.year}年节假日安排（${res.value.source}）：节假日${res.value.holidays.length}天，调休上班日${res.value.workdays.length}天。此后的期限计算按此执行。`);
  }

  return (
    <section className="card" data-testid="holiday-import">
      <h2 className="card-title">录入节假日安排</h2>
      <p className="hint">
        国务院办公厅每年公布次年部分节假日安排后，请在此逐日录入放假日期和调休上班日期，并注明通知文号。尚未录入的年份按法定节日推算，标注“{PROVISIONAL_LABEL}”。
      </p>
      {current && (
        <p className="small" data-testid="holiday-current">
          {current.year}年现行安排：
          {current.provisional ? <span className="provisional">{PROVISIONAL_LABEL}</span> : <span className="ok-text">官方安排</span>}
          （{current.source}；节假日{current.holidays.length}天，调休上班日{current.workdays.length}天）
          <button type="button" className="btn-link" data-testid="holiday-load-current" onClick={loadCurrent}>
            载入现行安排以便修改
          </button>
        </p>
      )}
      <FormErrorsProvider form={errors}>
      <form noValidate onSubmit={submit} onKeyDown={onCtrlEnterSubmit} data-testid="holiday-form" ref={(el) => void (errors.root.current = el)}>
        <div className="grid-3">
          <Field label="年份" path="year" required>
            {(id) => <input id={id} type="number" min={1901} max={2099} data-testid="holiday-year" value={year} onChange={(e) => setYear(e.target.value)} />}
          </Field>
          <Field label="通知文号（来源）" path="source" required className="span-2">
            {(id) => (
              <input id={id} data-testid="holiday-source" placeholder="如 国办发明电〔2026〕×号" value={source} onChange={(e) => setSource(e.target.value)} />
            )}
          </Field>
        </div>
        <div className="grid-2">
          <FieldAnchor path="holidays">
            <RowsEditor label="放假日期（含周末连休）" unit="放假日期" rows={holidays} setRows={setHolidays} testId="holiday-rows" />
          </FieldAnchor>
          <FieldAnchor path="workdays">
            <RowsEditor label="调休上班日（周六、周日上班）" unit="调休上班日" rows={workdays} setRows={setWorkdays} testId="workday-rows" />
          </FieldAnchor>
        </div>
        <FormErrorSummary form={errors} testId="holiday-error" />
        <Notice message={notice} testId="holiday-notice" />
        <div className="actions">
          <button type="submit" className="btn-primary" data-testid="holiday-submit" disabled={busy}>
            录入{year}年节假日安排
          </button>
          {holidays.some((h) => h.date) && (
            <span className="hint">
              共{holidays.filter((h) => h.date).length}个放假日
              {holidays[0]?.date && /^\d{4}-\d{2}-\d{2}$/.test(holidays[0].date) && `，首日${fmtDateWeekday(holidays[0].date)}`}
            </span>
          )}
        </div>
      </form>
      </FormErrorsProvider>
    </section>
  );
}
