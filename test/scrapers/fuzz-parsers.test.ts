import { existsSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DocumentValidationError, prepareDocument } from '../../src/pipeline/prepare-document.js';
import { ScrapeError } from '../../src/scraping/errors.js';
import { sources } from '../../scrapers/registry.js';
import { mutationArbitrary } from '../support/mutations.js';
import { responseFor, samplesOf } from '../support/source-samples.js';

const root = path.resolve(import.meta.dirname, '../..');
const RUNS = Number(process.env.FUZZ_RUNS ?? 1000);
const SEED = Number(process.env.FUZZ_SEED ?? 20261125);

describe.each(sources.map((s) => s.id))('fuzzing the %s parsers', (sourceId) => {
  it(`${RUNS} mutated fixtures: each ends as valid documents, a stated skip, or an error the run records — never a crash`, async () => {
    const manifest = path.join(root, 'scrapers', sourceId, 'fixtures', 'manifest.tsv');
    expect(existsSync(manifest), `${sourceId} needs fixtures/manifest.tsv`).toBe(true);
    const source = sources.find((s) => s.id === sourceId)!;
    const samples = await samplesOf(source);
    expect(samples.length, `${sourceId} discovery reaches its fixtures`).toBeGreaterThan(0);
    const outcomes = { documents: 0, skipped: 0, errors: 0 };

    await fc.assert(
      fc.asyncProperty(fc.nat({ max: samples.length - 1 }), mutationArbitrary, async (index, mutation) => {
        const sample = samples[index]!;
        let page;
        try {
          page = await source.parse(responseFor(sample, mutation.apply(sample.body)), sample.ref);
        } catch (error) {
          if (error instanceof ScrapeError) {
            outcomes.errors += 1;
            return;
          }
          throw new Error(`${sourceId} crashed on ${sample.ref.url} after "${mutation.name}": ${error instanceof Error ? error.stack : String(error)}`);
        }
        if (page.documents.length === 0) {
          expect(page.skipped, `an empty result must say why (${mutation.name})`).toBeTruthy();
          outcomes.skipped += 1;
          return;
        }
        // What the importer does next: a document that fails validation is recorded as failed, like a parse error.
        try {
          for (const doc of page.documents) prepareDocument(doc);
        } catch (error) {
          if (!(error instanceof DocumentValidationError)) throw error;
          outcomes.errors += 1;
          return;
        }
        outcomes.documents += 1;
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
    expect(outcomes.documents + outcomes.skipped + outcomes.errors).toBe(RUNS);
    // Damage must be detected somewhere (or the mutations are not reaching the parser), and mild damage
    // must still parse (or the parser is simply rejecting everything).
    expect(outcomes.errors).toBeGreaterThan(0);
    expect(outcomes.documents + outcomes.skipped).toBeGreaterThan(0);
  }, 180_000);
});
