import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadTemplateDir, modelToText, parseTemplate, renderCaseDocument, renderTemplate, type Template } from '../../../main/core/documents/template';
import {
  buildTemplateData,
  checkDataAgainstSchema,
  chineseNumber,
  listTemplateFields,
  maskIdentifier,
  maskPersonName,
  meetingTemplateData,
  type TemplateData,
} from '../../../main/core/documents/fields';
import { unfilledPlaceholders } from '../../../main/core/documents/completeness';
import type { DocModel } from '../../../main/core/documents/model';
import { AGENCY, CITIZEN_ID, NOW, citizenCase, fullCase,
  endedCase, fullDraft, meetingItem, meetingView, returnedCase } from './fixture';

const TEMPLATES_DIR = path.resolve(__dirname, '../../../templates');
const templates = loadTemplateDir(TEMPLATES_DIR);

const SHIPPED = [
  'submission-form',
  'filing-report',
  'review-opinion',
  'return-notice',
  'rereview-request',
  'rereview-opinion',
  'discussion-minutes',
  'approval-form',
  'penalty-decision',
  'disclosure',
  'no-penalty-decision',
];

const fullData = (): TemplateData =>
  buildTemplateData(fullCase(), AGENCY, {
    docSerial: 12,
    now: NOW,
    draft: fullDraft,
    handlingUnit: '执法稽查支队',
    meeting: meetingTemplateData(meetingView, meetingItem),
  });

/** The example each template is meant for: the return notice right after the return, the rest at the end. */
const exampleFor = (id: string): TemplateData =>
  id === 'return-notice'
    ? buildTemplateData(returnedCase(), AGENCY, { now: NOW, handlingUnit: '执法稽查支队' })
    : id === 'no-penalty-decision'
      ? buildTemplateData(endedCase(), AGENCY, { now: NOW, docSerial: 13 })
      : fullData();

const render = (id: string, data: TemplateData = exampleFor(id)): DocModel => renderTemplate(templates.get(id)!, data);

/** Every string of a model, for "nothing left unfilled" checks. */
const allText = (m: DocModel): string => [modelToText(m), m.title, m.docNumber ?? '', m.recipient ?? '', m.signature.agency, m.signature.date].join('\n');

describe('shipped templates', () => {
  it('ships exactly the eleven documents, each valid against the field schema', async () => {
    expect([...templates.keys()].sort()).toEqual([...SHIPPED].sort());
    for (const t of templates.values()) {
      expect(t.title).toMatch(/[\u4e00-\u9fff]/);
      expect(['internal', 'external', 'public']).toContain(t.kind);
    }
    expect(templates.get('penalty-decision')!.applies).toEqual(['penalty']);
  });

  it('the example data has exactly the shape of the schema', async () => {
    expect(checkDataAgainstSchema(fullData())).toEqual([]);
    expect(checkDataAgainstSchema(exampleFor('return-notice'))).toEqual([]);
    expect(checkDataAgainstSchema(buildTemplateData(citizenCase(), AGENCY, { now: NOW }))).toEqual([]);
  });

  it.each(SHIPPED)('%s renders for the example case with no unfilled field and no {{', (id) => {
    const m = render(id);
    const text = allText(m);
    expect(text).not.toContain('{{');
    expect(text).not.toContain('}}');
    expect(text).not.toContain('〔待填写');
    expect(text).not.toContain('undefined');
    expect(text).not.toContain('null');
    expect(text).not.toContain('。。');
    expect(unfilledPlaceholders(m)).toEqual([]);
    expect(m.blocks.filter((b) => b.type === 'placeholder')).toEqual([]);
    expect(m.kind).toBe(id);
    expect(m.signature.agency).toBe('某市市场监督管理局');
    expect(m.signature.date).toMatch(/^\d{4}年\d{1,2}月\d{1,2}日$/);
    expect(m.blocks.length).toBeGreaterThan(0);
  });

  it('review opinion: nine findings, each with its reason, the outcome, the reviewer and the suggestions', async () => {
    const m = render('review-opinion', buildTemplateData(fullCase(), AGENCY, { now: NOW, handlingUnit: '执法稽查支队' }));
    const table = m.blocks.find((b) => b.type === 'table');
    expect(table?.type).toBe('table');
    if (table?.type !== 'table') return;
    expect(table.header).toBe(true);
    expect(table.rows).toHaveLength(10);
    expect(table.rows[0]).toEqual(['序号', '审核内容', '结论', '理由']);
    expect(table.rows.slice(1).map((r) => r[0])).toEqual(['一', '二', '三', '四', '五', '六', '七', '八', '九']);
    expect(table.rows[6]).toEqual(['六', '自由裁量权行使是否适当', '不符合', expect.stringContaining('从轻')]);
    expect(table.widths).toEqual([8, 30, 12, 50]);
    const text = modelToText(m);
    expect(m.recipient).toBe('执法稽查支队');
    expect(text).toContain('审核结论：不同意');
    expect(text).toContain('审核人：孙磊');
  });

  it('return notice lists the defects and the concrete requests', async () => {
    const text = modelToText(render('return-notice'));
    expect(text).toContain('（一）事实是否清楚，证据是否充分——需补正。');
    expect(text).toContain('（三）说明违法所得的计算方法');
    expect(text).toContain('书面申请复审，复审以一次为限');
  });

  it('re-review documents bind to the request, the contested opinion and the re-review', async () => {
    const req = modelToText(render('rereview-request'));
    expect(req).toContain('审核人陈静，审核结论为“不同意”');
    expect(req).toContain('社会影响较大，不宜从轻处罚。');
    const op = render('rereview-opinion');
    expect(modelToText(op)).toContain('经复审，维持原审核意见。复审结论：不同意。');
    expect(op.signature.date).toBe('2026年10月21日');
  });

  it('discussion minutes record time, place, chair, attendance, each opinion, dissent and decision', async () => {
    const text = modelToText(render('discussion-minutes'));
    for (const s of [
      '2026年11月5日 09:05',
      '局机关三楼第一会议室',
      '| 主持人 | 刘建国 |',
      '刘建国、周红、吴刚、郑伟',
      '冯敏（因公出差）',
      '（二）周红：不同意。应当采纳法制机构意见。',
      '（三）吴刚：同意。未说明理由。',
      '周红认为应当采纳法制机构意见',
      '经集体讨论，决定：批准。',
      '本决定未采纳法制机构的审核意见',
    ]) {
      expect(text).toContain(s);
    }
  });

  it('approval form shows a head override first and prominently, with the reason', async () => {
    const m = render('approval-form');
    expect(m.blocks[0]).toEqual({ type: 'heading1', text: '负责人改变或者不采纳法制审核意见' });
    expect(modelToText(m)).toContain('理由：涉案食品为儿童常食用的乳制品');
    const plain = render('approval-form', buildTemplateData(citizenCase(), AGENCY, { now: NOW }));
    expect(modelToText(plain)).not.toContain('改变或者不采纳');
  });

  it('penalty decision states every part of 行政处罚法第五十九条 in the reasoned style', async () => {
    const m = render('penalty-decision');
    const text = modelToText(m);
    expect(m.docNumber).toBe('某市监罚〔2026〕12号');
    for (const s of [
      '当事人：江苏某某食品有限公司',
      '住所（地址）：江苏省连云港市海州区朝阳东路88号',
      '经查明：2026年9月3日',
      '（六）当事人进货查验记录。',
      '本机关认为，当事人销售超过保质期的食品',
      '当事人提出的陈述、申辩意见：',
      '不予采纳',
      '罚款人民币伍万元整（50,000元）',
      '履行期限：自收到本决定书之日起十五日内。',
      '六十日内向某市人民政府申请行政复议',
      '六个月内依法向连云港市海州区人民法院提起行政诉讼',
    ]) {
      expect(text).toContain(s);
    }
  });

  it('penalty decision without the drafter’s parts shows them as placeholder blocks', async () => {
    const m = render('penalty-decision', buildTemplateData(fullCase(), AGENCY, { now: NOW }));
    const ph = m.blocks.filter((b) => b.type === 'placeholder').map((b) => b.text);
    expect(ph).toContain('本机关认为，〔待填写：法律适用理由〕');
    expect(ph).toContain('〔待填写：对当事人陈述、申辩的采纳情况及理由〕');
    expect(m.docNumber).toBe('〔待填写：文号〕');
    expect(unfilledPlaceholders(m).map((p) => p.label)).toEqual([
      '文号',
      '法律适用理由',
      '对当事人陈述、申辩的采纳情况及理由',
      '履行方式',
      '履行期限',
      '行政复议机关',
      '管辖的人民法院',
    ]);
  });

  it('renderCaseDocument refuses a penalty-only template for another kind of decision', async () => {
    const licence = { ...fullCase(), kind: 'license' as const };
    await expect((async () => renderCaseDocument(templates.get('penalty-decision')!, licence, AGENCY, { now: NOW }))()).rejects.toThrow(
      '“行政处罚决定书”只适用于行政处罚案件，本案为行政许可。',
    );
    expect(renderCaseDocument(templates.get('review-opinion')!, licence, AGENCY, { now: NOW }).title).toBe('法制审核意见书');
  });

  it('minutes without a meeting are a list of what to record, not an empty form', async () => {
    const m = render('discussion-minutes', buildTemplateData(fullCase(), AGENCY, { now: NOW }));
    expect(unfilledPlaceholders(m).map((p) => p.label)).toContain('参会人员逐一发表的意见');
    expect(allText(m)).not.toContain('{{');
  });
});

describe('amounts, dates and numbers through the template filters', () => {
  const t: Template = parseTemplate(
    '---\nid: probe\ntitle: 金额\nkind: internal\n---\n[noindent]{{#if fine}}{{fine | capitals}}/{{fine | yuan}}{{/if}}\n[noindent]{{date | cn}}/{{decision.reconsiderationDays | cnNum}}\n',
    'probe.txt',
  );
  const withFine = (fen: number) => {
    const c = fullCase();
    c.submissions = [{ ...c.submissions[1], fineFen: fen }];
    return renderTemplate(t, buildTemplateData(c, AGENCY, { date: '2026-11-23' }));
  };
  const first = (m: DocModel) => (m.blocks[0].type === 'table' ? '' : m.blocks[0].text);

  it.each([
    [5_000_000, '伍万元整', '50,000元'],
    [1_234_567, '壹万贰仟叁佰肆拾伍元陆角柒分', '12,345.67元'],
    [10_000_500, '壹拾万零伍元整', '100,005元'],
    [600_000, '陆仟元整', '6,000元'],
  ])('%i fen → %s', (fen, capitals, yuan) => {
    expect(first(withFine(fen))).toBe(`${capitals}/${yuan}`);
  });

  it('dates in Chinese, numbers in Chinese', async () => {
    expect(withFine(100).blocks[1]).toEqual({ type: 'paragraph', text: '2026年11月23日/六十', indent: false });
    expect([1, 10, 15, 60, 105, 2026].map(chineseNumber)).toEqual(['一', '十', '十五', '六十', '一百零五', '二千零二十六']);
  });

  it('document number is prefix〔year〕serial号 from the document date', async () => {
    const d = buildTemplateData(fullCase(), AGENCY, { docSerial: 7, date: '2027-01-04' });
    expect(d.docNumber).toBe('某市监罚〔2027〕7号');
    expect(d.dateCn).toBe('2027年1月4日');
    expect(buildTemplateData(fullCase(), AGENCY, { now: NOW }).docNumber).toBeUndefined();
  });
});

describe('disclosure', () => {
  const m = render('disclosure', buildTemplateData(citizenCase(), AGENCY, { docSerial: 3, now: NOW }));
  const text = allText(m);

  it('masks a citizen’s name and ID everywhere, including inside the facts and the case title', async () => {
    expect(text).not.toContain('张三');
    expect(text).not.toContain(CITIZEN_ID);
    expect(text).not.toContain('13812345678');
    expect(text).toContain('| 当事人 | 张某 |');
    expect(text).toContain(`| 公民身份号码 | ${CITIZEN_ID.slice(0, 6)}********${CITIZEN_ID.slice(14)} |`);
    expect(text).toContain('张某无证经营食品案');
    expect(text).toContain('138****5678');
    expect(m.docNumber).toBe('某市监罚〔2026〕3号');
  });

  it('does not publish a citizen’s address', async () => {
    expect(text).not.toContain('北京市朝阳区');
  });

  it('shows an organisation’s name and credit code as they are', async () => {
    const org = allText(render('disclosure'));
    expect(org).toContain('| 当事人 | 江苏某某食品有限公司 |');
    expect(org).toMatch(/\| 统一社会信用代码 \| 91320700MA1P8K2QX. \|/);
  });

  it('masking helpers', async () => {
    expect(maskPersonName('张三')).toBe('张某');
    expect(maskPersonName('欧阳娜娜')).toBe('欧阳某');
    expect(maskIdentifier('110105199003071234')).toBe('110105********1234');
    expect(maskIdentifier('13812345678')).toBe('138****5678');
  });
});

describe('field list for administrators', () => {
  it('lists every field with a Chinese label, optional ones marked', async () => {
    const fields = listTemplateFields();
    const byPath = new Map(fields.map((f) => [f.path, f]));
    expect(byPath.get('party.name')).toMatchObject({ type: 'text', optional: false, label: '姓名或者名称' });
    expect(byPath.get('fine')).toMatchObject({ type: 'money', optional: true });
    expect(byPath.get('rereview.request.reasons')).toMatchObject({ type: 'text' });
    expect(byPath.get('meeting')).toMatchObject({ optional: true });
    expect(byPath.get('reviews.last.findings[].reason')).toMatchObject({ type: 'text' });
    for (const f of fields) expect(f.label, f.path).toMatch(/[\u4e00-\u9fff]/);
  });
});
