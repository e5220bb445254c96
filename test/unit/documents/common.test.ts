import { describe, expect, it } from 'vitest';
import { checkModel, cleanText, columnWidths, pngSize, sealPng, signatureLines, textEm } from '../../../main/core/documents/common';
import { sampleReviewOpinion } from './sample-model';

describe('model checks shared by both renderers', () => {
  it('accepts the sample and refuses a document without title, agency or date', async () => {
    await expect((async () => checkModel(sampleReviewOpinion(), { final: true }))()).resolves.not.toThrow();
    await expect((async () => checkModel({ ...sampleReviewOpinion(), title: ' ' }))()).rejects.toThrow(/缺少标题/);
    const m = sampleReviewOpinion();
    await expect((async () => checkModel({ ...m, signature: { ...m.signature, date: '' } }))()).rejects.toThrow(/落款机关或成文日期/);
  });

  it('refuses placeholders only in final documents', async () => {
    const m = sampleReviewOpinion();
    m.blocks.push({ type: 'placeholder', text: '处罚金额' }, { type: 'placeholder', text: '送达日期' });
    await expect((async () => checkModel(m))()).resolves.not.toThrow();
    await expect((async () => checkModel(m, { final: true }))()).rejects.toThrow('文书中仍有待填写内容：【处罚金额】、【送达日期】');
  });

  it('cleans text and measures it in em', async () => {
    expect(cleanText('第一行\r\n第二行\t完\u0007')).toBe('第一行\n第二行  完');
    expect(textEm('法制审核')).toBe(4);
    expect(textEm('2026年')).toBe(3);
  });

  it('lists the signature lines, signer first when signed', async () => {
    const sig = sampleReviewOpinion().signature;
    expect(signatureLines(sig)).toEqual({ signer: undefined, agency: '某市市场监督管理局法制科', date: '2026年11月23日' });
    expect(signatureLines({ ...sig, signer: { name: '张三', role: '法制审核人员' } }).signer).toBe('法制审核人员：张三');
  });

  it('sizes table columns: weights when given, otherwise narrow columns fit and long ones share the rest', async () => {
    const rows = [
      ['序号', '审核事项', '结论', '理由'],
      ['1', '执法主体是否合法，执法人员是否具有执法资格', '符合', '本局系《中华人民共和国食品安全法》第六条规定的食品安全监督管理部门，具有本案管辖权。'],
    ];
    expect(columnWidths(rows, [1, 3, 1, 5], 1000, 14)).toEqual([100, 300, 100, 500]);
    const w = columnWidths(rows, undefined, 400, 14);
    expect(w.reduce((a, b) => a + b, 0)).toBeCloseTo(400, 6);
    expect(w[0]).toBeCloseTo(2 * 14 + 1, 6); // 序号: two characters
    expect(w[2]).toBeCloseTo(2 * 14 + 1, 6); // 结论
    expect(w[3]).toBeGreaterThan(w[1]); // reasons get the most room
  });

  it('accepts only PNG seals', async () => {
    const png = Buffer.from('89504e470d0a1a0a0000000d4948445200000010000000080806000000', 'hex');
    const padded = Buffer.concat([png, Buffer.alloc(8)]);
    expect(pngSize(sealPng(padded.toString('base64')))).toEqual({ width: 16, height: 8 });
    expect(sealPng(`data:image/png;base64,${padded.toString('base64')}`).length).toBe(padded.length);
    await expect((async () => sealPng(Buffer.from('GIF89a....................................').toString('base64')))()).rejects.toThrow(/不是有效的 PNG/);
  });
});
