// The core reports schema errors as “输入有误：…（字段 party.idNumber）”. Users should not read field paths,
// so the path is replaced with the Chinese name of the field (or dropped when it is unknown).

const FIELD_NAMES: Record<string, string> = {
  caseNo: '案件编号',
  title: '案件名称',
  kind: '决定类型',
  catalogItem: '目录事项',
  'party.type': '当事人类型',
  'party.name': '当事人名称',
  'party.idNumber': '当事人证件号码',
  'party.address': '当事人地址',
  facts: '违法事实',
  evidence: '证据清单',
  legalBasis: '法律依据',
  proposedDecision: '拟作出的决定',
  fineAmount: '罚款金额',
  procedure: '已履行的程序',
  officerIds: '执法人员',
  attachments: '附件',
  changeNote: '补正说明',
  agencyName: '机关名称',
  docPrefix: '文号前缀',
  'admin.username': '用户名',
  'admin.displayName': '姓名',
  'admin.password': '密码',
  username: '用户名',
  displayName: '姓名',
  password: '密码',
  roles: '角色',
  certNo: '执法证号',
  certExpiry: '执法证有效期',
  qualificationNo: '法律职业资格证号',
  opinion: '意见',
  suggestions: '建议',
  requests: '退回要求',
  outcome: '审核意见',
  decision: '审批结论',
  'override.reason': '不采纳理由',
  'override.declared': '不采纳声明',
  findings: '审核结论',
};

const ROW_FIELDS: Record<string, { list: string; unit: string; sub?: Record<string, string> }> = {
  evidence: { list: '证据清单', unit: '项' },
  legalBasis: { list: '法律依据', unit: '行', sub: { law: '法律名称', article: '条款' } },
  procedure: { list: '程序', unit: '行', sub: { step: '环节', date: '日期', note: '说明' } },
  officerIds: { list: '执法人员', unit: '人' },
  attachments: { list: '附件', unit: '个' },
  requests: { list: '退回要求', unit: '项' },
  findings: { list: '审核结论', unit: '项', sub: { result: '结论', reason: '理由' } },
};

export function fieldName(path: string): string | null {
  const p = path.replace(/^case\./, '');
  if (FIELD_NAMES[p]) return FIELD_NAMES[p];
  const m = /^([A-Za-z]+)\.(\d+)(?:\.([A-Za-z]+))?$/.exec(p);
  if (m && ROW_FIELDS[m[1]]) {
    const row = ROW_FIELDS[m[1]];
    const sub = m[3] ? row.sub?.[m[3]] : undefined;
    return `${row.list}第${Number(m[2]) + 1}${row.unit}${sub ? `的${sub}` : ''}`;
  }
  return null;
}

export function humanizeMessage(message: string): string {
  return message.replace(/（字段 ([^）]+)）/g, (_all, path: string) => {
    const name = fieldName(path);
    // “违法事实不能为空（违法事实）” says the same thing twice: drop the name when the message has it.
    return name && !message.includes(name) ? `（${name}）` : '';
  });
}
