// The channels added so `lrw` needs nothing past the handler table (issue 14): a case by its number,
// accounts by username, the dry runs before uploads, a draft as PDF/Word bytes, a file brought to be
// signed, the alarms' `all`, and the public reckoning answered signed out. Through `dispatch`, as every
// caller (desktop, server, lrw) reaches them; both engines.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { dispatch, type Session } from '../../main/core/api';
import type { Actor } from '../../main/core/services/core';
import { caseInput, makeFixture, type Fixture } from '../helpers/fixture';

// The first fixture builds the template store (one scrypt hash per user): slow on a busy machine.
vi.setConfig({ testTimeout: 60_000, hookTimeout: 120_000 });

let f: Fixture;
beforeEach(async () => {
  f = await makeFixture();
});
afterEach(async () => {
  await f.close();
});

const as = (a: Actor): Session => ({ userId: a.id });
const anonymous = (): Session => ({ userId: null });
const count = async (table: string) => Number((await f.core.db.column<number>(`SELECT COUNT(*) FROM ${table}`))[0]);

describe('channels lrw speaks', () => {
  it('cases.byNo finds a case by its 案件编号 for a signed-in user, refuses an unknown number by name and a signed-out caller', async () => {
    const c = await dispatch(f.core, as(f.handler), 'cases.submit', caseInput(f));
    expect(c.ok).toBe(true);
    const id = (c as { value: { id: number } }).value.id;
    expect(await dispatch(f.core, as(f.reviewer), 'cases.byNo', { caseNo: '某市监罚立〔2026〕101号' })).toEqual({ ok: true, value: { caseId: id } });
    expect(await dispatch(f.core, as(f.reviewer), 'cases.byNo', { caseNo: '某市监罚立〔2026〕999号' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', message: '找不到案件编号为“某市监罚立〔2026〕999号”的案件。' } });
    expect(await dispatch(f.core, anonymous(), 'cases.byNo', { caseNo: '某市监罚立〔2026〕101号' })).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
    // A handler outside the case learns no more than for a number that does not exist (SQLite as PostgreSQL).
    expect(await dispatch(f.core, as(f.officer2), 'cases.byNo', { caseNo: '某市监罚立〔2026〕101号' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', message: '找不到案件编号为“某市监罚立〔2026〕101号”的案件。' } });
  });

  it('users.byName resolves usernames in order; an unknown one is refused (as a user, or as an officer of a case file)', async () => {
    expect(await dispatch(f.core, as(f.secretary), 'users.byName', { usernames: ['head', 'handler'] })).toEqual({
      ok: true,
      value: [{ id: f.head.id, username: 'head', displayName: '赵局长' }, { id: f.handler.id, username: 'handler', displayName: '张承办' }],
    });
    expect(await dispatch(f.core, as(f.secretary), 'users.byName', { usernames: ['head', 'nobody'] })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', message: '用户“nobody”不存在。' } });
    expect(await dispatch(f.core, as(f.handler), 'users.byName', { usernames: ['nobody'], purpose: 'officer' })).toMatchObject({ ok: false, error: { code: 'VALIDATION', message: '执法人员用户名“nobody”不存在。' } });
    expect(await dispatch(f.core, anonymous(), 'users.byName', { usernames: ['head'] })).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
  });

  it('cases.check and experts.check refuse what submission would refuse, and change nothing either way', async () => {
    const events = await count('events');
    expect(await dispatch(f.core, as(f.handler), 'cases.check', caseInput(f))).toEqual({ ok: true, value: null });
    const bad = await dispatch(f.core, as(f.handler), 'cases.check', caseInput(f, { party: { type: 'organization', name: '某公司', idNumber: '91110105MA01ABCD1X', address: '某路' } }));
    expect(bad).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect((bad as { error: { message: string } }).error.message).toContain('统一社会信用代码');
    expect(await dispatch(f.core, as(f.reviewer), 'cases.check', caseInput(f))).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await count('cases')).toBe(0);
    const c = (await dispatch(f.core, as(f.handler), 'cases.submit', caseInput(f))) as { ok: true; value: { id: number } };
    const early = await dispatch(f.core, as(f.reviewer), 'experts.check', { caseId: c.value.id, experts: ['李明教授'], heldOn: '2026-11-20', opinion: '同意' });
    expect(early).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect((early as { error: { message: string } }).error.message).toContain('尚未被领取');
    expect(await count('expert_opinions')).toBe(0);
    expect(await count('events')).toBe(events + 1);
  });

  it('documents.render gives a PDF or Word draft with what is missing; only a drafter may have it', async () => {
    const c = (await dispatch(f.core, as(f.handler), 'cases.submit', caseInput(f))) as { ok: true; value: { id: number } };
    const pdf = await dispatch(f.core, as(f.handler), 'documents.render', { caseId: c.value.id, templateId: 'penalty-decision', format: 'pdf' });
    expect(pdf.ok, JSON.stringify(pdf)).toBe(true);
    const v = (pdf as { value: { name: string; base64: string; missing: unknown[]; placeholders: unknown[] } }).value;
    expect(Buffer.from(v.base64, 'base64').subarray(0, 5).toString()).toBe('%PDF-');
    expect(v.name).toMatch(/（草稿）\.pdf$/);
    expect(v.missing.length + v.placeholders.length).toBeGreaterThan(0);
    const docx = (await dispatch(f.core, as(f.handler), 'documents.render', { caseId: c.value.id, templateId: 'penalty-decision', format: 'docx' })) as { ok: true; value: { base64: string } };
    expect(Buffer.from(docx.value.base64, 'base64').subarray(0, 2).toString()).toBe('PK');
    expect(await dispatch(f.core, as(f.handler), 'documents.render', { caseId: c.value.id, templateId: 'penalty-decision', format: 'odt' })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(await dispatch(f.core, as(f.admin), 'documents.render', { caseId: c.value.id, templateId: 'penalty-decision', format: 'pdf' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });

  it('files.sign refuses a draft this system rendered (and a signer without a certificate), recording nothing', async () => {
    const c = (await dispatch(f.core, as(f.handler), 'cases.submit', caseInput(f))) as { ok: true; value: { id: number } };
    const events = await count('events');
    const noCert = await dispatch(f.core, as(f.handler), 'files.sign', { name: 'x.pdf', base64: Buffer.from('%PDF-1.4 x').toString('base64') });
    expect(noCert).toMatchObject({ ok: false, error: { code: 'BAD_STATE' } });
    expect((noCert as { error: { message: string } }).error.message).toContain('签名证书');
    const draft = (await dispatch(f.core, as(f.handler), 'documents.render', { caseId: c.value.id, templateId: 'penalty-decision', format: 'pdf' })) as { ok: true; value: { base64: string } };
    expect(await dispatch(f.core, anonymous(), 'files.sign', { name: 'd.pdf', base64: draft.value.base64 })).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
    expect(await count('events')).toBe(events);
  });

  it('audit.alarms takes `all`; anything else in its input is refused', async () => {
    expect(await dispatch(f.core, as(f.admin), 'audit.alarms', { all: true })).toEqual({ ok: true, value: [] });
    expect(await dispatch(f.core, as(f.admin), 'audit.alarms', { every: true })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
  });

  it('the public reckoning answers signed out; the case work next to it does not', async () => {
    const d = await dispatch(f.core, anonymous(), 'deadlines.compute', { from: '2026-09-28', days: 5 });
    expect(d).toMatchObject({ ok: true, value: { due: '2026-10-10', provisional: false } });
    expect(await dispatch(f.core, anonymous(), 'calendar.show', { year: 2026 })).toMatchObject({ ok: true, value: { year: 2026 } });
    expect(await dispatch(f.core, anonymous(), 'settings.fonts', {})).toMatchObject({ ok: true });
    const v = await dispatch(f.core, anonymous(), 'documents.verify', { name: 'x.pdf', base64: Buffer.from('%PDF-1.4 nothing signed').toString('base64') });
    expect(v).toMatchObject({ ok: true, value: { signed: false } });
    expect(await dispatch(f.core, anonymous(), 'deadlines.overdue', {})).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
    expect(await dispatch(f.core, anonymous(), 'cases.queue', {})).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
  });
});
