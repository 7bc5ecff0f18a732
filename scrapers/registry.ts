import type { SourceDefinition } from '../src/scraping/source.js';
import { legislationSource } from './legislation/source.js';
import { seneddBillsSource } from './senedd-bills/source.js';
import { walesGuidanceSource } from './wales-guidance/source.js';
import { ukBillsSource } from './uk-bills/source.js';
import { ukStatementsSource } from './uk-statements/source.js';
import { walesStatementsSource } from './wales-statements/source.js';
import { walesBudgetsSource } from './wales-budgets/source.js';

/** Every source the tracker runs, one line each; the conventions test checks each folder is here. */
export const sources: readonly SourceDefinition[] = [
  legislationSource,
  seneddBillsSource,
  walesGuidanceSource,
  walesStatementsSource,
  walesBudgetsSource,
  ukBillsSource,
  ukStatementsSource,
];
