// Deterministic realistic cases for the engine benchmarks: case i is always the same case (its own
// seeded generator), so both engines, every run and every machine see identical data.
//   facts: 1,000–3,000 Chinese characters (Han characters counted; digits and punctuation come on top),
//   evidence: 3–8 items, legal basis: 1–4 articles, procedure: 3–6 steps, officers: the two given.
// The text is assembled from sentence patterns over pools of names, companies, places, goods, acts,
// laws and investigative steps, so the vocabulary (and with it the trigram index) is varied rather
// than one sentence repeated; it is still synthetic, not real case files.
import { creditCodeCheck, residentIdCheck } from '../main/core/domain/ids';
import type { Input } from '../preload/contract';

export type RealisticCase = Input<'cases.submit'>;

/** mulberry32: tiny, fast, good enough for test data. */
export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0;
  }
  next(): number {
    let t = (this.s = (this.s + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.next() * xs.length)];
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
}

/** A seed per (case, stream) that does not overlap between neighbouring cases. */
const seedOf = (i: number, stream = 0): number => (Math.imul(i + 1, 0x9e3779b1) ^ Math.imul(stream + 1, 0x85ebca6b)) >>> 0;

const SURNAMES = [...'王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤'];
const GIVEN = [...'伟芳娜秀敏静丽强磊军洋勇艳杰娟涛明超霞平刚桂英华玉兰萍建红鹏飞辉宇浩凯健俊帆帅旭宁亮翔婷雪琳晨欣悦佳怡博文思睿泽瑞嘉鑫淑珍凤春梅海波志国庆林峰'];
const PLACES = ['海州', '连云', '赣榆', '东海', '灌云', '灌南', '新浦', '墟沟', '板浦', '宁海', '浦南', '朝阳', '花果山', '云台', '猴嘴', '新坝', '洋桥', '锦屏', '南城', '岗埠'];
const BRANDS = ['鑫盛', '恒达', '华兴', '宏远', '金茂', '瑞丰', '永安', '德润', '佳禾', '润泽', '天成', '博远', '汇通', '嘉禾', '中达', '兴隆', '安泰', '新源', '昌盛', '惠民', '诚信', '万家', '百顺', '宝利', '龙腾', '盛世', '禾丰', '同创', '优品', '益康'];
const INDUSTRIES = ['食品', '商贸', '建材', '电器', '医药', '化工', '餐饮管理', '农业科技', '机械制造', '日用品', '家具', '物流', '电子科技', '纺织', '汽车销售', '环保科技'];
const ROADS = ['人民路', '解放路', '建设路', '朝阳路', '海连路', '新浦路', '通灌路', '瀛洲路', '苍梧路', '郁州路', '花果山大道', '凤凰大道', '幸福路', '振华路'];
const GOODS = [
  '电热水壶', '儿童玩具', '食用植物油', '电动自行车', '化妆品', '保健食品', '建筑用钢筋', '农药', '医疗器械', '燃气灶', '婴幼儿配方乳粉', '酸奶',
  '冷冻肉制品', '白酒', '桶装饮用水', '防护口罩', '电线电缆', '瓷砖', '涂料', '轮胎', '学生文具', '食品添加剂', '散装大米', '速冻水饺', '月饼',
  '茶叶', '蜂蜜', '消毒液', '充电宝', '插座', '灭火器', '安全帽', '汽油', '柴油', '化肥', '种子', '饲料', '眼镜', '助听器', '血压计',
];
const DEFECTS = ['不符合强制性国家标准', '标签标注不规范', '超过保质期', '未取得生产许可证', '检验结论为不合格', '质量指标不达标', '以假充真', '以次充好', '无中文标识', '伪造产地'];
const ACTS = ['销售', '生产', '储存', '运输', '经营', '进货', '陈列', '网络销售', '加工', '分装'];
const STEPS = ['立案', '调查取证', '现场检查', '抽样检验', '询问当事人', '案件审核', '告知', '听证', '陈述申辩复核'];
const EVIDENCE = [
  '现场检查笔录', '询问笔录', '抽样检验报告', '产品检验报告', '进货台账', '销售记录', '营业执照复印件', '法定代表人身份证明', '授权委托书',
  '现场照片', '执法记录仪视频', '扣押物品清单', '先行登记保存通知书', '检验机构资质证明', '价格认定结论书', '当事人陈述材料', '证人证言',
  '送货单', '银行流水', '电子数据提取笔录', '网络交易平台订单截图', '发票复印件', '仓库租赁合同', '检测委托书',
];
const LAWS: [string, string[]][] = [
  ['中华人民共和国产品质量法', ['第十三条', '第二十六条', '第二十七条', '第三十二条', '第三十九条', '第四十九条', '第五十条', '第五十四条']],
  ['中华人民共和国食品安全法', ['第三十四条第（十）项', '第五十三条', '第六十七条', '第一百二十二条', '第一百二十四条第一款第（五）项', '第一百二十五条']],
  ['中华人民共和国行政处罚法', ['第五条', '第二十八条', '第三十二条', '第四十四条', '第五十七条', '第六十三条']],
  ['中华人民共和国广告法', ['第四条', '第九条', '第二十八条', '第五十五条', '第五十八条']],
  ['中华人民共和国反不正当竞争法', ['第六条', '第八条', '第二十条']],
  ['中华人民共和国计量法', ['第九条', '第二十二条']],
  ['中华人民共和国药品管理法', ['第九十八条', '第一百一十七条']],
  ['中华人民共和国消费者权益保护法', ['第十六条', '第二十三条', '第五十六条']],
  ['医疗器械监督管理条例', ['第五十五条', '第八十六条']],
  ['化妆品监督管理条例', ['第三十五条', '第六十条']],
  ['工业产品生产许可证管理条例', ['第五条', '第四十五条']],
];
const OPENERS = ['经查', '经调查', '经现场检查', '经依法调查核实', '根据群众举报'];
const CONNECTIVES = ['同时', '另查明', '此外', '经进一步调查', '经核实', '经比对', '据当事人陈述', '结合现场检查情况', '经执法人员询问'];

/** Digits and a few Chinese numerals, as case texts mix them. */
const money = (r: Rng): string => `${r.int(1, 99)}${r.chance(0.5) ? `,${String(r.int(0, 999)).padStart(3, '0')}` : ''}.${String(r.int(0, 99)).padStart(2, '0')}元`;
const date = (r: Rng, year = 2026): string => `${year}年${r.int(1, 9)}月${r.int(1, 28)}日`;
const person = (r: Rng): string => `${r.pick(SURNAMES)}${r.pick(GIVEN)}${r.chance(0.6) ? r.pick(GIVEN) : ''}`;
const company = (r: Rng): string => `连云港市${r.pick(PLACES)}${r.pick(BRANDS)}${r.pick(INDUSTRIES)}有限公司`;
const address = (r: Rng): string => `连云港市${r.pick(PLACES)}区${r.pick(ROADS)}${r.int(1, 399)}号`;

/** One sentence of the facts: the investigation narrated step by step. */
function sentence(r: Rng, party: string, goods: string): string {
  const g = r.chance(0.7) ? goods : r.pick(GOODS);
  switch (r.int(0, 17)) {
    case 0:
      return `${r.pick(CONNECTIVES)}，当事人于${date(r)}至${date(r)}期间${r.pick(ACTS)}${g}共计${r.int(2, 5000)}${r.pick(['件', '台', '箱', '袋', '瓶', '批'])}，货值金额${money(r)}，违法所得${money(r)}。`;
    case 1:
      return `执法人员${person(r)}、${person(r)}于${date(r)}对当事人位于${address(r)}的经营场所进行现场检查，发现其仓库内存放的${g}${r.pick(DEFECTS)}，当场制作了现场检查笔录，并对相关物品拍照取证。`;
    case 2:
      return `${date(r)}，执法人员依法对当事人${r.pick(ACTS)}的${g}进行抽样，送${r.pick(PLACES)}产品质量监督检验所检验，检验报告结论为该批次产品${r.pick(DEFECTS)}。`;
    case 3:
      return `当事人的委托代理人${person(r)}在询问笔录中承认，其明知所进${g}${r.pick(DEFECTS)}，为获取差价仍继续对外${r.pick(ACTS)}，并提供了进货单据和销售台账予以证实。`;
    case 4:
      return `当事人不能提供${g}的合法进货来源，亦不能提供供货方的资质证明和产品合格证明，其所称进货渠道经核查无法查实。`;
    case 5:
      return `${r.pick(CONNECTIVES)}，当事人通过网络交易平台开设店铺对外销售${g}，平台后台数据显示其共完成订单${r.int(10, 3000)}笔，订单金额合计${money(r)}。`;
    case 6:
      return `本机关于${date(r)}向当事人送达了行政处罚告知书，告知其拟作出行政处罚的事实、理由、依据以及依法享有的陈述、申辩${r.chance(0.5) ? '和要求听证' : ''}的权利，当事人在法定期限内${r.pick(['未提出陈述申辩', '提出了书面陈述申辩意见', '要求举行听证'])}。`;
    case 7:
      return `当事人提出其系初次违法、主动停止${r.pick(ACTS)}并积极配合调查，请求从轻处罚；经复核，其所述${r.pick(['部分属实', '基本属实', '与查明事实不符'])}，本机关在裁量时已予以考虑。`;
    case 8:
      return `上述事实有${r.pick(EVIDENCE)}、${r.pick(EVIDENCE)}、${r.pick(EVIDENCE)}等证据证明，证据之间能够相互印证，形成完整的证据链。`;
    case 9:
      return `涉案${g}经${r.pick(PLACES)}价格认证中心认定，单价为${money(r)}，据此计算货值金额为${money(r)}。`;
    case 10:
      return `${party}的法定代表人${person(r)}对上述事实无异议，并在现场检查笔录和询问笔录上签字确认。`;
    case 11:
      return `本机关依法对当事人库存的${g}${r.int(2, 800)}${r.pick(['件', '台', '箱'])}实施了扣押，扣押期限为三十日，并制作了扣押物品清单交当事人核对签字。`;
    case 12:
      return `经调取当事人${r.pick(['银行流水', '发票存根', '销售台账', '出入库记录'])}，核实其自${date(r, 2025)}起累计${r.pick(ACTS)}涉案产品${r.int(3, 90)}批次，购货单位涉及${r.pick(PLACES)}、${r.pick(PLACES)}等地${r.int(2, 40)}家经营户。`;
    case 13:
      return `当事人的行为涉及${r.pick(['学校周边', '农村集贸市场', '大型商场', '社区超市', '建筑工地'])}，消费群体以${r.pick(['儿童', '老年人', '农户', '外来务工人员', '学生'])}为主，社会影响${r.pick(['较大', '一般', '较小'])}。`;
    case 14:
      return `经查询，当事人${r.chance(0.7) ? '近两年内无同类违法记录' : `曾于${date(r, 2025)}因同类违法行为受到行政处罚`}，本案${r.pick(['不', '不'])}涉嫌犯罪，无需移送公安机关。`;
    case 15:
      return `${r.pick(OPENERS)}，${party}成立于${r.int(2005, 2023)}年，注册资本${r.int(50, 5000)}万元，主要从事${g}等产品的${r.pick(ACTS)}，经营场所位于${address(r)}。`;
    case 16:
      return `执法人员调取了当事人${date(r)}至${date(r)}的监控录像，录像显示当事人员工${person(r)}多次将涉案${g}搬运至门店货架陈列销售。`;
    default:
      return `证人${person(r)}证实，其于${date(r)}从当事人处购买${g}${r.int(1, 300)}${r.pick(['件', '箱', '袋'])}，使用后发现${r.pick(DEFECTS)}，遂向本机关投诉举报。`;
  }
}

/** Han characters in s (the CJK Unified Ideographs block and extension A, which is all this generator writes). */
export function hanCount(s: string): number {
  let n = 0;
  for (let k = 0; k < s.length; k++) {
    const c = s.charCodeAt(k);
    if ((c >= 0x4e00 && c <= 0x9fff) || (c >= 0x3400 && c <= 0x4dbf)) n++;
  }
  return n;
}

/** Realistic case i; officerIds are the submitting handler and a second officer. */
export function realisticCase(i: number, officerIds: [number, number], opts: { caseNoPrefix?: string } = {}): RealisticCase {
  const r = new Rng(seedOf(i));
  const citizen = r.chance(0.3);
  const goods = r.pick(GOODS);
  const partyName = citizen ? person(r) : company(r);
  const idNumber = citizen
    ? residentIdCheck(`3207${String(r.int(0, 99)).padStart(2, '0')}${r.int(1960, 2000)}${String(r.int(1, 12)).padStart(2, '0')}${String(r.int(1, 28)).padStart(2, '0')}${String(r.int(0, 999)).padStart(3, '0')}`)
    : creditCodeCheck(`913207${String(r.int(0, 99)).padStart(2, '0')}MA${Array.from({ length: 7 }, () => r.pick([...'0123456789ABCDEFGHJKLMNPQRTUWXY'])).join('')}`);
  const act = r.pick(ACTS);
  const defect = r.pick(DEFECTS);
  const target = r.int(1000, 2900);
  const parts = [`${r.pick(OPENERS)}，当事人${partyName}${act}的${goods}${defect}。`];
  let han = hanCount(parts[0]);
  while (han < target) {
    const s = sentence(r, partyName, goods);
    parts.push(s);
    han += hanCount(s);
  }
  const evidence = Array.from({ length: r.int(3, 8) }, () => `${r.pick(EVIDENCE)}（${date(r)}，共${r.int(1, 30)}页）`);
  const legalBasis = Array.from({ length: r.int(1, 4) }, () => {
    const [law, arts] = r.pick(LAWS);
    return { law, article: r.pick(arts) };
  });
  const fineYuan = citizen ? r.int(5000, 200000) : r.int(50000, 2000000);
  const steps = [...STEPS].slice(0, r.int(3, 6));
  let month = r.int(1, 4);
  const procedure = steps.map((step) => ({ step, date: `2026-${String(Math.min(10, (month += r.int(0, 2)))).padStart(2, '0')}-${String(r.int(1, 28)).padStart(2, '0')}` }));
  return {
    caseNo: `${opts.caseNoPrefix ?? '连市监罚立'}〔2026〕${i + 1}号`,
    title: `${partyName}${act}${defect}的${goods}案`,
    kind: 'penalty',
    catalogItem: citizen ? 'penalty.fine_citizen' : 'penalty.fine_org',
    party: { type: citizen ? 'citizen' : 'organization', name: partyName, idNumber, address: address(r) },
    facts: parts.join(''),
    evidence,
    legalBasis,
    proposedDecision: `依据《${legalBasis[0].law}》${legalBasis[0].article}的规定，拟责令当事人改正违法行为，没收违法${act}的${goods}和违法所得，并处罚款人民币${fineYuan}元。`,
    fineAmount: String(fineYuan),
    procedure,
    officerIds: [...officerIds],
    attachments: [],
  };
}

/** What refreshSearch indexes for a freshly submitted case (services/cases.ts searchBody, round 1, no review yet). */
export function searchBodyOf(c: RealisticCase): string {
  return [c.caseNo, c.title, c.party.name, c.facts, c.proposedDecision, c.evidence.join(' ')].filter(Boolean).join('\n');
}

/** Search terms a user might type: n-character runs of Han characters taken from deterministic cases' facts. */
export function sampleTerms(n: number, count: number, cases: number, seed = 7): string[] {
  const r = new Rng(seedOf(seed, n));
  const out: string[] = [];
  let guard = 0;
  while (out.length < count && guard++ < count * 200) {
    // Alternately from the facts (phrases of the narrative) and the title (names, companies, goods).
    const c = realisticCase(r.int(0, cases - 1), [1, 2]);
    const from = out.length % 2 ? c.title : c.facts;
    const at = r.int(0, Math.max(0, from.length - n));
    const t = from.slice(at, at + n);
    if (hanCount(t) === n && [...t].length === n && !out.includes(t)) out.push(t);
  }
  return out;
}
