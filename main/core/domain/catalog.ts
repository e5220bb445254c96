// The default 重大执法决定目录清单 (001 附件3 第五至八条). Agencies adjust it; every adjustment is a
// new version and each case records the version that classified it.
// Version 2 declares what decides each item: the fine and party type, the sealed area or value of a
// 查封扣押, the hearing facts of a licence, and the catch-all items that need a stated ground.
import { fieldError } from './errors';
import { formatYuan } from './money';
import type { CatalogItem, CatalogView, MajorBasis, MajorQuantities } from './views';
import type { PartyType } from './types';

const CATCH_ALL = '其他对当事人或者社会公共利益有重大影响的';

/** Version 2 of the default catalog, frozen: migration 008 adds exactly these items to existing databases. */
export const CATALOG_V2_ITEMS: CatalogItem[] = [
  { code: 'penalty.suspend', kind: 'penalty', label: '责令停产停业' },
  { code: 'penalty.revoke', kind: 'penalty', label: '吊销法人或其他组织的许可证或执照' },
  { code: 'penalty.fine_citizen', kind: 'penalty', label: '对公民处以5000元以上罚款', minFineFen: 500000, partyType: 'citizen' },
  { code: 'penalty.fine_org', kind: 'penalty', label: '对法人或其他组织处以50000元以上罚款', minFineFen: 5000000, partyType: 'organization' },
  { code: 'penalty.other', kind: 'penalty', label: '其他对当事人或者社会公共利益有重大影响的行政处罚', catchAll: '001 附件3 第五条（四）' },
  { code: 'license.hearing', kind: 'license', label: '依法应当听证，或依法举行听证且涉及公共利益的许可', hearing: true },
  { code: 'license.resource', kind: 'license', label: '有限自然资源、公共资源配置及特定行业市场准入' },
  { code: 'license.other', kind: 'license', label: '其他对当事人或者社会公共利益有重大影响的行政许可', catchAll: '001 附件3 第六条（三）' },
  { code: 'coercion.seal', kind: 'coercion', label: '查封、扣押场所设施300平方米以上或财物价值10万元以上', seal: { minAreaM2: 300, minValueFen: 10_000_000 } },
  { code: 'coercion.auction', kind: 'coercion', label: '拍卖或依法处理查封、扣押的场所、设施或者财物' },
  { code: 'coercion.freeze', kind: 'coercion', label: '冻结存款、汇款或划拨存款、汇款' },
  { code: 'coercion.demolition', kind: 'coercion', label: '强制拆除建筑物、构筑物' },
  { code: 'coercion.other', kind: 'coercion', label: '其他对当事人或者社会公共利益有重大影响的行政强制', catchAll: '001 附件3 第七条（五）' },
  // 001 附件3 第八条第二款: categories the 办法 does not list are set by the agency; the ground says why.
  { code: 'levy.other', kind: 'levy', label: '重大行政征收', catchAll: '001 附件3 第八条第二款' },
  { code: 'fee.other', kind: 'fee', label: '重大行政收费', catchAll: '001 附件3 第八条第二款' },
  { code: 'inspection.other', kind: 'inspection', label: '重大行政检查', catchAll: '001 附件3 第八条第二款' },
];

export const DEFAULT_CATALOG: CatalogView = { version: 2, items: CATALOG_V2_ITEMS };

const REVIEW_ALL = '本机关对法定简易程序以外的所有执法决定进行法制审核（001 二（三））';

export interface MajorFacts {
  partyType: PartyType;
  fineFen: number | null;
  quantities: MajorQuantities;
  majorGround: string | null;
}

/** Why a threshold is not met, or null when it is. Throws when a quantity the item asks for is missing. */
const HEARING_QUESTIONS = { hearingRequired: '是否依法应当听证', hearingHeld: '是否举行了听证', publicInterest: '是否涉及公共利益' } as const;

function belowThreshold(item: CatalogItem, f: MajorFacts): string | null {
  if (item.minFineFen !== undefined) {
    if (item.partyType && item.partyType !== f.partyType) {
      throw fieldError('VALIDATION', `目录事项“${item.label}”适用于${item.partyType === 'citizen' ? '公民' : '法人或其他组织'}。`, 'party.type');
    }
    if (f.fineFen === null) throw fieldError('VALIDATION', '罚款类事项须填写罚款金额。', 'fineAmount');
    if (f.fineFen < item.minFineFen) return `罚款金额${formatYuan(f.fineFen)}低于目录清单标准（${formatYuan(item.minFineFen)}以上）`;
  }
  if (item.seal) {
    const { sealAreaM2: area, sealValueFen: value } = f.quantities;
    if (typeof area !== 'number' && value === undefined) {
      throw fieldError(
        'VALIDATION',
        `目录事项“${item.label}”须填写查封、扣押的场所设施面积（平方米）或财物价值（元），至少一项；动产可填面积“不适用”并填写价值。`,
        'quantities.sealAreaM2',
      );
    }
    const areaMet = typeof area === 'number' && area >= item.seal.minAreaM2;
    const valueMet = value !== undefined && value >= item.seal.minValueFen;
    if (!areaMet && !valueMet) {
      const stated = [
        typeof area === 'number' ? `面积${area}平方米` : area === 'not_applicable' ? '面积不适用' : '',
        value !== undefined ? `价值${formatYuan(value)}` : '',
      ].filter(Boolean).join('、');
      return `查封、扣押${stated}，未达到目录清单标准（${item.seal.minAreaM2}平方米以上或${item.seal.minValueFen / 1_000_000}万元以上）`;
    }
  }
  if (item.hearing) {
    const q = f.quantities;
    const missing = (Object.keys(HEARING_QUESTIONS) as (keyof typeof HEARING_QUESTIONS)[]).filter((k) => q[k] === undefined);
    if (missing.length) {
      throw fieldError(
        'VALIDATION',
        `目录事项“${item.label}”须说明：${missing.map((k) => HEARING_QUESTIONS[k]).join('、')}。`,
        missing.map((k) => ({ path: `quantities.${k}`, message: `请选择${HEARING_QUESTIONS[k]}` })),
      );
    }
    if (!q.hearingRequired && !(q.hearingHeld && q.publicInterest)) {
      return '既非依法应当听证，也非举行听证且涉及公共利益，未达到目录清单标准（001 附件3 第六条（一））';
    }
  }
  return null;
}

/**
 * The rule of 001 附件3 第五至八条 and 001 二（三） on one submission: which basis makes the case major,
 * or a refusal naming the threshold. A catch-all item, and the review-all route below a threshold,
 * need a stated ground.
 */
export function classifyMajor(item: CatalogItem, f: MajorFacts, reviewAll: boolean): MajorBasis {
  const ground = f.majorGround?.trim() ?? '';
  if (item.catchAll) {
    if (!ground) {
      throw fieldError('VALIDATION', `目录事项“${item.label}”属兜底事项（${CATCH_ALL}，${item.catchAll}），须写明对当事人或者社会公共利益有重大影响的理由。`, 'majorGround');
    }
    return 'catch_all';
  }
  const below = belowThreshold(item, f);
  if (below === null) return 'threshold';
  if (reviewAll) {
    if (!ground) throw fieldError('NOT_MAJOR', `${below}。${REVIEW_ALL}，按此送审须写明送审理由。`, 'majorGround');
    return 'review_all';
  }
  throw fieldError(
    'NOT_MAJOR',
    `${below}，不属于目录事项“${item.label}”。如对当事人或者社会公共利益有重大影响，可选择本类的兜底事项（${CATCH_ALL}）并写明理由。`,
    item.minFineFen !== undefined ? 'fineAmount' : item.seal ? 'quantities.sealAreaM2' : item.hearing ? 'quantities.hearingRequired' : 'catalogItem',
  );
}

export const MAJOR_BASIS_LABELS: Record<MajorBasis, string> = {
  threshold: '目录清单所列事项（达到标准）',
  catch_all: `兜底事项（${CATCH_ALL}）`,
  review_all: '本机关对简易程序以外的执法决定均进行法制审核（001 二（三））',
};

/** The stated quantities in words, for the case page and the submission form. */
export function majorLines(q: MajorQuantities | null, basis: MajorBasis | null, ground: string | null): string[] {
  const out: string[] = [];
  const yn = (b: boolean) => (b ? '是' : '否');
  if (q) {
    if (q.sealAreaM2 !== undefined) out.push(`查封、扣押面积：${q.sealAreaM2 === 'not_applicable' ? '不适用（动产）' : `${q.sealAreaM2}平方米`}`);
    if (q.sealValueFen !== undefined) out.push(`查封、扣押财物价值：${formatYuan(q.sealValueFen)}`);
    if (q.hearingRequired !== undefined) out.push(`依法应当听证：${yn(q.hearingRequired)}`);
    if (q.hearingHeld !== undefined) out.push(`已举行听证：${yn(q.hearingHeld)}`);
    if (q.publicInterest !== undefined) out.push(`涉及公共利益：${yn(q.publicInterest)}`);
  }
  if (basis) out.push(`属于重大执法决定的依据：${MAJOR_BASIS_LABELS[basis]}`);
  if (ground) out.push(`送审理由：${ground}`);
  return out;
}
