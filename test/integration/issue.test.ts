// Issuing a finalised review opinion: rendered, signed with the reviewer's identity, stored, logged;
// verified by our verifier and by Debian's pdfsig / openssl; never re-issued in place.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { allConform, caseInput, makeFixture, type Fixture } from '../helpers/fixture';
import { refusedAsync } from '../helpers/refuse';
import { finalOpinion as makeOpinion } from '../helpers/opinion';
import { submitCase } from '../../main/core/services/cases';
import { issueReview, takeCase } from '../../main/core/services/reviews';
import { listDocuments } from '../../main/core/services/documents';
import { createTrialIdentityFor, downloadIssued, issueDocument, myIdentities, retireMyIdentity, verifyBytes } from '../../main/core/services/issue';

let f: Fixture;
beforeEach(async () => {
  f = await makeFixture();
});
afterEach(async () => f.close());

const finalOpinion = () => makeOpinion(f);

describe('issuing a signed review opinion', () => {
  it('signs PDF and DOCX with the reviewer’s identity, stores them and logs their hashes', async () => {
    const c = await finalOpinion();
    expect(await refusedAsync(issueDocument(f.core, f.reviewer, { caseId: c.id, templateId: 'review-opinion' }), 'BAD_STATE')).toContain('签名证书');
    const id = await createTrialIdentityFor(f.core, f.reviewer);
    expect(id).toMatchObject({ subjectCN: '王审核', trial: true });
    expect(await myIdentities(f.core, f.reviewer)).toHaveLength(1);
    // nothing secret in the database
    const dump = JSON.stringify((await f.core.db.all('SELECT * FROM signing_identities'))) + JSON.stringify((await f.core.db.all('SELECT payload_json FROM events')));
    const secret = await (await f.core.secrets()).get('legal-review-workstation/signing-key', id.fingerprint);
    expect(secret).toBeTruthy();
    expect(dump).not.toContain(secret!);

    expect(await refusedAsync(issueDocument(f.core, f.handler, { caseId: c.id, templateId: 'review-opinion' }), 'FORBIDDEN')).toContain('本轮审核人员');
    const files = await issueDocument(f.core, f.reviewer, { caseId: c.id, templateId: 'review-opinion' });
    expect(files.map((x) => x.format)).toEqual(['pdf', 'docx', 'p7s']);
    const event = (await f.core.db.value("SELECT payload_json FROM events WHERE action = 'document.issue'")) as string;
    for (const x of files) expect(event).toContain(x.sha256);

    const pdf = Buffer.from((await downloadIssued(f.core, f.reviewer, files[0].id)).base64, 'base64');
    const v = await verifyBytes(f.core, pdf, undefined, f.reviewer);
    expect(v).toMatchObject({ signed: true, intact: true, signer: '王审核', issuedHere: { caseNo: c.caseNo } });
    expect(v.certificate?.trial).toBe(true);
    const tampered = Buffer.from(pdf);
    tampered[300] ^= 1; // inside the signed byte range
    expect(await verifyBytes(f.core, tampered)).toMatchObject({ intact: false, issuedHere: null });

    const docx = Buffer.from((await downloadIssued(f.core, f.reviewer, files[1].id)).base64, 'base64');
    const p7s = Buffer.from((await downloadIssued(f.core, f.reviewer, files[2].id)).base64, 'base64');
    expect(await verifyBytes(f.core, docx, p7s)).toMatchObject({ signed: true, intact: true, signer: '王审核' });
    const docx2 = Buffer.from(docx);
    docx2[docx2.length - 10] ^= 1;
    expect((await verifyBytes(f.core, docx2, p7s)).intact).toBe(false);

    // Debian's tools agree
    const out = path.join(f.dir, 'opinion.pdf');
    fs.writeFileSync(out, pdf);
    const sig = spawnSync('pdfsig', [out], { encoding: 'utf8' });
    expect(sig.stdout).toContain('Signature is Valid');
    expect(execFileSync('pdftotext', [out, '-'], { encoding: 'utf8' })).toContain('王审核');
    // keep a picture of the signed opinion's last page as a test artifact
    const art = path.resolve('test-artifacts/documents');
    fs.mkdirSync(art, { recursive: true });
    fs.copyFileSync(out, path.join(art, 'issued-review-opinion.pdf'));
    execFileSync('pdftoppm', ['-png', '-r', '50', '-l', '3', out, path.join(art, 'issued-review-opinion')]);
    fs.writeFileSync(path.join(f.dir, 'o.docx'), docx);
    fs.writeFileSync(path.join(f.dir, 'o.p7s'), p7s);
    const ossl = spawnSync('openssl', ['cms', '-verify', '-binary', '-inform', 'DER', '-in', path.join(f.dir, 'o.p7s'), '-content', path.join(f.dir, 'o.docx'), '-noverify', '-out', '/dev/null'], { encoding: 'utf8' });
    expect(ossl.stderr).toContain('Verification successful');

    // issued files are never re-issued in place; the case lists them
    expect(await refusedAsync(issueDocument(f.core, f.reviewer, { caseId: c.id, templateId: 'review-opinion' }), 'CONFLICT')).toContain('新版本');
    expect((await listDocuments(f.core, f.reviewer, c.id))[0].issued.map((i) => i.format)).toEqual(['pdf', 'docx', 'p7s']);
    await expect((async () => f.core.db.exec("UPDATE issued_files SET sha256 = 'x'"))()).rejects.toThrow(/IMMUTABLE/);
  });

  it('a retired certificate no longer signs; the newest active one does', async () => {
    const first = await createTrialIdentityFor(f.core, f.reviewer);
    f.clock.now = new Date(f.clock.now.getTime() + 1000);
    const second = await createTrialIdentityFor(f.core, f.reviewer);
    expect((await myIdentities(f.core, f.reviewer))[0].fingerprint).toBe(second.fingerprint);
    const left = await retireMyIdentity(f.core, f.reviewer, second.fingerprint);
    expect(left.map((i) => i.fingerprint)).toEqual([first.fingerprint]);
    await expect((async () => await retireMyIdentity(f.core, f.reviewer2, first.fingerprint))()).rejects.toThrow(/没有这张/);
  });

  it('a trial certificate whose passphrase the keychain lost: retire it and make a new one', async () => {
    const c = await finalOpinion();
    const trial = await createTrialIdentityFor(f.core, f.reviewer);
    const store = await f.core.secrets();
    expect(await store.delete('legal-review-workstation/signing-key', trial.fingerprint)).toBe(true);
    const msg = await refusedAsync(issueDocument(f.core, f.reviewer, { caseId: c.id, templateId: 'review-opinion' }), 'NOT_FOUND');
    expect(msg).toBe('系统钥匙串中没有该试用证书的口令，试用证书无法重新导入：请在“签名证书”中停用该试用证书，再生成新的试用证书。');
    expect(msg).not.toContain('重新导入证书');
    // Nothing was issued; doing what the message says lets the reviewer sign.
    expect((await listDocuments(f.core, f.reviewer, c.id))[0].issued).toEqual([]);
    await retireMyIdentity(f.core, f.reviewer, trial.fingerprint);
    f.clock.now = new Date(f.clock.now.getTime() + 1000);
    await createTrialIdentityFor(f.core, f.reviewer);
    expect((await issueDocument(f.core, f.reviewer, { caseId: c.id, templateId: 'review-opinion' })).map((x) => x.format)).toEqual(['pdf', 'docx', 'p7s']);
  });

  it('refuses to issue before the document is final', async () => {
    const c = await submitCase(f.core, f.handler, caseInput(f));
    await createTrialIdentityFor(f.core, f.reviewer);
    // Before the review is issued the opinion document cannot exist at all (the authority table).
    await takeCase(f.core, f.reviewer, c.id);
    expect(await refusedAsync(issueDocument(f.core, f.reviewer, { caseId: c.id, templateId: 'review-opinion' }), 'BAD_STATE')).toContain('审核意见出具之后');
    await issueReview(f.core, f.reviewer, { caseId: c.id, findings: allConform(), outcome: 'agree', opinion: '同意' });
    expect(await refusedAsync(issueDocument(f.core, f.reviewer, { caseId: c.id, templateId: 'review-opinion' }), 'BAD_STATE')).toContain('定稿');
  });

  it('a file that is not a PDF needs its .p7s', async () => {
    await expect((async () => await verifyBytes(f.core, Buffer.from('PK\u0003\u0004 not a pdf')))()).rejects.toThrow(/p7s/);
  });
});
