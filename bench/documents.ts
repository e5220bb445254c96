// Document speed (issue 15): a 3-page 法制审核意见书 (nine findings, signer and seal) and a 4-page
// 行政处罚决定书, rendered to PDF warm (median of 50), the first render in a fresh process, the DOCX, and
// issuing — PDF + DOCX rendered and both signed (PDF signature, .p7s) — warm; beside LibreOffice
// converting the same DOCX to PDF (`soffice --headless --convert-to pdf`), once cold and twenty in one
// call, when it is installed (skipped, and said so, otherwise). Ratios in the same run; memory of the
// rendering process. Figures also as `figures` ([{ name, value, unit, baseline, ratio }], stable names).
// Run with `npm run bench` (bench/run.ts) or on its own: node --import tsx bench/documents.ts
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { renderDocx } from '../main/core/documents/docx';
import { findCjkFonts } from '../main/core/documents/fonts';
import { renderPdf } from '../main/core/documents/pdf';
import { samplePenaltyDecision, signedReviewOpinion } from '../test/unit/documents/sample-model';

const RUNS = Number(process.env.BENCH_DOC_RUNS ?? 50);
const BATCH = 20;

export interface Figure {
  name: string;
  value: number;
  unit: 'ms' | '/s' | 'MB' | 'KB' | 'x';
  baseline?: string;
  ratio?: number;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

async function time(label: string, fn: () => Promise<unknown>, runs = RUNS): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  const m = median(times);
  console.log(`${label}: median ${m.toFixed(1)} ms over ${runs} runs (min ${Math.min(...times).toFixed(1)}, max ${Math.max(...times).toFixed(1)} ms)`);
  return m;
}

/**
 * A fresh Node process rendering: the first PDF (fonts found and the document rendered, after the
 * modules loaded) — cold, or after the start-up warm-up the desktop and `lrw serve` run
 * (documents/prewarm.ts) — then 20 more of both documents; and the process's peak memory.
 */
function freshProcess(which: 'opinion' | 'decision', warm: boolean): { firstMs: number; peakMb: number } | null {
  const script = `
    const { findCjkFonts } = require('./main/core/documents/fonts');
    const { renderPdf } = require('./main/core/documents/pdf');
    const { prewarmPdf } = require('./main/core/documents/prewarm');
    const m = require('./test/unit/documents/sample-model');
    (async () => {
      ${warm ? 'await prewarmPdf(findCjkFonts());' : ''}
      const t0 = performance.now();
      await renderPdf(${which === 'opinion' ? 'm.signedReviewOpinion()' : 'm.samplePenaltyDecision()'}, findCjkFonts());
      const first = performance.now() - t0;
      for (let i = 0; i < 20; i++) { await renderPdf(m.signedReviewOpinion(), findCjkFonts()); await renderPdf(m.samplePenaltyDecision(), findCjkFonts()); }
      console.log('FIRST ' + first + ' PEAK ' + process.resourceUsage().maxRSS / 1024);
    })();`;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], { cwd: path.resolve(__dirname, '..'), encoding: 'utf8' });
  const m = /FIRST ([\d.]+) PEAK ([\d.]+)/.exec(r.stdout);
  return m ? { firstMs: Number(m[1]), peakMb: Number(m[2]) } : null;
}

function soffice(): string | null {
  for (const bin of ['soffice', 'libreoffice']) {
    const r = spawnSync(bin, ['--version'], { encoding: 'utf8' });
    if (r.status === 0) return bin;
  }
  return null;
}

/** LibreOffice converting DOCX files to PDF in one call, with a fresh profile (cold): wall time in ms. */
function libreOfficeConvert(bin: string, files: string[], outDir: string): number {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'lrw-bench-lo-'));
  try {
    const t0 = performance.now();
    const r = spawnSync(bin, [`-env:UserInstallation=file://${profile}`, '--headless', '--convert-to', 'pdf', '--outdir', outDir, ...files], { encoding: 'utf8' });
    const ms = performance.now() - t0;
    if (r.status !== 0) throw new Error(`soffice failed: ${r.stderr}`);
    return ms;
  } finally {
    fs.rmSync(profile, { recursive: true, force: true });
  }
}

/** LibreOffice with its profile already made: the batch figure is its per-document cost, not its start-up. */
function libreOfficeWarmProfile(bin: string, file: string, outDir: string): string {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'lrw-bench-lo-'));
  spawnSync(bin, [`-env:UserInstallation=file://${profile}`, '--headless', '--convert-to', 'pdf', '--outdir', outDir, file], { encoding: 'utf8' });
  return profile;
}

export async function benchDocuments(): Promise<Record<string, unknown>> {
  const figures: Figure[] = [];
  const fonts = findCjkFonts();
  console.log(`documents: body font ${fonts.roles.body.face.displayName}`);
  const opinion = signedReviewOpinion();
  const decision = samplePenaltyDecision();
  const pdf = await renderPdf(opinion, fonts);
  const docx = await renderDocx(opinion);
  const decisionPdf = await renderPdf(decision, fonts);
  const decisionDocx = await renderDocx(decision);
  console.log(`documents: opinion PDF ${Math.round(pdf.length / 1024)} KB, DOCX ${Math.round(docx.length / 1024)} KB; decision PDF ${Math.round(decisionPdf.length / 1024)} KB`);

  const warmOpinion = await time('documents: PDF warm, opinion (3 pages)', () => renderPdf(opinion, fonts));
  const warmDecision = await time('documents: PDF warm, penalty decision (4 pages)', () => renderPdf(decision, fonts));
  const docxWarm = await time('documents: DOCX warm, opinion', () => renderDocx(opinion));
  const cold = freshProcess('opinion', false);
  const coldDecision = freshProcess('decision', false);
  const warmed = freshProcess('opinion', true);
  const firstOpinion = cold?.firstMs ?? null;
  const firstDecision = coldDecision?.firstMs ?? null;
  const renderPeakMb = cold?.peakMb ?? null;
  console.log(`documents: first PDF in a fresh process, cold: opinion ${firstOpinion?.toFixed(0)} ms, decision ${firstDecision?.toFixed(0)} ms; after the start-up warm-up: opinion ${warmed?.firstMs.toFixed(0)} ms`);
  console.log(`documents: peak memory of a process rendering 41 documents: ${renderPeakMb?.toFixed(0)} MB (goal ≤ 300 MB; includes tsx)`);

  // Issuing: both renders and both signatures, with a trial identity in memory (RSA 2048).
  const { MemorySecretStore } = await import('../main/core/secrets/index');
  const { createTrialIdentity, loadSigningKey } = await import('../main/core/documents/identity');
  const { signPdf, signDocx } = await import('../main/core/documents/sign');
  const { verifyPdf } = await import('../main/core/documents/verify');
  const keysDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lrw-bench-keys-'));
  let signPdfMs = 0;
  let signDocxMs = 0;
  let issueMs = 0;
  let verifyMs = 0;
  try {
    const store = new MemorySecretStore();
    const id = await createTrialIdentity({ signerName: '张三', agency: '某市市场监督管理局', keysDir, store });
    const key = await loadSigningKey(id.id, { keysDir, store });
    const sig = { name: '张三', reason: '法制审核意见', location: '某市' };
    let signed = pdf;
    signPdfMs = await time('documents: sign PDF', async () => {
      signed = await signPdf(pdf, key.p12, key.passphrase, sig);
    });
    signDocxMs = await time('documents: sign DOCX (.p7s)', () => signDocx(docx, key.p12, key.passphrase));
    verifyMs = await time('documents: verify signed PDF', async () => verifyPdf(signed));
    issueMs = await time('documents: issue warm (PDF + DOCX rendered, both signed)', async () => {
      const [p, d] = await Promise.all([renderPdf(opinion, fonts), renderDocx(opinion)]);
      await signPdf(p, key.p12, key.passphrase, sig);
      await signDocx(d, key.p12, key.passphrase);
    });
  } finally {
    fs.rmSync(keysDir, { recursive: true, force: true });
  }

  figures.push(
    { name: 'pdf.warm.opinion', value: warmOpinion, unit: 'ms' },
    { name: 'pdf.warm.decision', value: warmDecision, unit: 'ms' },
    { name: 'docx.warm.opinion', value: docxWarm, unit: 'ms' },
    { name: 'issue.warm.opinion', value: issueMs, unit: 'ms', baseline: 'goal 100 ms', ratio: 100 / issueMs },
    { name: 'sign.pdf.warm', value: signPdfMs, unit: 'ms' },
    { name: 'sign.p7s.warm', value: signDocxMs, unit: 'ms' },
    { name: 'verify.pdf.warm', value: verifyMs, unit: 'ms' },
  );
  if (renderPeakMb !== null) figures.push({ name: 'pdf.memory.peak', value: renderPeakMb, unit: 'MB', baseline: 'goal 300 MB (a process rendering 41 documents)', ratio: 300 / renderPeakMb });
  if (warmed) figures.push({ name: 'pdf.first.opinion.prewarmed', value: warmed.firstMs, unit: 'ms', baseline: 'goal 300 ms; after the start-up warm-up', ratio: 300 / warmed.firstMs });
  if (firstOpinion !== null) figures.push({ name: 'pdf.first.opinion', value: firstOpinion, unit: 'ms', baseline: 'goal 300 ms', ratio: 300 / firstOpinion });
  if (firstDecision !== null) figures.push({ name: 'pdf.first.decision', value: firstDecision, unit: 'ms' });

  const lo = soffice();
  let libreOffice: Record<string, number> | string = 'skipped: LibreOffice (soffice) is not installed';
  if (!lo) console.log(`documents: ${libreOffice}`);
  else {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lrw-bench-docx-'));
    try {
      const one = path.join(dir, 'opinion.docx');
      fs.writeFileSync(one, docx);
      const batch = Array.from({ length: BATCH }, (_, i) => {
        const f = path.join(dir, `batch-${i}.docx`);
        fs.writeFileSync(f, i % 2 ? decisionDocx : docx);
        return f;
      });
      const cold = libreOfficeConvert(lo, [one], path.join(dir, 'out-cold'));
      const profile = libreOfficeWarmProfile(lo, one, path.join(dir, 'out-warm'));
      const t0 = performance.now();
      const r = spawnSync(lo, [`-env:UserInstallation=file://${profile}`, '--headless', '--convert-to', 'pdf', '--outdir', path.join(dir, 'out-batch'), ...batch], { encoding: 'utf8' });
      const batchMs = performance.now() - t0;
      fs.rmSync(profile, { recursive: true, force: true });
      if (r.status !== 0) throw new Error(`soffice failed: ${r.stderr}`);
      const perDoc = batchMs / BATCH;
      const ours = (warmOpinion + warmDecision) / 2;
      libreOffice = { coldMs: cold, batchMs, perDocMs: perDoc };
      console.log(`documents: LibreOffice DOCX→PDF cold ${cold.toFixed(0)} ms (one document, fresh profile); ${BATCH} in one call ${batchMs.toFixed(0)} ms = ${perDoc.toFixed(0)} ms a document`);
      console.log(`documents: ratios — warm PDF (${ours.toFixed(1)} ms, mean of both) is ${(perDoc / ours).toFixed(1)}× LibreOffice's per-document cost in a batch (goal ≥ 1.5×) and ${(cold / warmOpinion).toFixed(0)}× its cold conversion (goal ≥ 10×); our first PDF in a fresh process is ${firstOpinion ? (cold / firstOpinion).toFixed(1) : '?'}× faster than its cold one`);
      figures.push(
        { name: 'pdf.libreoffice.batch', value: perDoc, unit: 'ms', baseline: `LibreOffice ${BATCH} DOCX in one call, per document` },
        { name: 'pdf.libreoffice.cold', value: cold, unit: 'ms', baseline: 'LibreOffice one DOCX, fresh profile' },
        { name: 'pdf.warm.vs.libreoffice.batch', value: perDoc / ours, unit: 'x', baseline: 'pdf.libreoffice.batch / mean(pdf.warm.opinion, pdf.warm.decision); goal 1.5', ratio: perDoc / ours },
        { name: 'pdf.warm.vs.libreoffice.cold', value: cold / warmOpinion, unit: 'x', baseline: 'pdf.libreoffice.cold / pdf.warm.opinion; goal 10', ratio: cold / warmOpinion },
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  console.log(`documents: issue warm ${issueMs.toFixed(1)} ms (goal ≤ 100), PDF warm ${warmOpinion.toFixed(1)} ms (goal ≤ 50), first ${firstOpinion?.toFixed(0)} ms (goal ≤ 300)`);
  return {
    renderPdfMedianMs: warmOpinion,
    renderPdfDecisionMedianMs: warmDecision,
    renderDocxMedianMs: docxWarm,
    firstPdfMs: firstOpinion,
    issueMedianMs: issueMs,
    signPdfMedianMs: signPdfMs,
    signDocxMedianMs: signDocxMs,
    verifyPdfMedianMs: verifyMs,
    firstPdfAfterWarmupMs: warmed?.firstMs ?? null,
    renderPeakRssMb: renderPeakMb,
    pdfBytes: pdf.length,
    docxBytes: docx.length,
    libreOffice,
    figures,
  };
}

if (process.argv[1] && /bench[\\/]documents\.ts$/.test(process.argv[1])) {
  benchDocuments().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
