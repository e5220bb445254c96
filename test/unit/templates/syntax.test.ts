import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../main/core/domain/errors';
import { loadTemplateDir, modelToText, parseTemplate, renderTemplate, TemplateError, validateTemplateSource } from '../../../main/core/documents/template';
import { buildTemplateData } from '../../../main/core/documents/fields';
import { AGENCY, NOW, fullCase, fullDraft } from './fixture';

const HEAD = '---\nid: probe\ntitle: 测试文书\nkind: internal\n---\n';
const data = () => buildTemplateData(fullCase(), AGENCY, { now: NOW, draft: fullDraft, docSerial: 5 });

/** Parses a body (line 6 is the first body line) and returns the refusal. */
function refusal(body: string, name = 'probe.txt'): TemplateError {
  try {
    parseTemplate(HEAD + body, name);
  } catch (err) {
    expect(err).toBeInstanceOf(TemplateError);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('VALIDATION');
    return err as TemplateError;
  }
  throw new Error('template was accepted');
}

const body = (text: string) => renderTemplate(parseTemplate(HEAD + text, 'probe.txt'), data()).blocks;

describe('broken templates are refused with the template name, line and column', () => {
  it('unknown field (with a suggestion)', async () => {
    const e = refusal('[noindent]当事人：{{party.name}}\n审核结论：{{reviws.last.outcomeLabel}}\n');
    expect(e.message).toContain('模板“probe.txt”第7行');
    expect(e.message).toContain('未知字段“reviws.last.outcomeLabel”');
    expect(e.message).toContain('是否应为“reviews”');
    expect(e.line).toBe(7);
    expect(e.column).toBe(6);
    expect(e.excerpt).toBe('{{reviws.last.outcomeLabel}}');
  });

  it('unknown sub-field', async () => {
    const e = refusal('\n\n{{party.nmae}}\n');
    expect(e.message).toMatch(/^模板“probe\.txt”第8行第1列：未知字段“party\.nmae”：“party”中没有“nmae”，是否应为“name”？/);
  });

  it('unknown filter', async () => {
    const e = refusal('罚款{{fine | capital}}\n');
    expect(e.message).toContain('第6行第3列');
    expect(e.message).toContain('未知过滤器“capital”，是否应为“capitals”？');
  });

  it('unclosed {{#if}} names the line where it was opened', async () => {
    const e = refusal('# 一、标题\n{{#if fine}}\n罚款{{fine | yuan}}\n');
    expect(e.message).toContain('模板“probe.txt”第7行第1列：{{#if}} 没有对应的 {{/if}}');
  });

  it('unclosed inline {{#if}}', async () => {
    const e = refusal('罚款{{#if fine}}{{fine | yuan}}\n{{/if}}\n');
    expect(e.message).toContain('第6行');
    expect(e.message).toContain('没有对应的 {{/if}}');
  });

  it('stray }}', async () => {
    const e = refusal('[noindent]当事人：{{party.name}}\n住所：party.address}}\n');
    expect(e.message).toContain('模板“probe.txt”第7行第17列：多余的“}}”');
  });

  it('unclosed {{', async () => {
    expect(refusal('当事人：{{party.name\n').message).toContain('第6行第5列：“{{”没有闭合');
  });

  it('mismatched and stray closing tags, stray else', async () => {
    expect(refusal('{{#each submission.evidence}}\n{{this}}\n{{/if}}\n').message).toContain('{{/if}} 与第6行第1列的 {{#each}} 不匹配');
    expect(refusal('{{/each}}\n').message).toContain('多余的 {{/each}}');
    expect(refusal('{{else}}\n').message).toContain('多余的 {{else}}');
  });

  it('a filter on the wrong type, and values that need a filter', async () => {
    expect(refusal('{{party.name | capitals}}\n').message).toContain('过滤器“capitals”只能用于金额字段');
    expect(refusal('{{#if fine}}{{fine}}{{/if}}\n').message).toContain('须用 | yuan');
    expect(refusal('{{date}}\n').message).toContain('须用 | cn');
    expect(refusal('{{submission.evidence}}\n').message).toContain('join');
    expect(refusal('{{party}}\n').message).toContain('是一组字段');
    expect(refusal('{{party.isCitizen}}\n').message).toContain('只能用于 {{#if}}');
  });

  it('a possibly-empty field must be guarded by {{#if}} or given fill / or', async () => {
    const e = refusal('审核意见：{{reviews.last.opinion}}\n');
    expect(e.message).toContain('字段“reviews.last”（最近一次审核（含复审））可能为空');
    await expect((async () => parseTemplate(`${HEAD}{{#if reviews.last}}{{reviews.last.opinion}}{{/if}}\n`, 'ok.txt'))()).resolves.not.toThrow();
    await expect((async () => parseTemplate(`${HEAD}{{#if reviews.last.outcome == "agree"}}{{reviews.last.opinion}}{{/if}}\n`, 'ok.txt'))()).resolves.not.toThrow();
    await expect((async () => parseTemplate(`${HEAD}{{reviews.last.opinion | or:"无"}}\n`, 'ok.txt'))()).resolves.not.toThrow();
    expect(refusal('{{#unless reviews.last}}{{reviews.last.opinion}}{{/unless}}\n').message).toContain('可能为空');
    expect(refusal('{{#each rereview.opinion.findings}}{{title}}{{/each}}\n').message).toContain('{{#each}} 须放在 {{#if rereview.opinion}} 中');
  });

  it('comparison with a value a field can never have', async () => {
    expect(refusal('{{#if case.lastOutcome == "agreed"}}x{{/if}}\n').message).toContain('取值只能是：agree、return、disagree');
  });

  it('table mistakes', async () => {
    expect(refusal('|甲|乙\n').message).toContain('表格行须以“|”开头并以“|”结尾');
    expect(refusal('|甲|乙|\n|丙|丁|\n|---|---|\n').message).toContain('表头分隔行');
    expect(refusal('|甲|{{#if fine}}乙|丙{{/if}}|\n').message).toContain('同一单元格内闭合');
  });

  it('front matter mistakes', async () => {
    await expect((async () => parseTemplate('id: x\n', 'a.txt'))()).rejects.toThrow(/模板“a\.txt”第1行第1列：模板须以“---”开头/);
    await expect((async () => parseTemplate('---\nid: x\ntitle: 标题\n---\n', 'a.txt'))()).rejects.toThrow(/文件头缺少“kind”/);
    await expect((async () => parseTemplate('---\nid: x\ntitle: 标题\nkind: secret\n---\n', 'a.txt'))()).rejects.toThrow(/第4行.*kind 只能是/);
    await expect((async () => parseTemplate('---\nid: x\ntitle: 标题\nkind: internal\nauthor: 张三\n---\n', 'a.txt'))()).rejects.toThrow(/第5行.*未知的文件头项目“author”/);
    await expect((async () => parseTemplate('---\nid: x\ntitle: {{case.titel}}\nkind: internal\n---\n', 'a.txt'))()).rejects.toThrow(/第3行第8列：未知字段“case\.titel”/);
  });

  it('an administrator’s edited copy with a typo fails when saved, and may not change the id', async () => {
    const shipped = fs.readFileSync(path.resolve(__dirname, '../../../templates/review-opinion.txt'), 'utf8');
    const typo = shipped.replace('{{reviews.last.reviewer}}', '{{reviews.last.reviewr}}');
    await expect((async () => validateTemplateSource(typo, '法制审核意见书（管理员修改稿）', 'review-opinion'))()).rejects.toThrow(
      /模板“法制审核意见书（管理员修改稿）”第\d+行第\d+列：未知字段“reviews\.last\.reviewr”.*是否应为“reviewer”/,
    );
    await expect((async () => validateTemplateSource(shipped.replace('id: review-opinion', 'id: my-opinion'), 'x', 'review-opinion'))()).rejects.toThrow(/id 应为“review-opinion”/);
    expect(validateTemplateSource(shipped, 'x', 'review-opinion').id).toBe('review-opinion');
  });

  it('a template directory with a broken file is refused as a whole', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lrw-tpl-'));
    try {
      fs.writeFileSync(path.join(dir, 'ok.txt'), '---\nid: ok\ntitle: 甲\nkind: internal\n---\n正文\n');
      fs.writeFileSync(path.join(dir, 'bad.txt'), '---\nid: bad\ntitle: 乙\nkind: internal\n---\n{{#if fine}}\n');
      await expect((async () => loadTemplateDir(dir))()).rejects.toThrow(/模板“bad\.txt”第6行/);
      fs.writeFileSync(path.join(dir, 'bad.txt'), '---\nid: other\ntitle: 乙\nkind: internal\n---\n');
      await expect((async () => loadTemplateDir(dir))()).rejects.toThrow(/与文件名不一致/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('data of the wrong shape is refused, never half-rendered', async () => {
    const t = parseTemplate(`${HEAD}{{party.name}}\n`, 'probe.txt');
    const d = data() as unknown as Record<string, unknown>;
    await expect((async () => renderTemplate(t, { ...d, party: { name: '甲' } }))()).rejects.toThrow(/文书数据与模板字段表不一致/);
  });
});

describe('engine', () => {
  it('maps lines to blocks', async () => {
    expect(body('# 一、标题\n## （一）小标题\n正文\n[noindent]不缩进\n[right]右对齐\n[center]居中\n')).toEqual([
      { type: 'heading1', text: '一、标题' },
      { type: 'heading2', text: '（一）小标题' },
      { type: 'paragraph', text: '正文' },
      { type: 'paragraph', text: '不缩进', indent: false },
      { type: 'paragraph', text: '右对齐', indent: false, align: 'right' },
      { type: 'paragraph', text: '居中', indent: false, align: 'center' },
    ]);
  });

  it('tables: header, widths, rows from loops, filters with | inside cells, a blank line ends a table', async () => {
    const blocks = body(
      '|序号|证据|\n|---1|---9|\n{{#each submission.evidence}}\n|{{@number}}|{{this}}|\n{{/each}}\n|罚款|{{#if fine}}{{fine | yuan}}{{/if}}|\n\n|另表|\n',
    );
    expect(blocks).toHaveLength(2);
    const [t, t2] = blocks;
    expect(t).toMatchObject({ type: 'table', header: true, widths: [1, 9] });
    if (t.type !== 'table') return;
    expect(t.rows[1]).toEqual(['1', '现场检查笔录及现场照片12张']);
    expect(t.rows.at(-1)).toEqual(['罚款', '50,000元']);
    expect(t.rows).toHaveLength(8);
    expect(t2).toEqual({ type: 'table', rows: [['另表']] });
  });

  it('loops: aliases, @first/@last, nested loops, else for an empty list', async () => {
    expect(
      body('{{#each reviews.all as r}}\n[noindent]{{r.round}}{{r.kindLabel}}{{#each r.defects}}：{{title}}{{/each}}\n{{/each}}\n'),
    ).toEqual([
      { type: 'paragraph', text: '1法制审核：事实是否清楚，证据是否充分', indent: false },
      { type: 'paragraph', text: '2法制审核：自由裁量权行使是否适当', indent: false },
      { type: 'paragraph', text: '2复审：自由裁量权行使是否适当', indent: false },
    ]);
    expect(body('{{#if reviews.last}}{{#each reviews.last.requests}}{{this}}{{else}}无要求{{/each}}{{/if}}\n')).toEqual([{ type: 'paragraph', text: '无要求' }]);
    expect(body('{{#each submission.officers}}{{name}}{{#unless @last}}、{{/unless}}{{/each}}\n')).toEqual([{ type: 'paragraph', text: '王明、赵丽' }]);
  });

  it('conditionals: equality, inequality, unless, else', async () => {
    expect(body('{{#if case.lastOutcome == "disagree"}}不同意{{else}}其他{{/if}}\n')).toEqual([{ type: 'paragraph', text: '不同意' }]);
    expect(body('{{#if case.lastOutcome != "disagree"}}甲{{else}}乙{{/if}}\n')).toEqual([{ type: 'paragraph', text: '乙' }]);
    expect(body('{{#unless party.isCitizen}}单位{{/unless}}\n')).toEqual([{ type: 'paragraph', text: '单位' }]);
    expect(body('{{#if submission.round == 2}}第二次{{/if}}\n')).toEqual([{ type: 'paragraph', text: '第二次' }]);
  });

  it('fill makes the paragraph a placeholder; comments vanish; multi-line values split into paragraphs', async () => {
    const c = fullCase();
    c.submissions = [{ ...c.submissions[1], facts: '第一段。\n\n第二段。' }];
    const t = parseTemplate(`${HEAD}{{! 注释行 }}\n经查明：{{decision.facts}}\n履行期限：{{decision.performanceDeadline | fill:"履行期限"}}\n`, 'probe.txt');
    const m = renderTemplate(t, buildTemplateData(c, AGENCY, { now: NOW }));
    expect(m.blocks).toEqual([
      { type: 'paragraph', text: '经查明：第一段。' },
      { type: 'paragraph', text: '第二段。' },
      { type: 'placeholder', text: '履行期限：〔待填写：履行期限〕' },
    ]);
  });

  it('front matter: docNumber and recipient are omitted when empty; signature defaults to agency and date', async () => {
    const t = parseTemplate('---\nid: probe\ntitle: {{case.kindLabel}}决定书\nkind: external\ndocNumber: {{docNumber}}\nrecipient: {{case.handlingUnit}}\n---\n正文\n', 'probe.txt');
    const m = renderTemplate(t, buildTemplateData(fullCase(), AGENCY, { date: '2026-12-01' }));
    expect(m).toEqual({
      kind: 'probe',
      title: '行政处罚决定书',
      blocks: [{ type: 'paragraph', text: '正文' }],
      signature: { agency: '某市市场监督管理局', date: '2026年12月1日' },
    });
    const m2 = renderTemplate(t, buildTemplateData(fullCase(), AGENCY, { date: '2026-12-01', docSerial: 9, handlingUnit: '稽查支队', provisional: true }));
    expect(m2.docNumber).toBe('某市监罚〔2026〕9号');
    expect(m2.recipient).toBe('稽查支队');
    expect(m2.provisional).toBe(true);
    expect(modelToText(m2).split('\n').slice(0, 3)).toEqual(['行政处罚决定书', '某市监罚〔2026〕9号', '稽查支队：']);
  });

  it('sentence adds a full stop only where one is missing', async () => {
    const render = (s: string) => {
      const c = fullCase();
      c.submissions = [{ ...c.submissions[1], facts: s }];
      const t = parseTemplate(`${HEAD}{{decision.facts | sentence}}\n`, 'probe.txt');
      return (renderTemplate(t, buildTemplateData(c, AGENCY, { now: NOW })).blocks[0] as { text: string }).text;
    };
    expect(['甲', '甲。', '甲；', '乙（丙）', '他说：“好。”'].map(render)).toEqual(['甲。', '甲。', '甲。', '乙（丙）。', '他说：“好。”']);
  });
});
