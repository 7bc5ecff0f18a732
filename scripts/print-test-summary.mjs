// Prints vitest's totals as the plain closing line CI reads: "N passed, N failed[, N skipped]".
import { readFileSync } from 'node:fs';

const file = process.argv[2] ?? '.tmp/vitest-results.json';
let results;
try {
  results = JSON.parse(readFileSync(file, 'utf8'));
} catch (error) {
  console.error(`no vitest results at ${file} (${error.message}); the test run did not complete`);
  console.log('0 passed, 1 failed');
  process.exit(1);
}
const skipped = (results.numPendingTests ?? 0) + (results.numTodoTests ?? 0);
// A file that fails to load has no failed tests of its own; count it once so it cannot pass unseen.
const brokenFiles = (results.testResults ?? []).filter(
  (file) => file.status === 'failed' && !(file.assertionResults ?? []).some((test) => test.status === 'failed'),
).length;
const failed = results.numFailedTests + brokenFiles;
console.log(`${results.numPassedTests} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 || results.numPassedTests === 0 ? 1 : 0);
