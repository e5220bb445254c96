// The default 重大执法决定目录清单 (001 附件3 第五至八条). Agencies adjust it; every adjustment is a
// new version and each case records the version that classified it.
import type { CatalogItem, CatalogView } from './views';

const items: CatalogItem[] = [
  { code: 'penalty.suspend', kind: 'penalty', label: '责令停产停业' },
  { code: 'penalty.revoke', kind: 'penalty', label: '吊销法人或其他组织的许可证或执照' },
  { code: 'penalty.fine_citizen', kind: 'penalty', label: '对公民处以5000元以上罚款', minFineFen: 500000, partyType: 'citizen' },
  { code: 'penalty.fine_org', kind: 'penalty', label: '对法人或其他组织处以50000元以上罚款', minFineFen: 5000000, partyType: 'organization' },
  { code: 'penalty.other', kind: 'penalty', label: '其他可能造成重大社会影响的行政处罚' },
  { code: 'license.hearing', kind: 'license', label: '依法应当听证，或依法举行听证且涉及公共利益的许可' },
  { code: 'license.resource', kind: 'license', label: '有限自然资源、公共资源配置及特定行业市场准入' },
  { code: 'license.other', kind: 'license', label: '其他重大行政许可' },
  { code: 'coercion.seal', kind: 'coercion', label: '查封、扣押场所设施300平方米以上或财物价值10万元以上' },
  { code: 'coercion.auction', kind: 'coercion', label: '拍卖或依法处理查封、扣押的场所、设施或者财物' },
  { code: 'coercion.freeze', kind: 'coercion', label: '冻结存款、汇款或划拨存款、汇款' },
  { code: 'coercion.demolition', kind: 'coercion', label: '强制拆除建筑物、构筑物' },
  { code: 'coercion.other', kind: 'coercion', label: '其他重大行政强制' },
  { code: 'levy.other', kind: 'levy', label: '重大行政征收' },
  { code: 'fee.other', kind: 'fee', label: '重大行政收费' },
  { code: 'inspection.other', kind: 'inspection', label: '重大行政检查' },
];

export const DEFAULT_CATALOG: CatalogView = { version: 1, items };
