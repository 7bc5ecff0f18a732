import type { SourceDefinition } from '../src/scraping/source.js';
import { legislationSource } from './legislation/source.js';

/** Every source the tracker runs, one line each; the conventions test checks each folder is here. */
export const sources: readonly SourceDefinition[] = [legislationSource];
