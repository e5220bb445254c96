// A realistic 法制审核意见书 built by hand (the templates issue produces these for real): title, document
// number, the nine findings with reasons, outcome 同意, and enough body text for three pages.
import type { DocModel } from '../../../main/core/documents/model';

export const NINE_CRITERIA = [
  '执法主体是否合法，执法人员是否具有执法资格',
  '行政相对人认定是否准确',
  '事实是否清楚，证据是否充分',
  '适用依据是否正确',
  '执法程序是否合法',
  '自由裁量权行使是否适当',
  '违法行为是否涉嫌犯罪需要移送司法机关',
  '执法文书是否规范',
  '需要进行审核的其他内容',
] as const;

const REASONS = [
  '本局系《中华人民共和国食品安全法》第六条规定的食品安全监督管理部门，具有本案管辖权；执法人员王某（执法证号：11010023001）、李某（执法证号：11010023017）持有有效行政执法证件，调查时二人共同在场并出示证件。',
  '当事人北京某某餐饮管理有限公司，统一社会信用代码91110105MA01ABCD1X，营业执照、法定代表人身份证明在卷，与现场检查笔录、询问笔录记载一致。',
  '现场检查笔录、抽样检验报告（编号：JC2026-0412）、进货台账、询问笔录及照片等证据相互印证，足以认定当事人经营超过保质期的食品的事实。',
  '适用《中华人民共和国食品安全法》第三十四条第（十）项、第一百二十四条第一款第（五）项，条款引用准确。',
  '立案、调查、告知、听取陈述申辩等程序均已履行；已告知当事人听证权利，当事人未申请听证。',
  '罚款伍万元整，处于本局裁量基准第二档（违法行为轻微且首次违法）的幅度之内，并考虑了当事人主动召回的从轻情节。',
  '涉案货值金额为壹仟贰佰元，未达到《最高人民检察院 公安部关于公安机关管辖的刑事案件立案追诉标准的规定》的追诉标准，无需移送。',
  '《行政处罚决定书》（草案）载明当事人信息、违法事实、证据、处罚依据、履行方式和期限、救济途径，格式符合规范。',
  '已核查当事人近三年无同类违法记录；处罚信息将在作出决定之日起七个工作日内依法公示。',
];

const FILLER =
  '经审查，承办机构报送的案卷材料齐全，证据目录与证据原件一致。本案系因群众举报立案，执法人员于二〇二六年十月十二日对当事人经营场所进行现场检查，发现其冷藏柜中存放的三批次预包装食品已超过标注的保质期，且未作出明显标示。执法人员依法对涉案食品予以扣押，并制作了现场笔录和扣押决定书。';

/** The review opinion; `extraParagraphs` adds body text (the default makes the document three pages). */
export function sampleReviewOpinion(extraParagraphs = 0): DocModel {
  const findings = NINE_CRITERIA.map((c, i) => [String(i + 1), c, '符合', REASONS[i]]);
  const filler = Array.from({ length: extraParagraphs }, (_, i) => ({
    type: 'paragraph' as const,
    text: `${i === 0 ? '' : `（续${i}）`}${FILLER}`,
  }));
  return {
    kind: 'review-opinion',
    title: '法制审核意见书',
    docNumber: '某监法审〔2026〕12号',
    recipient: '执法稽查科',
    blocks: [
      {
        type: 'paragraph',
        text: '你科于2026年11月16日报送的《关于北京某某餐饮管理有限公司经营超过保质期食品案拟作出行政处罚决定的法制审核申请》及案卷材料收悉。根据《重大行政执法决定法制审核办法》的规定，我科对该案进行了法制审核，现将审核意见提出如下：',
      },
      { type: 'heading1', text: '一、基本情况' },
      {
        type: 'paragraph',
        text: '当事人北京某某餐饮管理有限公司涉嫌经营超过保质期的食品，承办机构拟对其作出没收违法所得、罚款伍万元整的行政处罚决定。',
      },
      ...filler,
      { type: 'heading1', text: '二、审核内容及结论' },
      { type: 'heading2', text: '（一）逐项审核情况' },
      { type: 'table', header: true, rows: [['序号', '审核事项', '结论', '理由'], ...findings] },
      { type: 'heading2', text: '（二）其他需要说明的情况' },
      {
        type: 'paragraph',
        text: '当事人在陈述申辩中提出其系初次违法且已主动召回涉案食品，承办机构已在裁量说明中予以考虑，理由成立。',
      },
      { type: 'heading1', text: '三、审核意见' },
      {
        type: 'paragraph',
        text: '综上，本案执法主体合法，事实清楚，证据确凿，适用依据正确，程序合法，处罚适当，执法文书规范。审核意见：同意。建议按程序报请本局负责人审批后作出行政处罚决定，并依法送达、公示。',
      },
    ],
    signature: { agency: '某市市场监督管理局法制科', date: '2026年11月23日' },
  };
}

/** The same document, signed by the reviewer. */
export function signedReviewOpinion(extraParagraphs?: number, sealPngBase64?: string): DocModel {
  const m = sampleReviewOpinion(extraParagraphs);
  return { ...m, signature: { ...m.signature, signer: { name: '张三', role: '法制审核人员' }, sealPngBase64 } };
}

/** A 行政处罚决定书 of four pages: party, facts, evidence, reasoning on the statement of defence, basis, decision, rights. */
export function samplePenaltyDecision(): DocModel {
  const evidence = ['现场检查笔录', '抽样检验报告（编号：JC2026-0412）', '进货台账及销售记录', '询问笔录（法定代表人）', '现场照片十二张', '扣押决定书及扣押物品清单'];
  return {
    kind: 'penalty-decision',
    title: '行政处罚决定书',
    docNumber: '某市监罚〔2026〕88号',
    blocks: [
      { type: 'paragraph', text: '当事人：北京某某餐饮管理有限公司', indent: false },
      { type: 'paragraph', text: '统一社会信用代码：91110105MA01ABCD1X', indent: false },
      { type: 'paragraph', text: '住所：北京市朝阳区某某路十八号院三号楼一层一〇二室', indent: false },
      { type: 'paragraph', text: '法定代表人：王某某', indent: false },
      { type: 'paragraph', text: `${FILLER}${FILLER}` },
      { type: 'paragraph', text: `上述事实，有以下证据证明：${evidence.map((e, i) => `${i + 1}.${e}`).join('；')}。上述证据来源合法，内容真实，相互印证，足以认定。` },
      ...Array.from({ length: 4 }, (_, i) => ({ type: 'paragraph' as const, text: `（${'一二三四'[i]}）${REASONS[i]}${FILLER}` })),
      {
        type: 'paragraph',
        text: '本局于2026年10月20日向当事人送达了《行政处罚告知书》，告知其拟作出行政处罚的事实、理由、依据及其依法享有的陈述、申辩和要求听证的权利。当事人在法定期限内提出陈述申辩，称其系初次违法、违法行为持续时间短且已主动召回涉案食品。经复核，本局认为：当事人初次违法的情况属实，主动召回行为已在裁量中予以考虑，但其经营超过保质期食品的行为客观存在，危害后果不属轻微，不予采纳免予处罚的意见。',
      },
      { type: 'paragraph', text: '当事人的上述行为违反了《中华人民共和国食品安全法》第三十四条第（十）项的规定。依据《中华人民共和国食品安全法》第一百二十四条第一款第（五）项的规定，结合本局行政处罚裁量基准，本局决定对当事人作出如下行政处罚：' },
      { type: 'paragraph', text: '一、没收超过保质期的食品三批次；二、没收违法所得人民币壹仟贰佰元整；三、罚款人民币伍万元整。' },
      { type: 'paragraph', text: '当事人应当自收到本决定书之日起十五日内，将罚没款缴至指定银行账户。到期不缴纳罚款的，本局将依据《中华人民共和国行政处罚法》第七十二条第一款第（一）项的规定，每日按罚款数额的百分之三加处罚款，加处罚款的数额不超出罚款的数额。' },
      { type: 'paragraph', text: '当事人对本决定不服的，可以在收到本决定书之日起六十日内向某市人民政府申请行政复议，或者在六个月内依法向某市某区人民法院提起行政诉讼。申请行政复议或者提起行政诉讼期间，本决定不停止执行，法律另有规定的除外。' },
    ],
    signature: { agency: '某市市场监督管理局', date: '2026年11月25日' },
  };
}
