import type { ScrapedDocument } from '../../src/domain/scraped-document.js';
import { generateDocuments } from './generate-documents.js';

/** 300 documents of 30 clauses, each followed by a second version with a reworded and an added clause. */
export function crashCorpus(): ScrapedDocument[] {
  return generateDocuments({ seed: 42, documents: 300, clausesPerDocument: 30, source: 'crash' }).flatMap((v1) => {
    const clauses = v1.clauses.map((c, i) => (i === 5 ? { ...c, text: `${c.text} As amended.` } : c));
    clauses.splice(10, 0, { key: 'section-new', number: '3A', heading: 'Inserted', parentKey: null, text: 'A local authority must co-produce services with the people who use them.' });
    return [v1, { ...v1, version: { ...v1.version, label: 'revised', validFrom: '2016-04-06' }, clauses }];
  });
}
