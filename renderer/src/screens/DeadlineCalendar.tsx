// 期限日历: a month of the working-day calendar (working days, weekends, holidays with their names,
// 调休上班日, years without an official schedule marked 待官方安排确认), the due dates of the user's
// queue placed on their days, and a small calculator (deadlines.compute).
import { useEffect, useMemo, useState, type FormEvent } from 'react';
import type { Outputs } from '../../../preload/contract';
import type { QueueItem, SessionView } from '../../../main/core/domain/views';
import { call } from '../api';
import { ErrorBox, Field, Loading } from '../components/common';
import { daysInMonth, fmtDate, fmtDateWeekday, todayCst, weekdayOf, ymd } from '../format';
import { COUNT_MODE_LABELS, PROVISIONAL_LABEL, type CountMode } from '../labels';
import { navigate } from '../router';
import { DateInput } from '../components/DateInput';

type YearInfo = Outputs['calendar.show'];
type ComputeResult = Outputs['deadlines.compute'];
type DayKind = 'workday' | 'weekend' | 'holiday' | 'makeup_workday';

const DAY_KIND_LABELS: Record<DayKind, string> = {
  workday: '工作日',
  weekend: '休息日',
  holiday: '节假日',
  makeup_workday: '调休上班日',
};
/** Monday first, as on Chinese office calendars. */
const HEAD = ['一', '二', '三', '四', '五', '六', '日'];
const MIN_YEAR = 1901;
const MAX_YEAR = 2099;

interface Cell {
  date: string;
  day: number;
  kind: DayKind;
  name?: string;
}

function monthCells(y: number, m: number, info: YearInfo): Cell[] {
  const holidays = new Map(info.holidays.map((h) => [h.date, h.name]));
  const workdays = new Map(info.workdays.map((w) => [w.date, w.name]));
  const out: Cell[] = [];
  for (let d = 1; d <= daysInMonth(y, m); d++) {
    const date = ymd(y, m, d);
    const wd = weekdayOf(date);
    if (workdays.has(date)) out.push({ date, day: d, kind: 'makeup_workday', name: workdays.get(date) });
    else if (holidays.has(date)) out.push({ date, day: d, kind: 'holiday', name: holidays.get(date) });
    else if (wd === 0 || wd === 6) out.push({ date, day: d, kind: 'weekend' });
    else out.push({ date, day: d, kind: 'workday' });
  }
  return out;
}

export function DeadlineCalendar({ session }: { session: SessionView }) {
  const today = todayCst();
  const [year, setYear] = useState(Number(today.slice(0, 4)));
  const [month, setMonth] = useState(Number(today.slice(5, 7)));
  const [years, setYears] = useState<Record<number, YearInfo>>({});
  const [error, setError] = useState<string | null>(null);
  const [queue, setQueue] = useState<QueueItem[]>([]);
  const [calc, setCalc] = useState<ComputeResult | null>(null);

  useEffect(() => {
    if (years[year]) return;
    let live = true;
    void call('calendar.show', { year }).then((res) => {
      if (!live) return;
      if (res.ok) {
        setYears((m) => ({ ...m, [year]: res.value }));
        setError(null);
      } else setError(res.error.message);
    });
    return () => {
      live = false;
    };
  }, [year, years]);

  useEffect(() => {
    let live = true;
    void call('cases.queue', {}).then((res) => {
      if (live && res.ok) setQueue(res.value.items);
    });
    return () => {
      live = false;
    };
  }, []);

  const dueByDate = useMemo(() => {
    const m = new Map<string, QueueItem[]>();
    for (const q of queue) {
      if (!q.reviewClock) continue;
      const list = m.get(q.reviewClock.due) ?? [];
      list.push(q);
      m.set(q.reviewClock.due, list);
    }
    return m;
  }, [queue]);

  const upcoming = useMemo(
    () => queue.filter((q) => q.reviewClock).sort((a, b) => a.reviewClock!.due.localeCompare(b.reviewClock!.due)),
    [queue],
  );

  const counted = useMemo(() => new Set(calc?.counted ?? []), [calc]);
  const info = years[year];

  function go(y: number, m: number) {
    if (m < 1) {
      y -= 1;
      m = 12;
    } else if (m > 12) {
      y += 1;
      m = 1;
    }
    if (y < MIN_YEAR || y > MAX_YEAR) return;
    setYear(y);
    setMonth(m);
  }

  const cells = info ? monthCells(year, month, info) : [];
  const lead = cells.length ? (weekdayOf(cells[0].date) + 6) % 7 : 0;
  const slots: (Cell | null)[] = [...Array.from({ length: lead }, () => null), ...cells];
  while (slots.length % 7 !== 0) slots.push(null);
  const weeks: (Cell | null)[][] = [];
  for (let i = 0; i < slots.length; i += 7) weeks.push(slots.slice(i, i + 7));
  // Consecutive holidays of one festival read as a range: 10月1日至10月7日 国庆节放假（7天）.
  const monthHolidays: { from: Cell; to: Cell; days: number }[] = [];
  for (const c of cells) {
    if (c.kind !== 'holiday' && c.kind !== 'makeup_workday') continue;
    const last = monthHolidays[monthHolidays.length - 1];
    if (last && c.kind === 'holiday' && last.to.kind === 'holiday' && last.to.name === c.name && last.to.day === c.day - 1) {
      last.to = c;
      last.days++;
    } else monthHolidays.push({ from: c, to: c, days: 1 });
  }

  return (
    <div className="page" data-testid="calendar-page">
      <div className="page-head">
        <h1>期限日历</h1>
        <span className="muted">{session.user.displayName}的待办期限 · 审核期限按工作日计算，节假日和调休以国务院办公厅通知为准</span>
      </div>
      <ErrorBox message={error} />

      <div className="calendar-layout">
        <section className="card calendar-card" aria-labelledby="cal-title">
          <div className="cal-toolbar">
            <button type="button" data-testid="cal-prev" aria-label="上个月" onClick={() => go(year, month - 1)}>
              ‹ 上个月
            </button>
            <h2 id="cal-title" className="cal-title" data-testid="cal-title">
              {year}年{month}月
            </h2>
            <button type="button" data-testid="cal-next" aria-label="下个月" onClick={() => go(year, month + 1)}>
              下个月 ›
            </button>
            <label className="cal-pick">
              年份
              <input
                type="number"
                min={MIN_YEAR}
                max={MAX_YEAR}
                data-testid="cal-year"
                value={year}
                onChange={(e) => {
                  const y = Number(e.target.value);
                  if (Number.isInteger(y) && y >= MIN_YEAR && y <= MAX_YEAR) setYear(y);
                }}
              />
            </label>
            <label className="cal-pick">
              月份
              <select data-testid="cal-month" value={month} onChange={(e) => setMonth(Number(e.target.value))}>
                {Array.from({ length: 12 }, (_, i) => (
                  <option key={i + 1} value={i + 1}>
                    {i + 1}月
                  </option>
                ))}
              </select>
            </label>
            <button type="button" onClick={() => go(Number(today.slice(0, 4)), Number(today.slice(5, 7)))}>
              本月
            </button>
          </div>

          {!info && !error && <Loading />}
          {info && (
            <>
              {info.provisional ? (
                <div className="provisional-banner" role="note" data-testid="cal-provisional">
                  <strong>{PROVISIONAL_LABEL}</strong>：{year}年的国务院办公厅节假日安排尚未收录，本月按法定节日推算，未含调休，期限计算结果仅供参考。
                </div>
              ) : (
                <p className="muted small cal-source" data-testid="cal-source">
                  节假日安排来源：{info.source}
                </p>
              )}
              <table className={`cal-grid ${info.provisional ? 'cal-grid-provisional' : ''}`} data-testid="calendar-grid" data-month={`${year}-${String(month).padStart(2, '0')}`}>
                <caption className="visually-hidden">
                  {year}年{month}月工作日历
                </caption>
                <thead>
                  <tr>
                    {HEAD.map((h, i) => (
                      <th key={h} scope="col" className={i >= 5 ? 'cal-weekend-head' : undefined}>
                        星期{h}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {weeks.map((w, wi) => (
                    <tr key={wi}>
                      {w.map((c, ci) =>
                        c ? (
                          <td
                            key={c.date}
                            className={[
                              'cal-day',
                              `cal-${c.kind}`,
                              c.date === today ? 'cal-today' : '',
                              counted.has(c.date) ? 'cal-counted' : '',
                              calc?.due === c.date ? 'cal-due' : '',
                            ].join(' ')}
                            data-testid="cal-day"
                            data-date={c.date}
                            data-kind={c.kind}
                            aria-label={`${fmtDate(c.date)}，${DAY_KIND_LABELS[c.kind]}${c.name ? `（${c.name}）` : ''}`}
                          >
                            <div className="cal-day-top">
                              <span className="cal-num">{c.day}</span>
                              {c.kind === 'holiday' && <span className="cal-tag cal-tag-rest">休</span>}
                              {c.kind === 'makeup_workday' && <span className="cal-tag cal-tag-work">班</span>}
                            </div>
                            {c.name && (
                              <div className="cal-name" data-testid="cal-day-name">
                                {c.kind === 'makeup_workday' ? `${c.name}调休上班` : c.name}
                              </div>
                            )}
                            {calc?.due === c.date && <div className="cal-calc-due">计算到期日</div>}
                            {(dueByDate.get(c.date) ?? []).map((q) => (
                              <a
                                key={q.id}
                                href={`#/case/${q.id}`}
                                className={`cal-deadline clock-${q.reviewClock!.state}`}
                                data-testid="cal-deadline"
                                data-case-no={q.caseNo}
                                title={`${q.caseNo} ${q.title}：${q.reviewClock!.label}，${q.reviewClock!.remainingLabel}`}
                                onClick={(e) => {
                                  e.preventDefault();
                                  navigate({ name: 'case', caseId: q.id });
                                }}
                              >
                                {q.caseNo}
                              </a>
                            ))}
                          </td>
                        ) : (
                          <td key={`empty-${wi}-${ci}`} className="cal-empty" aria-hidden="true" />
                        ),
                      )}
                    </tr>
                  ))}
                </tbody>
              </table>
              <div className="cal-legend" aria-label="图例">
                <span className="cal-legend-item cal-workday">工作日</span>
                <span className="cal-legend-item cal-weekend">休息日</span>
                <span className="cal-legend-item cal-holiday">节假日（休）</span>
                <span className="cal-legend-item cal-makeup_workday">调休上班日（班）</span>
                <span className="cal-legend-item cal-legend-deadline">审核期限到期日</span>
              </div>
              {monthHolidays.length > 0 && (
                <ul className="cal-month-list" data-testid="cal-month-holidays">
                  {monthHolidays.map(({ from, to, days }) => (
                    <li key={from.date}>
                      {from.kind === 'holiday'
                        ? `${days > 1 ? `${fmtDateWeekday(from.date)}至${fmtDateWeekday(to.date)}` : fmtDateWeekday(from.date)}：${from.name}放假${days > 1 ? `，共${days}天` : ''}`
                        : `${fmtDateWeekday(from.date)}：${from.name}调休，上班`}
                    </li>
                  ))}
                </ul>
              )}
            </>
          )}
        </section>

        <div className="calendar-side">
          <Calculator
            onResult={(r) => {
              setCalc(r);
              if (r) go(Number(r.due.slice(0, 4)), Number(r.due.slice(5, 7)));
            }}
          />
          <section className="card" data-testid="upcoming-deadlines">
            <h2 className="card-title">我的待办期限</h2>
            {upcoming.length === 0 ? (
              <p className="muted">待办中没有计算中的审核期限。</p>
            ) : (
              <ul className="upcoming-list">
                {upcoming.map((q) => (
                  <li key={q.id}>
                    <a
                      href={`#/case/${q.id}`}
                      data-testid="upcoming-link"
                      data-case-no={q.caseNo}
                      title="在日历中显示到期日"
                      onClick={(e) => {
                        e.preventDefault();
                        go(Number(q.reviewClock!.due.slice(0, 4)), Number(q.reviewClock!.due.slice(5, 7)));
                      }}
                    >
                      {q.caseNo}
                    </a>
                    <span className={`clock clock-${q.reviewClock!.state}`}>
                      <span className="clock-dot" aria-hidden="true" />
                      {q.reviewClock!.remainingLabel}
                    </span>
                    <div className="muted small">
                      {q.reviewClock!.label}，{q.reviewClock!.dueLabel}到期
                      {q.reviewClock!.provisional && <span className="provisional">（{PROVISIONAL_LABEL}）</span>}
                    </div>
                  </li>
                ))}
              </ul>
            )}
          </section>
        </div>
      </div>
    </div>
  );
}

function Calculator({ onResult }: { onResult: (r: ComputeResult | null) => void }) {
  const [from, setFrom] = useState(todayCst());
  const [days, setDays] = useState('5');
  const [mode, setMode] = useState<CountMode>('working');
  const [result, setResult] = useState<ComputeResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let live = true;
    void call('deadlines.settings', {}).then((res) => {
      if (live && res.ok) {
        setDays(String(res.value.reviewDays));
        setMode(res.value.mode);
      }
    });
    return () => {
      live = false;
    };
  }, []);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const n = Number(days);
    if (!from) return setError('请填写起算日。');
    if (!Number.isInteger(n) || n < 1) return setError('天数应为正整数。');
    setBusy(true);
    setError(null);
    const res = await call('deadlines.compute', { from, days: n, mode });
    setBusy(false);
    if (!res.ok) {
      setResult(null);
      onResult(null);
      return setError(res.error.message);
    }
    setResult(res.value);
    onResult(res.value);
  }

  return (
    <section className="card" data-testid="calc">
      <h2 className="card-title">期限计算器</h2>
      <form noValidate onSubmit={submit} data-testid="calc-form">
        <Field label="起算日" hint="起算日当天不计入。">
          {(id) => <DateInput id={id} testId="calc-from" value={from} onChange={setFrom} />}
        </Field>
        <Field label="天数">
          {(id) => <input id={id} type="number" min={1} max={3660} data-testid="calc-days" value={days} onChange={(e) => setDays(e.target.value)} />}
        </Field>
        <fieldset className="inline-radios">
          <legend>计算方式</legend>
          {(['working', 'natural'] as CountMode[]).map((m) => (
            <label key={m}>
              <input type="radio" name="calc-mode" value={m} data-testid={`calc-mode-${m}`} checked={mode === m} onChange={() => setMode(m)} />
              {COUNT_MODE_LABELS[m]}
            </label>
          ))}
        </fieldset>
        <div className="actions">
          <button type="submit" className="btn-primary" data-testid="calc-submit" disabled={busy}>
            计算到期日
          </button>
        </div>
      </form>
      <ErrorBox message={error} testId="calc-error" />
      {result && (
        <div className={`calc-result ${result.provisional ? 'calc-result-provisional' : ''}`} data-testid="calc-result" data-due={result.due} data-provisional={result.provisional ? 'true' : 'false'}>
          <div className="calc-due">
            到期日：<strong data-testid="calc-due">{fmtDateWeekday(result.due)}</strong>
          </div>
          {result.provisional && (
            <div className="provisional-banner small" data-testid="calc-provisional">
              <strong>{PROVISIONAL_LABEL}</strong>：计算涉及尚无官方节假日安排的年份，结果按法定节日推算。
            </div>
          )}
          <div className="muted small">
            自{fmtDate(result.from)}起（当日不计）{result.days}个{COUNT_MODE_LABELS[result.mode]}
            {result.postponedFrom && `；期间最后一日${fmtDate(result.postponedFrom)}为休息日，顺延至其后第一个工作日`}
          </div>
          <details className="calc-counted">
            <summary>计入的{result.counted.length}天</summary>
            <ol className="counted-list" data-testid="calc-counted">
              {result.counted.map((d) => (
                <li key={d}>{fmtDateWeekday(d)}</li>
              ))}
            </ol>
          </details>
        </div>
      )}
    </section>
  );
}
