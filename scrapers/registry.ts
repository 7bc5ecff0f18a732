import type { SourceDefinition } from '../src/scraping/source.js';
import { legislationSource } from './legislation/source.js';
import { walesStatementsSource } from './wales-statements/source.js';
import { walesBudgetsSource } from './wales-budgets/source.js';

/** Every source the tracker runs, one line each; the conventions test checks each folder is here. */
export const sources: readonly SourceDefinition[] = [
  legislationSource,
  walesStatementsSource,
  walesBudgetsSource,
];
