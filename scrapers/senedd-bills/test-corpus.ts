import { fixturesOf } from '../../test/support/corpus.js';

export { corpusDir, readCorpus, repoRoot, skipCorpus } from '../../test/support/corpus.js';
export const { fixturesDir, readFixture } = fixturesOf(import.meta.dirname);
