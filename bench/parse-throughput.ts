import path from 'node:path';
import { existsSync } from 'node:fs';
import { sources } from '../scrapers/registry.js';
import { responseFor, samplesOf, type Sample } from '../test/support/source-samples.js';
import type { SourceDefinition } from '../src/scraping/source.js';
import { median } from './stats.js';

const corpus = path.resolve(import.meta.dirname, '../../shared/corpus');

/**
 * Parse throughput per source format: each source's fixtures as its own discovery reaches them (and,
 * for legislation, the real CLML files of ../shared/corpus), parsed in rounds of at least `minMs`;
 * MB/s and clauses/s are medians over rounds. Fixtures are small, so this measures per-document cost too.
 */
export async function benchParse(options: { rounds: number; minMs: number }) {
  const results = [];
  for (const source of sources) {
    const sets: [string, Sample[]][] = [['fixtures', await samplesOf(source)]];
    if (source.id === 'legislation' && existsSync(corpus)) sets.push(['../shared/corpus', await samplesOf(source, corpus)]);
    for (const [inputs, samples] of sets) {
      const measured = await measure(source, samples, options);
      if (measured) results.push({ source: source.id, inputs, ...measured });
    }
  }
  return results;
}

async function measure(source: SourceDefinition, samples: Sample[], options: { rounds: number; minMs: number }) {
  // Only inputs that parse: failures are measured by the fuzz test, not here.
  const good: Sample[] = [];
  for (const s of samples) {
    try {
      await source.parse(responseFor(s), s.ref);
      good.push(s);
    } catch {
      /* skipped */
    }
  }
  if (good.length === 0) return null;
  const responses = good.map((s) => ({ sample: s, response: responseFor(s) }));
  const bytes = good.reduce((n, s) => n + s.body.length, 0);
  const mbPerSecond: number[] = [];
  const clausesPerSecond: number[] = [];
  for (let round = 0; round < options.rounds; round++) {
    let parsedBytes = 0;
    let clauses = 0;
    const started = performance.now();
    while (performance.now() - started < options.minMs) {
      for (const { sample, response } of responses) {
        const page = await source.parse(response, sample.ref);
        clauses += page.documents.reduce((n, d) => n + d.clauses.length, 0);
        parsedBytes += sample.body.length;
      }
    }
    const seconds = (performance.now() - started) / 1000;
    mbPerSecond.push(parsedBytes / 1e6 / seconds);
    clausesPerSecond.push(clauses / seconds);
  }
  const formats = [...new Set(good.map((s) => s.contentType.split(';')[0]))].join(', ');
  return {
    formats,
    files: good.length,
    bytes,
    mbPerSecond: Number(median(mbPerSecond).toFixed(2)),
    clausesPerSecond: Math.round(median(clausesPerSecond)),
  };
}
