import path from 'node:path';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { applySegments, comparisonDocx, diffModels, diffSubmissions, diffText, hasChanges, type DiffSegment } from '../../../main/core/documents/diff';
import { loadTemplateDir, renderTemplate } from '../../../main/core/documents/template';
import { buildTemplateData } from '../../../main/core/documents/fields';
import type { DocModel } from '../../../main/core/documents/model';
import { AGENCY, NOW, fullCase, fullDraft } from './fixture';

const roundTrip = (a: string, b: string): DiffSegment[] => {
  const segs = diffText(a, b);
  expect(applySegments(segs, 'before')).toBe(a);
  expect(applySegments(segs, 'after')).toBe(b);
  return segs;
};

describe('character diff of Chinese text', () => {
  it('changes exactly the changed characters', async () => {
    expect(roundTrip('并处罚款人民币伍万元整', '并处罚款人民币叁万元整')).toEqual([
      { op: 'equal', text: '并处罚款人民币' },
      { op: 'delete', text: '伍' },
      { op: 'insert', text: '叁' },
      { op: 'equal', text: '万元整' },
    ]);
  });

  it('insertions and deletions inside a sentence', async () => {
    const segs = roundTrip('当事人自2026年8月起销售上述酸奶，违法所得860元。', '当事人自2026年8月31日起销售上述酸奶，违法所得共计860元。');
    expect(segs.filter((s) => s.op === 'insert').map((s) => s.text)).toEqual(['31日', '共计']);
    expect(segs.some((s) => s.op === 'delete')).toBe(false);
  });

  it('never splits a character outside the Basic Multilingual Plane', async () => {
    const segs = roundTrip('𠮷野家𡈽', '𠮷田家𡈽');
    for (const s of segs) expect(s.text).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/);
    expect(segs).toEqual([
      { op: 'equal', text: '𠮷' },
      { op: 'delete', text: '野' },
      { op: 'insert', text: '田' },
      { op: 'equal', text: '家𡈽' },
    ]);
  });

  it('semantic cleanup folds stray common characters; the raw diff keeps them; both reconstruct', async () => {
    const a = '〔待填写：法律适用理由〕';
    const b = '当事人的行为违反了食品安全法的规定，应当依法予以处罚。';
    expect(roundTrip(a, b)).toEqual([
      { op: 'delete', text: a },
      { op: 'insert', text: b },
    ]);
    const raw = diffText(a, b, { semantic: false });
    expect(raw.filter((s) => s.op === 'equal').length).toBeGreaterThan(0);
    expect(applySegments(raw, 'before')).toBe(a);
    expect(applySegments(raw, 'after')).toBe(b);
  });

  it('edge cases: equal, empty sides', async () => {
    expect(roundTrip('相同', '相同')).toEqual([{ op: 'equal', text: '相同' }]);
    expect(roundTrip('', '')).toEqual([]);
    expect(roundTrip('', '新增')).toEqual([{ op: 'insert', text: '新增' }]);
    expect(roundTrip('删除', '')).toEqual([{ op: 'delete', text: '删除' }]);
    expect(hasChanges(diffText('甲', '甲'))).toBe(false);
  });

  it('reconstructs both sides of random Chinese texts', async () => {
    const alphabet = '的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处理府研质';
    let seed = 7;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const text = (n: number) => Array.from({ length: n }, () => alphabet[rnd(alphabet.length)]).join('');
    for (let i = 0; i < 200; i++) {
      const a = text(rnd(60));
      const chars = Array.from(a);
      for (let k = rnd(6); k > 0; k--) {
        const at = rnd(chars.length + 1);
        if (rnd(2)) chars.splice(at, 1);
        else chars.splice(at, 0, ...text(1 + rnd(4)));
      }
      roundTrip(a, chars.join(''));
      const raw = diffText(a, chars.join(''), { semantic: false });
      expect(applySegments(raw, 'before')).toBe(a);
      expect(applySegments(raw, 'after')).toBe(chars.join(''));
    }
  });
});

describe('diffSubmissions: what changed since we returned it', () => {
  const c = fullCase();
  const [first, second] = c.submissions;

  it('reports the changed fields with their Chinese names, and the unchanged ones', async () => {
    const d = diffSubmissions(first, second);
    expect(d.fromRound).toBe(1);
    expect(d.toRound).toBe(2);
    expect(d.changeNote).toContain('补充了保质期标签照片');
    expect(d.changes.map((x) => x.label)).toEqual(['违法事实', '证据材料', '附件']);
    expect(d.unchanged).toContain('法律依据');
    expect(d.unchanged).toContain('罚款金额');

    const facts = d.changes[0];
    expect(facts.type).toBe('text');
    expect(applySegments(facts.segments!, 'before')).toBe(first.facts);
    expect(applySegments(facts.segments!, 'after')).toBe(second.facts);
    expect(facts.segments!.filter((s) => s.op === 'insert').map((s) => s.text).join('')).toBe('共计（销售40盒，每盒21.5元）');

    const evidence = d.changes[1];
    expect(evidence.added).toEqual(['涉案食品外包装保质期标签照片4张', '当事人进货查验记录']);
    expect(evidence.removed).toEqual([]);
    expect(d.changes[2].added).toEqual(['保质期标签照片.zip（2.2 MB）']);
  });

  it('covers basis, decision, fine, procedure, officers, party and attachments', async () => {
    const b = {
      ...second,
      legalBasis: [second.legalBasis[1]],
      proposedDecision: second.proposedDecision.replace('50,000', '30,000'),
      fineFen: 3_000_000,
      procedure: [...second.procedure, { step: '组织听证', date: '2026-10-05' }],
      officers: [second.officers[0], { id: 13, name: '钱进', certNo: '32070001236' }],
      party: { ...second.party, address: '江苏省连云港市海州区朝阳东路99号' },
      attachments: [{ ...second.attachments[0], name: '检查笔录（改名）.pdf' }, second.attachments[2]],
    };
    const d = diffSubmissions(second, b);
    const by = new Map(d.changes.map((x) => [x.field, x]));
    expect([...by.keys()]).toEqual(['partyAddress', 'legalBasis', 'proposedDecision', 'fine', 'procedure', 'officers', 'attachments']);
    expect(by.get('legalBasis')!.removed).toEqual(['《中华人民共和国食品安全法》第三十四条第（十）项']);
    expect(by.get('fine')).toMatchObject({ type: 'value', before: '50,000元（伍万元整）', after: '30,000元（叁万元整）' });
    expect(by.get('procedure')!.added).toEqual(['2026年10月5日 组织听证']);
    expect(by.get('officers')).toMatchObject({ added: ['钱进（执法证号：32070001236）'], removed: ['赵丽（执法证号：32070001235）'] });
    expect(by.get('partyAddress')!.segments).toEqual([
      { op: 'equal', text: '江苏省连云港市海州区朝阳东路' },
      { op: 'delete', text: '88' },
      { op: 'insert', text: '99' },
      { op: 'equal', text: '号' },
    ]);
    // Same content under a new name is the same file; only the really removed one is reported.
    expect(by.get('attachments')!.removed).toEqual(['询问笔录.pdf（294.5 KB）']);
    expect(by.get('attachments')!.added).toEqual([]);
  });

  it('identical submissions have no changes', async () => {
    expect(diffSubmissions(second, { ...second, round: 3 }).changes).toEqual([]);
  });
});

describe('diffModels and the Word comparison', () => {
  const template = loadTemplateDir(path.resolve(__dirname, '../../../templates')).get('penalty-decision')!;
  const draftModel = renderTemplate(template, buildTemplateData(fullCase(), AGENCY, { now: NOW }));
  const finalModel = renderTemplate(template, buildTemplateData(fullCase(), AGENCY, { now: NOW, docSerial: 12, draft: fullDraft }));

  it('pairs edited blocks and keeps the rest equal', async () => {
    const d = diffModels(draftModel, finalModel);
    expect(d.identical).toBe(false);
    expect(d.header.map((h) => h.field)).toEqual(['docNumber']);
    const changed = d.blocks.filter((b) => b.op === 'change');
    const reasoning = changed.find((b) => b.before?.type === 'placeholder' && 'text' in b.before && b.before.text.includes('法律适用理由'))!;
    expect(reasoning.after?.type).toBe('paragraph');
    expect(applySegments(reasoning.segments!, 'before')).toBe('本机关认为，〔待填写：法律适用理由〕');
    expect(reasoning.segments![0]).toEqual({ op: 'equal', text: '本机关认为，' });
    const inserted = d.blocks.filter((b) => b.op === 'insert').map((b) => (b.after && 'text' in b.after ? b.after.text : ''));
    expect(inserted).toContain('缴款账户（地点）：某市财政局非税收入汇缴结算户。');
    // Filling a placeholder reads as one deletion and one insertion, not a scatter of shared characters.
    expect(reasoning.segments!.map((x) => x.op)).toEqual(['equal', 'delete', 'insert']);
    expect(reasoning.segments![1]).toEqual({ op: 'delete', text: '〔待填写：法律适用理由〕' });
    const deadline = changed.find((b) => b.after && 'text' in b.after && b.after.text.startsWith('履行期限'))!;
    expect(deadline.segments).toEqual([
      { op: 'equal', text: '履行期限：' },
      { op: 'delete', text: '〔待填写：履行期限〕' },
      { op: 'insert', text: '自收到本决定书之日起十五日内。' },
    ]);
    // Every block of both sides is accounted for, in order.
    expect(d.blocks.filter((b) => b.before).map((b) => b.before)).toEqual(draftModel.blocks);
    expect(d.blocks.filter((b) => b.after).map((b) => b.after)).toEqual(finalModel.blocks);
    expect(diffModels(finalModel, finalModel).identical).toBe(true);
  });

  it('diffs tables of the same shape cell by cell', async () => {
    const a: DocModel = { kind: 'x', title: '表', blocks: [{ type: 'table', rows: [['罚款', '伍万元整']] }], signature: { agency: '某局', date: '2026年1月1日' } };
    const b: DocModel = { ...a, blocks: [{ type: 'table', rows: [['罚款', '叁万元整']] }] };
    const [c] = diffModels(a, b).blocks;
    expect(c.op).toBe('change');
    expect(c.cells![0][1]).toEqual([
      { op: 'delete', text: '伍' },
      { op: 'insert', text: '叁' },
      { op: 'equal', text: '万元整' },
    ]);
  });

  it('exports the comparison as a Word file with tracked insertions and deletions', async () => {
    const buf = await comparisonDocx(draftModel, finalModel, { author: '王明', date: '2026-11-23T02:00:00Z', subtitle: '草稿与定稿对照' });
    expect(buf.subarray(0, 2).toString()).toBe('PK');
    const xml = readZipEntry(buf, 'word/document.xml');
    expect(xml).toContain('<w:ins ');
    expect(xml).toContain('<w:del ');
    expect(xml).toContain('w:author="王明"');
    expect(xml).toMatch(/<w:delText[^>]*>〔待填写：法律适用理由〕<\/w:delText>/);
    expect(xml).toContain('某市监罚〔2026〕12号');
    expect(readZipEntry(buf, 'word/settings.xml')).toContain('w:trackRevisions');
  });
});

/** Minimal ZIP reader (central directory + deflate) for checking the generated DOCX. */
function readZipEntry(zip: Buffer, name: string): string {
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const count = zip.readUInt16LE(eocd + 10);
  let p = zip.readUInt32LE(eocd + 16);
  for (let i = 0; i < count; i++) {
    const method = zip.readUInt16LE(p + 10);
    const size = zip.readUInt32LE(p + 20);
    const nameLen = zip.readUInt16LE(p + 28);
    const extraLen = zip.readUInt16LE(p + 30);
    const commentLen = zip.readUInt16LE(p + 32);
    const local = zip.readUInt32LE(p + 42);
    const entry = zip.subarray(p + 46, p + 46 + nameLen).toString();
    if (entry === name) {
      const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
      const data = zip.subarray(start, start + size);
      return (method === 8 ? zlib.inflateRawSync(data) : data).toString('utf8');
    }
    p += 46 + nameLen + extraLen + commentLen;
  }
  throw new Error(`${name} not in zip`);
}
