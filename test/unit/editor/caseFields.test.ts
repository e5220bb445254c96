// 插入案件字段: the renderer computes a field's text from the case it already has (renderer/src/caseFields.ts).
// Every value it offers must be what the core's template data holds for that field, written the way a
// document writes it (money in capitals, dates in Chinese).
import { describe, expect, it } from 'vitest';
import { buildTemplateData, listTemplateFields } from '../../../main/core/documents/fields';
import { yuanInCapitals } from '../../../main/core/domain/money';
import { cstDate } from '../../../main/core/domain/calendar';
import { formatChineseDate } from '../../../main/core/domain/calendar/cst';
import { fieldValues, insertableFields } from '../../../renderer/src/caseFields';
import { AGENCY, NOW, citizenCase, fullCase, fullDraft, returnedCase } from '../templates/fixture';

function at(data: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), data);
}

describe('case field values', () => {
  const types = new Map(listTemplateFields().map((f) => [f.path, f.type]));
  for (const [name, make] of [['fullCase', fullCase], ['returnedCase', returnedCase], ['citizenCase', citizenCase]] as const) {
    it(`match the core's template data (${name})`, async () => {
      const detail = make();
      const data = buildTemplateData(detail, AGENCY, { now: NOW, draft: fullDraft });
      const values = fieldValues({ detail, agencyName: AGENCY.name, docPrefix: AGENCY.docPrefix, today: cstDate(NOW), draft: { ...fullDraft } });
      expect(Object.keys(values).length).toBeGreaterThan(30);
      for (const [path, value] of Object.entries(values)) {
        const raw = at(data, path);
        const type = types.get(path);
        expect(type, path).toBeDefined();
        const expected =
          type === 'money'
            ? yuanInCapitals(raw as number)
            : type === 'date'
              ? formatChineseDate(raw as string)
              : type === 'datetime'
                ? formatChineseDate(cstDate(new Date(raw as string)))
                : String(raw);
        expect(value, path).toBe(expected);
      }
    });
  }

  it('offers scalar fields only, with the fine in capitals and the party', async () => {
    const detail = fullCase();
    const values = fieldValues({ detail, agencyName: AGENCY.name, docPrefix: AGENCY.docPrefix, today: '2026-11-23' });
    const offered = insertableFields(
      listTemplateFields().map((f) => ({ path: f.path, label: f.label, type: f.type, optional: !!f.optional })),
      values,
    );
    expect(offered.find((f) => f.path === 'fineCapitals')?.value).toBe('伍万元整');
    expect(offered.find((f) => f.path === 'party.name')?.value).toBe('江苏某某食品有限公司');
    expect(offered.find((f) => f.path === 'date')?.value).toBe('2026年11月23日');
    expect(offered.some((f) => f.path.includes('[]') || f.type === 'list' || f.type === 'object')).toBe(false);
  });
});
