// The catalog of decisions that must be reviewed (重大执法决定目录清单). The version in force is the
// newest row of catalog_versions, and each case records the version that classified it. An administrator
// changes the catalog by a proposal (目录清单调整方案) based on the version in force; it takes effect, as the
// next version, only when its filing with the government's legal office is recorded (001 附件3 第八条:
// 报本级政府法制机构备案后执行), naming each recipient (004 五(一)). A response 予以撤销 restores the
// version before it; a 责令改正 stays open until its correction is recorded.
import { CatalogFilingInput, CatalogProposalInput } from '../../../preload/contract';
import { AppError } from '../domain/errors';
import { hasPermission } from '../domain/permissions';
import { DECISION_KIND_LABELS } from '../domain/types';
import type { CatalogAdminView, CatalogItem, CatalogProposalView, CatalogView } from '../domain/views';
import { currentCatalog, getCatalogVersion, insertCatalogVersion } from '../db/repos/catalog';
import { formatChineseDate } from '../domain/calendar/cst';
import { appendEvent } from './audit';
import { requirePermission } from './auth';
import { type Actor, type Core, nowIso, parseInput, tx } from './core';
import { assertPast, filingRecipients, filingRows, filingViews, insertCorrection, insertResponse } from './filings';

/** The newest catalog version (every set-up store has one: setup writes the first). */
export async function catalogInForce(core: Core): Promise<CatalogView> {
  return (await currentCatalog(core.db))!;
}

/** What a proposal changes against its base, in words. */
export function catalogChanges(base: CatalogItem[], next: CatalogItem[]): string[] {
  const out: string[] = [];
  const before = new Map(base.map((i) => [i.code, i]));
  const after = new Map(next.map((i) => [i.code, i]));
  for (const i of next) {
    const b = before.get(i.code);
    if (!b) out.push(`新增事项：${i.label}（${DECISION_KIND_LABELS[i.kind]}，${i.code}）`);
    else if (JSON.stringify(canonical(b)) !== JSON.stringify(canonical(i))) out.push(`修改事项：${b.label === i.label ? i.label : `${b.label} → ${i.label}`}（${i.code}）`);
  }
  for (const b of base) if (!after.has(b.code)) out.push(`删除事项：${b.label}（${b.code}）`);
  return out;
}

const canonical = (i: CatalogItem) => Object.fromEntries(Object.entries(i).sort(([a], [b]) => a.localeCompare(b)));

/** The rules of a catalog a case can be classified by (the contract checks each item's shape). */
function checkItems(items: CatalogItem[]): void {
  const seen = new Set<string>();
  for (const i of items) {
    if (seen.has(i.code)) throw new AppError('VALIDATION', `事项代码“${i.code}”重复：每个事项的代码应唯一。`);
    seen.add(i.code);
    if (!i.code.startsWith(`${i.kind}.`)) throw new AppError('VALIDATION', `事项“${i.label}”的代码应以其决定类型开头（${i.kind}.）。`);
    if ((i.minFineFen === undefined) !== (i.partyType === undefined)) throw new AppError('VALIDATION', `罚款类事项“${i.label}”须同时写明罚款标准和适用的当事人类型。`);
    if (i.minFineFen !== undefined && i.kind !== 'penalty') throw new AppError('VALIDATION', `罚款标准只适用于行政处罚事项（“${i.label}”）。`);
    const tests = [i.minFineFen !== undefined, i.seal !== undefined, i.hearing === true, i.catchAll !== undefined].filter(Boolean).length;
    if (tests > 1) throw new AppError('VALIDATION', `事项“${i.label}”只能有一种认定标准（罚款、查封扣押、听证或兜底）。`);
  }
}

interface ProposalRow { id: number; base_version: number; items_json: string; note: string; by_name: string; at: string }

export async function catalogAdminView(core: Core, actor: Actor): Promise<CatalogAdminView> {
  requirePermission(actor, 'catalog.read');
  const current = await catalogInForce(core);
  const versions = (await core.db.all<{ version: number; note: string; created_at: string; items_json: string }>('SELECT version, note, created_at, items_json FROM catalog_versions ORDER BY version DESC'))
    .map((v) => ({ version: Number(v.version), note: v.note, createdAt: v.created_at, items: (JSON.parse(v.items_json) as unknown[]).length }));
  const rows = (await core.db.all<ProposalRow>(`SELECT p.id, p.base_version, p.items_json, p.note, u.display_name AS by_name, p.at
      FROM catalog_proposals p JOIN users u ON u.id = p.by_id ORDER BY p.id DESC`)).map((r) => ({ ...r, id: Number(r.id), base_version: Number(r.base_version) }));
  const manages = hasPermission(actor.roles, 'catalog.manage');
  const filings = await filingRows(core, { proposalIds: true });
  const views = await filingViews(core, filings, manages);
  const bases = new Map<number, CatalogItem[]>();
  const proposals: CatalogProposalView[] = [];
  for (const r of rows) {
    if (!bases.has(r.base_version)) bases.set(r.base_version, (await getCatalogVersion(core.db, r.base_version))?.items ?? []);
    const items = JSON.parse(r.items_json) as CatalogItem[];
    const fi = filings.findIndex((f) => f.proposal_id === r.id);
    proposals.push({
      id: r.id, baseVersion: r.base_version, note: r.note, by: r.by_name, at: r.at, items,
      changes: catalogChanges(bases.get(r.base_version)!, items),
      filing: fi >= 0 ? views[fi] : null,
      state: fi >= 0 ? 'filed' : r.base_version === current.version ? 'pending' : 'superseded',
    });
  }
  return { current, versions, proposals, canManage: manages, defaultRecipients: await filingRecipients(core) };
}

/** 拟定调整方案: a new catalog based on the version in force; not in force until filed. */
export async function proposeCatalog(core: Core, actor: Actor, input: unknown): Promise<CatalogAdminView> {
  requirePermission(actor, 'catalog.manage');
  const x = parseInput(CatalogProposalInput, input);
  const items = x.items as CatalogItem[];
  checkItems(items);
  await tx(core, async () => {
    const current = await catalogInForce(core);
    if (x.baseVersion !== current.version) throw new AppError('STALE', `现行目录清单已是第${current.version}版：请基于现行版本重新拟定调整方案。`);
    const changes = catalogChanges(current.items, items);
    if (!changes.length) throw new AppError('VALIDATION', '调整方案与现行目录清单相同，没有需要备案的调整。');
    const id = await core.db.insert('INSERT INTO catalog_proposals (base_version, items_json, note, by_id, at) VALUES (?, ?, ?, ?, ?)',
      [current.version, JSON.stringify(items), x.note, actor.id, nowIso(core)]) as number;
    await appendEvent(core, actor, 'catalog.propose', null, { proposalId: Number(id), baseVersion: current.version, changes, note: x.note });
  });
  return await catalogAdminView(core, actor);
}

/** 报送备案: recording the filing brings the proposal into force as the next version. */
export async function fileCatalog(core: Core, actor: Actor, input: unknown): Promise<CatalogAdminView> {
  requirePermission(actor, 'catalog.manage');
  const x = parseInput(CatalogFilingInput, input);
  assertPast(x.filedOn, '报送备案日期', core);
  await tx(core, async () => {
    const p = await core.db.get<ProposalRow>('SELECT id, base_version, items_json, note, by_id AS by_name, at FROM catalog_proposals WHERE id = ?', [x.proposalId]);
    if (!p) throw new AppError('NOT_FOUND', '目录清单调整方案不存在。');
    if (await core.db.get('SELECT 1 FROM filings WHERE proposal_id = ?', [x.proposalId])) throw new AppError('CONFLICT', '该调整方案已登记报送备案，已经生效。');
    const current = await catalogInForce(core);
    if (Number(p.base_version) !== current.version) throw new AppError('BAD_STATE', `该方案基于第${p.base_version}版拟定，现行目录清单已是第${current.version}版：请基于现行版本重新拟定。`);
    const proposedOn = p.at.slice(0, 10);
    if (x.filedOn < proposedOn) throw new AppError('VALIDATION', `报送备案日期不能早于方案拟定日期（${formatChineseDate(proposedOn)}）。`);
    const at = nowIso(core);
    const version = current.version + 1;
    await insertCatalogVersion(core.db, { version, items: JSON.parse(p.items_json) as CatalogItem[] }, `${p.note}（${formatChineseDate(x.filedOn)}报${x.recipients.join('、')}备案后执行）`, at);
    const id = await core.db.insert(`INSERT INTO filings (subject, proposal_id, catalog_version, filed_on, recipients_json, note, by_id, at)
      VALUES ('catalog', ?, ?, ?, ?, ?, ?, ?)`, [x.proposalId, version, x.filedOn, JSON.stringify(x.recipients), x.note, actor.id, at]) as number;
    await appendEvent(core, actor, 'catalog.file', null, { proposalId: x.proposalId, filingId: Number(id), version, filedOn: x.filedOn, recipients: x.recipients });
  });
  return await catalogAdminView(core, actor);
}

/** A recipient's response to a catalog filing; 予以撤销 restores the version before it while it is still in force. */
export async function respondCatalogFiling(core: Core, actor: Actor, input: unknown): Promise<CatalogAdminView> {
  requirePermission(actor, 'catalog.manage');
  await insertResponse(core, actor, input, 'catalog', async (f, _id, result) => {
    if (result !== 'revoked') return;
    const filed = await core.db.get<{ catalog_version: number; base_version: number }>(
      'SELECT f.catalog_version, p.base_version FROM filings f JOIN catalog_proposals p ON p.id = f.proposal_id WHERE f.id = ?', [f.id]);
    const current = await catalogInForce(core);
    if (!filed || Number(filed.catalog_version) !== current.version) return;
    const base = (await getCatalogVersion(core.db, Number(filed.base_version)))!;
    await insertCatalogVersion(core.db, { version: current.version + 1, items: base.items },
      `第${current.version}版的调整经备案监督机关撤销，恢复第${base.version}版的事项`, nowIso(core));
  });
  return await catalogAdminView(core, actor);
}

export async function correctCatalogFiling(core: Core, actor: Actor, input: unknown): Promise<CatalogAdminView> {
  requirePermission(actor, 'catalog.manage');
  await insertCorrection(core, actor, input, 'catalog');
  return await catalogAdminView(core, actor);
}
