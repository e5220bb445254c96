// Document rendering speed: a typical three-page 法制审核意见书 (nine findings, outcome 同意, signer and
// seal) rendered to PDF and to DOCX 20 times each; prints the median. Also the signing steps.
// Run with `npm run bench` (bench/run.ts) or on its own: node --import tsx bench/documents.ts
import { renderDocx } from '../main/core/documents/docx';
import { findCjkFonts } from '../main/core/documents/fonts';
import { renderPdf } from '../main/core/documents/pdf';
import { signedReviewOpinion } from '../test/unit/documents/sample-model';

const RUNS = Number(process.env.BENCH_DOC_RUNS ?? 20);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

async function time(label: string, fn: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  const m = median(times);
  console.log(`${label}: median ${m.toFixed(1)} ms over ${RUNS} runs (first ${times[0].toFixed(1)} ms, max ${Math.max(...times).toFixed(1)} ms)`);
  return m;
}

export async function benchDocuments(): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  const t0 = performance.now();
  const fonts = findCjkFonts();
  console.log(`documents: fonts found in ${(performance.now() - t0).toFixed(1)} ms (body ${fonts.roles.body.face.displayName})`);
  const model = signedReviewOpinion();
  const pdf = await renderPdf(model, fonts);
  const docx = await renderDocx(model);
  console.log(`documents: PDF ${Math.round(pdf.length / 1024)} KB, DOCX ${Math.round(docx.length / 1024)} KB`);
  out.renderPdfMedianMs = await time('documents: render PDF (3 pages)', () => renderPdf(model, fonts));
  out.renderDocxMedianMs = await time('documents: render DOCX (3 pages)', () => renderDocx(model));

  // Signing, with a trial identity in memory (RSA 2048).
  const os = await import('node:os');
  const fs = await import('node:fs');
  const path = await import('node:path');
  const { MemorySecretStore } = await import('../main/core/secrets/index');
  const { createTrialIdentity, loadSigningKey } = await import('../main/core/documents/identity');
  const { signPdf, signDocx } = await import('../main/core/documents/sign');
  const { verifyPdf } = await import('../main/core/documents/verify');
  const keysDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lrw-bench-keys-'));
  try {
    const store = new MemorySecretStore();
    const id = await createTrialIdentity({ signerName: '张三', agency: '某市市场监督管理局', keysDir, store });
    const key = await loadSigningKey(id.id, { keysDir, store });
    let signed = pdf;
    out.signPdfMedianMs = await time('documents: sign PDF', async () => {
      signed = await signPdf(pdf, key.p12, key.passphrase, { name: '张三', reason: '法制审核意见', location: '某市' });
    });
    out.signDocxMedianMs = await time('documents: sign DOCX (.p7s)', () => signDocx(docx, key.p12, key.passphrase));
    out.verifyPdfMedianMs = await time('documents: verify signed PDF', async () => verifyPdf(signed));
  } finally {
    fs.rmSync(keysDir, { recursive: true, force: true });
  }
  return { ...out, pdfBytes: pdf.length, docxBytes: docx.length };
}

if (process.argv[1] && /bench[\\/]documents\.ts$/.test(process.argv[1])) {
  benchDocuments().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
