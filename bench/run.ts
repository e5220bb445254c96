// `npm run bench`: speed and memory targets are measured here, never asserted in tests.
import { benchSearch } from './search';

async function main() {
  await benchSearch();
  try {
    const docs = await import('./documents');
    const run = (docs as { default?: () => Promise<void>; benchDocuments?: () => Promise<void> });
    await (run.benchDocuments ?? run.default)?.();
  } catch (err) {
    console.log(`documents benchmark unavailable: ${(err as Error).message}`);
  }
}

await main();
