// The administrator's font order decides which installed font a PDF role uses.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeFixture, type Fixture } from '../helpers/fixture';
import { refused } from '../helpers/refuse';
import { fontReport, setFontOrder } from '../../main/core/services/fonts';

let f: Fixture;
beforeEach(async () => {
  f = await makeFixture();
});
afterEach(async () => f.close());

describe('font order', () => {
  it('puts the administrator’s choice first; others may not change it; nonsense is refused', async () => {
    const before = (await fontReport(f.core)).roles.body;
    const serif = await setFontOrder(f.core, f.admin, { order: [{ file: 'NotoSerifCJK-Regular.ttc', face: 'NotoSerifCJKsc-Regular', style: 'fangsong' }] });
    expect(serif.roles.body).toContain('NotoSerifCJK-Regular.ttc');
    const sans = await setFontOrder(f.core, f.admin, { order: [{ file: 'NotoSansCJK-Regular.ttc', face: 'NotoSansCJKsc-Regular', style: 'fangsong' }] });
    expect(sans.roles.body).toContain('NotoSansCJK-Regular.ttc');
    expect(sans.roles.body).not.toBe(serif.roles.body);
    await refused(() => setFontOrder(f.core, f.reviewer, { order: [] }), 'FORBIDDEN');
    await refused(() => setFontOrder(f.core, f.admin, { order: [{ file: 'x.ttf', style: 'comic' }] }), 'VALIDATION');
    expect(typeof before).toBe('string');
  });
});
