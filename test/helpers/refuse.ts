// Asserting refusals: the call must fail with an AppError of the given stable code and a Chinese
// message (what the user reads); returns the message for further checks.
import { expect } from 'vitest';
import { AppError } from '../../main/core/domain/errors';

function check(err: unknown, code: string): string {
  expect(err).toBeInstanceOf(AppError);
  expect((err as AppError).code).toBe(code);
  expect((err as AppError).message).toMatch(/[\u4e00-\u9fa5]/);
  return (err as AppError).message;
}

export async function refused(fn: () => unknown, code: string): Promise<string> {
  try {
    await fn();
  } catch (err) {
    return check(err, code);
  }
  throw new Error(`expected refusal ${code}, but the call succeeded`);
}

export async function refusedAsync(p: Promise<unknown>, code: string): Promise<string> {
  try {
    await p;
  } catch (err) {
    return check(err, code);
  }
  throw new Error(`expected refusal ${code}, but the call succeeded`);
}

/** The refusal's code, for tests that compare codes only. */
export async function refusalCode(fn: () => unknown): Promise<string> {
  try {
    await fn();
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    return (err as AppError).code;
  }
  throw new Error('expected a refusal, but the call succeeded');
}
