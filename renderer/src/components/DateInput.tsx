// Date and time entry in the app's own Chinese format (2026年12月1日, 24-hour 14:30), whatever the
// machine's locale: plain text fields parsed by format.ts, never <input type="date|time|datetime-local">
// (those follow the operating system: mm/dd/yyyy and 02:30 PM on an English Windows).
//
// DateInput's value is 'YYYY-MM-DD' (or '' when empty); DateTimeInput's is China local time
// 'YYYY-MM-DDTHH:mm' (turn it into an instant with chinaLocalToIso). Text that is not a date is shown
// with a Chinese message under the field and handed on as typed, so a form sent anyway is refused by
// the core (which validates every date it receives) instead of silently keeping an older value.
import { useEffect, useId, useRef, useState } from 'react';
import { DATE_EXAMPLE, fmtDate, parseDateText, parseTimeText } from '../format';

const YMD = /^\d{4}-\d{2}-\d{2}$/;
const showDate = (v: string) => (YMD.test(v) ? fmtDate(v) : v);

function boundMessage(value: string, min?: string, max?: string, minLabel?: string, maxLabel?: string): string | null {
  if (!YMD.test(value)) return null;
  if (max && value > max) return `日期不能晚于${maxLabel ?? fmtDate(max)}。`;
  if (min && value < min) return `日期不能早于${minLabel ?? fmtDate(min)}。`;
  return null;
}

export interface DateInputProps {
  id?: string;
  value: string;
  onChange: (value: string) => void;
  testId?: string;
  ariaLabel?: string;
  className?: string;
  /** Latest / earliest date allowed ('YYYY-MM-DD'), with how to say it (e.g. 今天). */
  max?: string;
  maxLabel?: string;
  min?: string;
  minLabel?: string;
  disabled?: boolean;
  placeholder?: string;
}

export function DateInput({ id, value, onChange, testId, ariaLabel, className, max, maxLabel, min, minLabel, disabled, placeholder }: DateInputProps) {
  const [text, setText] = useState(() => showDate(value));
  const [error, setError] = useState<string | null>(null);
  const sent = useRef(value);
  const errId = useId();

  // A value set from outside (a restored draft, a reset form, a date picked elsewhere) replaces the text.
  useEffect(() => {
    if (value === sent.current) return;
    sent.current = value;
    setText(showDate(value));
    setError(null);
  }, [value]);

  function change(t: string) {
    setText(t);
    const p = parseDateText(t);
    const v = p.ok ? p.value : t.trim();
    // While typing, only a now-correct date clears the message; a wrong one is named when leaving the field.
    if (p.ok && !boundMessage(p.value, min, max, minLabel, maxLabel)) setError(null);
    sent.current = v;
    onChange(v);
  }

  function blur() {
    const p = parseDateText(text);
    if (!p.ok) return setError(p.message);
    const bound = boundMessage(p.value, min, max, minLabel, maxLabel);
    setError(bound);
    if (p.value) setText(fmtDate(p.value));
  }

  return (
    <span className={`date-entry ${className ?? ''}`}>
      <input
        id={id}
        type="text"
        inputMode="text"
        autoComplete="off"
        spellCheck={false}
        className="date-input"
        data-testid={testId}
        data-value={YMD.test(value) ? value : ''}
        aria-label={ariaLabel}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? errId : undefined}
        placeholder={placeholder ?? `如 ${DATE_EXAMPLE}`}
        value={text}
        disabled={disabled}
        onChange={(e) => change(e.target.value)}
        onBlur={blur}
      />
      {error && (
        <span className="date-error" id={errId} role="alert" data-testid={testId ? `${testId}-error` : undefined}>
          {error}
        </span>
      )}
    </span>
  );
}

export interface DateTimeInputProps {
  id?: string;
  /** China local time 'YYYY-MM-DDTHH:mm', or '' when empty. */
  value: string;
  onChange: (value: string) => void;
  testId?: string;
  /** How a screen reader names the two fields: “会议时间” gives 会议时间（日期） and 会议时间（时刻）. */
  label: string;
  disabled?: boolean;
}

const LOCAL = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})$/;

export function DateTimeInput({ id, value, onChange, testId, label, disabled }: DateTimeInputProps) {
  const split = (v: string) => {
    const m = LOCAL.exec(v);
    return m ? { date: m[1], time: m[2] } : { date: '', time: '' };
  };
  const [date, setDate] = useState(() => split(value).date);
  const [timeText, setTimeText] = useState(() => split(value).time);
  const [timeError, setTimeError] = useState<string | null>(null);
  const sent = useRef(value);
  const errId = useId();

  useEffect(() => {
    if (value === sent.current) return;
    sent.current = value;
    const s = split(value);
    setDate(s.date);
    setTimeText(s.time);
    setTimeError(null);
  }, [value]);

  function emit(d: string, tText: string) {
    const t = parseTimeText(tText);
    const v = !d && !tText.trim() ? '' : YMD.test(d) && t.ok && t.value ? `${d}T${t.value}` : `${d}T${tText.trim()}`;
    sent.current = v;
    onChange(v);
  }

  return (
    <span className="datetime-entry">
      <DateInput
        id={id}
        value={date}
        testId={testId ? `${testId}-date` : undefined}
        // With an id, the field's own <label> names the date part; alone, it is named here.
        ariaLabel={id ? undefined : `${label}（日期）`}
        disabled={disabled}
        onChange={(d) => {
          setDate(d);
          emit(d, timeText);
        }}
      />
      <span className="time-entry">
        <input
          type="text"
          autoComplete="off"
          spellCheck={false}
          className="time-input"
          data-testid={testId ? `${testId}-time` : undefined}
          aria-label={`${label}（时刻，24小时制）`}
          aria-invalid={timeError ? true : undefined}
          aria-describedby={timeError ? errId : undefined}
          placeholder="如 14:30"
          value={timeText}
          disabled={disabled}
          onChange={(e) => {
            setTimeText(e.target.value);
            if (parseTimeText(e.target.value).ok) setTimeError(null);
            emit(date, e.target.value);
          }}
          onBlur={() => {
            const t = parseTimeText(timeText);
            if (!t.ok) return setTimeError(t.message);
            setTimeError(null);
            if (t.value) setTimeText(t.value);
          }}
        />
        <span className="muted small">（北京时间）</span>
      </span>
      {timeError && (
        <span className="date-error" id={errId} role="alert" data-testid={testId ? `${testId}-time-error` : undefined}>
          {timeError}
        </span>
      )}
    </span>
  );
}
