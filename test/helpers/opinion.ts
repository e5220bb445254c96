// A case whose review opinion is finalised by its reviewer: what issuing starts from.
import { submitCase } from '../../main/core/services/cases';
import { finalizeDocument, previewDocument, saveDocument } from '../../main/core/services/documents';
import { issueReview, takeCase } from '../../main/core/services/reviews';
import { allConform, caseInput, type Fixture } from './fixture';

export async function finalOpinion(f: Fixture, caseNo = '某市监罚立〔2026〕101号') {
  const c = await submitCase(f.core, f.handler, caseInput(f, { caseNo }));
  await takeCase(f.core, f.reviewer, c.id);
  await issueReview(f.core, f.reviewer, { caseId: c.id, findings: allConform(), outcome: 'agree', opinion: '经审核，事实清楚，证据确凿，适用依据正确，程序合法，同意。' });
  const p = await previewDocument(f.core, f.reviewer, { caseId: c.id, templateId: 'review-opinion' });
  await saveDocument(f.core, f.reviewer, { caseId: c.id, templateId: 'review-opinion', model: p.model });
  await finalizeDocument(f.core, f.reviewer, { caseId: c.id, templateId: 'review-opinion' });
  return c;
}
