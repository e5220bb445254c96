// The editor mapping (renderer/src/docmodel.ts): DocModel → editor JSON → DocModel gives back exactly the
// model, for every block type, with placeholders, line breaks and Chinese text intact.
import { describe, expect, it } from 'vitest';
import type { DocModel } from '../../../main/core/documents/model';
import {
  countChars,
  editorToModel,
  markerLabels,
  markerRanges,
  modelToEditor,
  sameModel,
  stableJson,
  type EditorNode,
} from '../../../renderer/src/docmodel';
import { sampleReviewOpinion } from '../documents/sample-model';

const roundTrip = (m: DocModel): DocModel => editorToModel(modelToEditor(m), { ...m, blocks: [] });
/** The editor hands back plain JSON: the round trip must survive serialisation too. */
const viaJson = (m: DocModel): DocModel => editorToModel(JSON.parse(JSON.stringify(modelToEditor(m))) as EditorNode, { ...m, blocks: [] });

const EVERY_BLOCK: DocModel = {
  kind: 'penalty-decision',
  title: '行政处罚决定书',
  docNumber: '〔待填写：文号〕',
  recipient: '北京某某科技有限公司',
  blocks: [
    { type: 'paragraph', text: '当事人：北京某某科技有限公司', indent: false },
    { type: 'paragraph', text: '统一社会信用代码：91110000600037341L', indent: true },
    { type: 'paragraph', text: '本机关依法对“某科技有限公司发布虚假广告案”进行了立案调查，现已调查终结。' },
    { type: 'heading1', text: '一、违法事实' },
    { type: 'heading2', text: '（一）查明的事实' },
    { type: 'paragraph', text: '第一行\n第二行（含换行）\n', align: 'left' },
    { type: 'paragraph', text: '审核人：王审核', align: 'right' },
    { type: 'paragraph', text: '特此决定', align: 'center', indent: false },
    { type: 'paragraph', text: '' },
    { type: 'placeholder', text: '本机关认为，〔待填写：法律适用理由〕' },
    { type: 'placeholder', text: '〔待填写：对当事人陈述、申辩的采纳情况及理由〕' },
    { type: 'placeholder', text: '此处须补充说明（手写的待填写内容，没有标记）' },
    { type: 'placeholder', text: '' },
    { type: 'table', header: true, rows: [['序号', '审核内容', '结论', '理由'], ['一', '执法主体是否合法', '符合', ''], ['二', '审批日期', '〔待填写：审批日期〕', '多行\n理由']], widths: [8, 30, 12, 50] },
    { type: 'table', rows: [['项目', '内容']] },
    { type: 'table', header: false, rows: [] },
    { type: 'heading1', text: '' },
    { type: 'paragraph', text: '😀 𠮷 〇 ｜ emoji and astral characters' },
  ],
  signature: { agency: '北京市某区市场监督管理局', date: '2026年11月23日', signer: { name: '张承办', role: '承办人' } },
  provisional: true,
};

describe('docmodel round trip', () => {
  it('gives back every block type exactly', async () => {
    expect(roundTrip(EVERY_BLOCK)).toEqual(EVERY_BLOCK);
    expect(viaJson(EVERY_BLOCK)).toEqual(EVERY_BLOCK);
    expect(stableJson(viaJson(EVERY_BLOCK))).toBe(stableJson(EVERY_BLOCK));
    expect(sameModel(viaJson(EVERY_BLOCK), EVERY_BLOCK)).toBe(true);
  });

  it('keeps optional attributes absent when the model had none', async () => {
    const back = viaJson(EVERY_BLOCK);
    expect(Object.keys(back.blocks[2]).sort()).toEqual(['text', 'type']);
    expect(Object.keys(back.blocks[14]).sort()).toEqual(['rows', 'type']);
    expect(back.docNumber).toBe('〔待填写：文号〕');
  });

  it('round-trips a realistic review opinion (nine findings table, Chinese text)', async () => {
    const m = sampleReviewOpinion(3);
    expect(viaJson(m)).toEqual(m);
    const json = JSON.stringify(modelToEditor(m));
    expect(json).toContain('执法主体是否合法，执法人员是否具有执法资格');
    expect(json).toContain('综上，本案执法主体合法');
  });

  it('maps blocks to headings, paragraphs with attrs, placeholder paragraphs and table atoms', async () => {
    const doc = modelToEditor(EVERY_BLOCK);
    const c = doc.content!;
    expect(doc.type).toBe('doc');
    expect(c[3]).toEqual({ type: 'heading', attrs: { level: 1 }, content: [{ type: 'text', text: '一、违法事实' }] });
    expect(c[4].attrs).toEqual({ level: 2 });
    expect(c[0].attrs).toEqual({ indent: false, align: null, placeholder: null });
    expect(c[5].content!.map((n) => n.type)).toEqual(['text', 'hardBreak', 'text', 'hardBreak']);
    expect(c[8].content).toBeUndefined();
    expect(c[9]).toMatchObject({ type: 'paragraph', attrs: { placeholder: '本机关认为，〔待填写：法律适用理由〕' } });
    expect(c[9].content).toEqual([{ type: 'text', text: '本机关认为，〔待填写：法律适用理由〕' }]);
    expect(c[13]).toMatchObject({ type: 'docTable', attrs: { header: true, widths: [8, 30, 12, 50] } });
    expect(c[13].content).toBeUndefined();
  });
});

describe('editing in the editor', () => {
  const base: DocModel = { ...EVERY_BLOCK, blocks: [] };
  const para = (text: string, attrs: Record<string, unknown> = {}): EditorNode => ({
    type: 'paragraph',
    attrs: { indent: null, align: null, placeholder: null, ...attrs },
    content: text ? [{ type: 'text', text }] : undefined,
  });

  it('a placeholder stays a placeholder while a marker is left, and becomes a paragraph once filled in', async () => {
    const original = '履行期限：〔待填写：履行期限〕';
    const half = editorToModel({ type: 'doc', content: [para('履行期限：自收到本决定书之日起十五日内〔待填写：履行期限〕', { placeholder: original })] }, base);
    expect(half.blocks).toEqual([{ type: 'placeholder', text: '履行期限：自收到本决定书之日起十五日内〔待填写：履行期限〕' }]);
    const filled = editorToModel({ type: 'doc', content: [para('履行期限：自收到本决定书之日起十五日内。', { placeholder: original })] }, base);
    expect(filled.blocks).toEqual([{ type: 'paragraph', text: '履行期限：自收到本决定书之日起十五日内。' }]);
  });

  it('typed Chinese text, marks and edited table cells come back as plain model text', async () => {
    const doc: EditorNode = {
      type: 'doc',
      content: [
        { type: 'paragraph', attrs: { indent: null, align: 'right', placeholder: null }, content: [{ type: 'text', text: '经审核，' }, { type: 'text', text: '同意', marks: [{ type: 'bold' }] }, { type: 'text', text: '。另建议加强普法宣传。' }] },
        { type: 'docTable', attrs: { rows: [['一', '符合']], header: null, widths: null } },
        { type: 'heading', attrs: { level: 3 }, content: [{ type: 'text', text: '（三）小标题' }] },
        { type: 'bulletList', content: [{ type: 'listItem', content: [para('粘贴进来的列表项')] }] },
      ],
    };
    expect(editorToModel(doc, base).blocks).toEqual([
      { type: 'paragraph', text: '经审核，同意。另建议加强普法宣传。', align: 'right' },
      { type: 'table', rows: [['一', '符合']] },
      { type: 'heading2', text: '（三）小标题' },
      { type: 'paragraph', text: '粘贴进来的列表项' },
    ]);
  });

  it('takes title, number, recipient and signature from the base model', async () => {
    const m = editorToModel({ type: 'doc', content: [para('正文')] }, { ...base, title: '法制审核意见书', docNumber: undefined });
    expect(m).toMatchObject({ kind: 'penalty-decision', title: '法制审核意见书', recipient: '北京某某科技有限公司', signature: base.signature, provisional: true });
    expect('docNumber' in m && m.docNumber !== undefined).toBe(false);
  });
});

describe('drafting helpers', () => {
  it('counts the characters of the body without white space', async () => {
    expect(countChars({ blocks: [{ type: 'paragraph', text: '经审核， 同意。\n' }, { type: 'table', rows: [['序号', 'ab']] }] })).toBe(11);
    expect(countChars({ blocks: [{ type: 'paragraph', text: '𠮷😀' }] })).toBe(2);
  });

  it('finds every marker, including hand-written placeholder blocks', async () => {
    expect(markerLabels(EVERY_BLOCK)).toEqual(['文号', '法律适用理由', '对当事人陈述、申辩的采纳情况及理由', '审批日期', '此处须补充说明（手写的待填写内容，没有标记）', '']);
    expect(markerRanges('本机关认为，〔待填写：法律适用理由〕。')).toEqual([[6, 18]]);
  });
});

describe('through the editor schema', () => {
  it('the editor accepts the JSON as it is and gives back the same model', async () => {
    // The real extensions (StarterKit subset, paragraph attrs, the docTable atom): ProseMirror parses
    // the JSON into its document and serialises it again, as the editor does on every change.
    const { getSchema } = await import('@tiptap/react');
    const { Node } = await import('@tiptap/pm/model');
    const { docExtensions } = await import('../../../renderer/src/editor/extensions');
    const schema = getSchema(docExtensions());
    for (const m of [EVERY_BLOCK, sampleReviewOpinion(2)]) {
      const doc = Node.fromJSON(schema, modelToEditor(m));
      doc.check();
      const back = editorToModel(JSON.parse(JSON.stringify(doc.toJSON())) as EditorNode, { ...m, blocks: [] });
      expect(back).toEqual(m);
    }
  });
});
