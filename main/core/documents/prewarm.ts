// The PDF path run once on a one-page document with every role's face (title, body, both headings, a
// table, the page number), so that the fonts are parsed and the code is warm before the first real
// document (services/fonts.ts prewarmDocuments, after start-up; the bench's "first after warm-up").
import type { FontSet } from './fonts';
import { renderPdf } from './pdf';

const TEXT =
  '经审查，承办机构报送的案卷材料齐全，证据目录与证据原件一致。本案系因群众举报立案，执法人员于2026年10月12日对当事人经营场所进行现场检查，发现其存放的三批次预包装食品已超过标注的保质期，且未作出明显标示。执法人员依法予以扣押，并制作了现场笔录和扣押决定书。当事人的上述行为违反了《中华人民共和国食品安全法》第三十四条第（十）项的规定，依据第一百二十四条第一款第（五）项，拟没收违法所得并处罚款人民币伍万元整。';

/** Twice, about three pages each time: what JIT-compiles the layout and subsetting code paths. */
export async function prewarmPdf(fonts: FontSet): Promise<void> {
  for (let i = 0; i < 2; i++) await prewarmOnce(fonts);
}

async function prewarmOnce(fonts: FontSet): Promise<void> {
  await renderPdf(
    {
      kind: 'prewarm',
      title: '法制审核意见书',
      docNumber: '某〔2026〕1号',
      recipient: '执法机构',
      blocks: [
        { type: 'heading1', text: '一、基本情况' },
        { type: 'heading2', text: '（一）审核情况' },
        ...Array.from({ length: 8 }, () => ({ type: 'paragraph' as const, text: TEXT })),
        { type: 'table', header: true, rows: [['序号', '审核事项', '结论', '理由'], ...Array.from({ length: 9 }, (_, i) => [String(i + 1), '执法主体是否合法，执法人员是否具有执法资格', '符合', TEXT.slice(0, 60)])] },
      ],
      signature: { agency: '某市某局', date: '2026年1月1日' },
    },
    fonts,
  );
}
