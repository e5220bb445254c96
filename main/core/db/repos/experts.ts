// Expert opinions (专家论证, 003 第十八条) attached to a review round: append-only rows.
import type { Db } from '../open';
import type { ExpertOpinionView } from '../../domain/views';

export interface ExpertOpinionRow {
  id: number;
  case_id: number;
  round: number;
  review_kind: 'review' | 'rereview';
  experts_json: string;
  held_on: string;
  opinion: string;
  file_sha256: string | null;
  file_name: string | null;
  file_size: number | null;
  added_by: number;
  added_by_name: string;
  added_at: string;
}

export async function insertExpertOpinion(
  db: Db,
  e: { caseId: number; round: number; reviewKind: 'review' | 'rereview'; experts: string[]; heldOn: string; opinion: string; fileSha256: string | null; fileName: string | null; by: number; at: string },
): Promise<number> {
  return await db.insert(
    `INSERT INTO expert_opinions (case_id, round, review_kind, experts_json, held_on, opinion, file_sha256, file_name, added_by, added_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [e.caseId, e.round, e.reviewKind, JSON.stringify(e.experts), e.heldOn, e.opinion, e.fileSha256, e.fileName, e.by, e.at],
  ) as number;
}

export const expertOpinionsOfCase = async (db: Db, caseId: number) =>
  await db.all(
    `SELECT x.*, u.display_name AS added_by_name, b.size AS file_size
       FROM expert_opinions x JOIN users u ON u.id = x.added_by LEFT JOIN blobs b ON b.sha256 = x.file_sha256
      WHERE x.case_id = ? ORDER BY x.id`,
    [caseId],
  ) as ExpertOpinionRow[];

export function expertOpinionView(r: ExpertOpinionRow): ExpertOpinionView {
  return {
    id: r.id,
    round: r.round,
    reviewKind: r.review_kind,
    experts: JSON.parse(r.experts_json) as string[],
    heldOn: r.held_on,
    opinion: r.opinion,
    file: r.file_sha256 ? { sha256: r.file_sha256, name: r.file_name ?? '', size: Number(r.file_size ?? 0) } : null,
    addedBy: r.added_by_name,
    addedAt: r.added_at,
  };
}

/** Every expert opinion of a case, oldest first (the caller has checked that the actor may read the case). */
export const expertOpinionViews = async (db: Db, caseId: number): Promise<ExpertOpinionView[]> =>
  (await expertOpinionsOfCase(db, caseId)).map(expertOpinionView);
