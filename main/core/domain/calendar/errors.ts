// Calendar refusals. CalendarError is an AppError with code 'VALIDATION', so the bridge and `lrw`
// already turn it into a proper payload; `reason` tells callers (and tests) exactly what was wrong.
import { AppError } from '../errors';

export type CalendarErrorReason =
  | 'INVALID_DATE'
  | 'INVALID_INSTANT'
  | 'INVALID_TIME'
  | 'YEAR_UNSUPPORTED'
  | 'INVALID_PERIOD'
  | 'INVALID_HOURS'
  | 'SCHEDULE_MALFORMED'
  | 'SCHEDULE_YEAR_INVALID'
  | 'SCHEDULE_SOURCE_EMPTY'
  | 'SCHEDULE_NO_HOLIDAYS'
  | 'SCHEDULE_ENTRY_MALFORMED'
  | 'SCHEDULE_NAME_EMPTY'
  | 'SCHEDULE_DATE_INVALID'
  | 'SCHEDULE_DATE_OUTSIDE_YEAR'
  | 'SCHEDULE_DUPLICATE_DATE'
  | 'SCHEDULE_HOLIDAY_WORKDAY_CONFLICT'
  | 'SCHEDULE_WORKDAY_NOT_WEEKEND'
  | 'SCHEDULE_DUPLICATE_YEAR';

export class CalendarError extends AppError {
  constructor(
    readonly reason: CalendarErrorReason,
    message: string,
    extra?: Record<string, unknown>,
  ) {
    super('VALIDATION', message, { reason, ...extra });
    this.name = 'CalendarError';
  }
}
