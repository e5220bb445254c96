// One error type for every refusal. `code` is stable (tests, the bridge and `lrw` rely on it);
// `message` is the Chinese text a user reads.
export type ErrorCode =
  | 'VALIDATION'
  | 'NOT_FOUND'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'CONFLICT'
  | 'BAD_STATE'
  | 'SIGNING_ON_DESKTOP'
  | 'SEPARATION_OF_DUTIES'
  | 'FINDINGS_INCOMPLETE'
  | 'AGREE_WITH_DEFECTS'
  | 'OVERRIDE_REQUIRED'
  | 'DISCUSSION_REQUIRED'
  | 'OFFICERS_INVALID'
  | 'NOT_MAJOR'
  | 'SETUP_DONE'
  | 'SETUP_REQUIRED'
  | 'LOCKED'
  | 'NO_QUORUM'
  | 'DB_TOO_NEW'
  | 'DB_OPEN_FAILED'
  | 'DB_NEEDS_MIGRATION'
  | 'FILES_DIR_REQUIRED'
  | 'DB_NOT_EMPTY'
  | 'READ_ONLY_ROLE'
  | 'ACCOUNT_LOCKED'
  | 'PASSWORD_CHANGE_REQUIRED'
  | 'ADMIN_SPLIT'
  | 'REVIEWER_UNQUALIFIED'
  // A write based on an older version of the record than the one stored (services/versions.ts).
  | 'STALE'
  // A background job whose process stopped before it finished (services/verifyJobs.ts, issue 14).
  | 'JOB_INTERRUPTED'
  // A signature a desktop sent for a document the agency server prepared did not check out (services/deskSigning.ts).
  | 'SIGNATURE_REJECTED'
  // The desktop's team mode (main/electron/remote.ts): transport outcomes, never raised by the core.
  | 'SERVER_UNREACHABLE'
  | 'SAVED_OFFLINE'
  | 'CERT_MISMATCH'
  | 'CERT_UNTRUSTED'
  | 'INTERNAL';

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export interface ErrorPayload {
  code: ErrorCode;
  message: string;
  details?: unknown;
}

/** Turns anything thrown into the payload that crosses the bridge; never leaks a stack trace. */
export function toErrorPayload(err: unknown): ErrorPayload {
  if (err instanceof AppError) return { code: err.code, message: err.message, details: err.details };
  return { code: 'INTERNAL', message: '系统内部错误，操作未完成，请联系管理员。' };
}

/**
 * Where in the input a refusal points: `path` as the request names it ("party.idNumber",
 * "legalBasis.0.article", "findings.3.reason"). Every refusal about a field carries
 * `details.issues` (schema errors from parseInput, domain refusals through fieldError), so that a form
 * can put each message beside its field (renderer/src/formErrors.tsx) — one mechanism for every form.
 */
export interface FieldIssue {
  path: string;
  message: string;
}

/** A refusal about fields of the input. One path: its message is the refusal's. */
export function fieldError(code: ErrorCode, message: string, where: string | FieldIssue[]): AppError {
  const issues = typeof where === 'string' ? [{ path: where, message }] : where;
  return new AppError(code, message, { issues });
}

/** The field issues of a refusal's details, or none. */
export function issuesOf(details: unknown): FieldIssue[] {
  const list = (details as { issues?: unknown } | null | undefined)?.issues;
  if (!Array.isArray(list)) return [];
  return list.filter((i): i is FieldIssue => !!i && typeof i.path === 'string' && typeof i.message === 'string');
}

export const fail = (code: ErrorCode, message: string, details?: unknown): never => {
  throw new AppError(code, message, details);
};
