import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Test helper: files of the shared corpus (never copied into the repo) and of our own fixtures. */
const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, '../..');
export const corpusDir = path.resolve(repoRoot, '../shared/corpus');
/** SKIP_CORPUS=1 skips the corpus suites where ../shared/corpus is not mounted. */
export const skipCorpus = process.env.SKIP_CORPUS === '1';

export function readCorpus(relativePath: string): string {
  const file = path.join(corpusDir, relativePath);
  if (!existsSync(file)) {
    throw new Error(`corpus file not found: ${file} (expected the shared corpus at ${corpusDir}; set SKIP_CORPUS=1 to skip corpus tests)`);
  }
  return readFileSync(file, 'utf8');
}

export function readFixture(name: string): string {
  return readFileSync(path.join(here, 'fixtures', name), 'utf8');
}
