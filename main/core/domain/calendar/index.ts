// Calendar and deadline engine — pure: no I/O, no DB, no Electron; all dates are CST 'YYYY-MM-DD'.
//
//   const cal = buildCalendar(overridesFromDb);          // YearSchedule[] entered by the administrator
//   dayInfo('2026-10-10', cal)                           // { working: true, kind: 'makeup_workday', name: '国庆节', … }
//   addPeriod(receivedOn, 5, 'working', cal)             // { due, counted, provisional }
//   addPeriod(due, 3, 'working', cal)                    // 延长三日
//   clockState(cstDate(new Date()), due, 'working', cal) // 'ok' | 'due_soon' | 'overdue'
//   calendarYearInfo(2026, cal)                          // for `calendar show 2026`
//
// Years come from an administrator override, else the official schedule shipped in chinese-days
// (SHIPPED_FIRST_YEAR…SHIPPED_LAST_YEAR), else a provisional estimate from the statutory holidays:
// every result touching such a year has provisional: true (PROVISIONAL_LABEL = 待官方安排确认).
// Errors are CalendarError (an AppError, code 'VALIDATION') with a Chinese message and a `reason`.
export { CalendarError, type CalendarErrorReason } from './errors';
export {
  WEEKDAY_NAMES,
  addDays,
  cstDate,
  cstDateTime,
  cstInstant,
  dayOfWeek,
  diffDays,
  formatChineseDate,
  formatChineseDateTime,
  formatChinaMoment,
  isInstantString,
  toChinaIso,
  withChinaOffsets,
  isValidDate,
  isWeekend,
  parseDate,
  yearOf,
  type DateParts,
  type DateString,
} from './cst';
export {
  Calendar,
  FALLBACK_SOURCE,
  MAX_SUPPORTED_YEAR,
  MIN_SUPPORTED_YEAR,
  PROVISIONAL_LABEL,
  SHIPPED_FIRST_YEAR,
  SHIPPED_LAST_YEAR,
  SHIPPED_SOURCE,
  buildCalendar,
  calendarYearInfo,
  validateYearSchedule,
  type CalendarYearInfo,
  type ResolvedYear,
  type ScheduleEntry,
  type YearOrigin,
  type YearSchedule,
} from './holidays';
export { lunarAnchors, lunarDateOf, qingmingDate, type LunarAnchors, type LunarDate } from './lunar';
export {
  CLOCK_STATE_LABELS,
  COUNT_MODE_LABELS,
  DAY_KIND_LABELS,
  MAX_PERIOD_DAYS,
  addHours,
  addPeriod,
  clockState,
  dayInfo,
  hourClockState,
  hoursRemaining,
  isProvisionalDate,
  isProvisionalRange,
  isWorkingDay,
  nextWorkingDay,
  workingDaysRemaining,
  type ClockState,
  type CountMode,
  type DayInfo,
  type DayKind,
  type PeriodResult,
} from './deadline';
