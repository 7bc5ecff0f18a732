import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** Files of the shared corpus (read in place, never copied into the repo) and of a source's own fixtures. */
export const repoRoot = path.resolve(import.meta.dirname, '../..');
export const corpusDir = path.resolve(repoRoot, '../shared/corpus');
/** SKIP_CORPUS=1 skips the corpus suites where ../shared/corpus is not mounted; otherwise a missing corpus fails loudly. */
export const skipCorpus = process.env.SKIP_CORPUS === '1';

export function readCorpus(relativePath: string): string {
  const file = path.join(corpusDir, relativePath);
  if (!existsSync(file)) {
    throw new Error(`corpus file not found: ${file} (expected the shared corpus at ${corpusDir}; set SKIP_CORPUS=1 to skip corpus tests)`);
  }
  return readFileSync(file, 'utf8');
}

/** The `fixtures/` folder beside a source's tests, and a reader for it. */
export function fixturesOf(sourceDir: string): { fixturesDir: string; readFixture: (name: string) => string } {
  const fixturesDir = path.join(sourceDir, 'fixtures');
  return { fixturesDir, readFixture: (name) => readFileSync(path.join(fixturesDir, name), 'utf8') };
}
