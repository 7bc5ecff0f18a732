import { describe, expect, it } from 'vitest';
import { checkDataQuality, numberingGaps } from '../../src/scraping/check-data-quality.js';
import type { ScrapedDocument } from '../../src/domain/scraped-document.js';

const clause = (key: string, number: string | null, parentKey: string | null = null) => ({ key, number, parentKey, text: `Text of ${key}.` });

describe('numberingGaps', () => {
  it.each([
    ['a complete sequence', [clause('section-1', '1'), clause('section-2', '2'), clause('section-3', '3')], []],
    ['a missing section', [clause('section-1', '1'), clause('section-2', '2'), clause('section-4', '4')], ['section-2 is followed by section-4']],
    ['a missing paragraph', [clause('section-1-a', 'a', 'section-1'), clause('section-1-b', 'b', 'section-1'), clause('section-1-d', 'd', 'section-1')], ['section-1-b is followed by section-1-d']],
    ['a section that only wraps subsections (its parent key counts)', [clause('section-1', '1'), clause('section-2-1', '1', 'section-2'), clause('section-3', '3')], []],
    ['body sections and schedule paragraphs are separate families', [clause('section-1', '1'), clause('section-2', '2'), clause('schedule-1-paragraph-1', '1'), clause('schedule-1-paragraph-2', '2')], []],
    ['inserted provisions like 2A and (ea)', [clause('section-2', '2'), clause('section-2A', '2A'), clause('section-3', '3'), clause('section-3-e', 'e'), clause('section-3-ea', 'ea'), clause('section-3-f', 'f')], []],
    ['roman numerals', [clause('section-1-a-i', 'i'), clause('section-1-a-ii', 'ii'), clause('section-1-a-iv', 'iv')], []],
    ['statement paragraphs', [clause('p1', null), clause('p2', null), clause('p5', null)], ['p2 is followed by p5']],
  ])('%s', (_name, clauses, gaps) => {
    expect(numberingGaps(clauses)).toEqual(gaps);
  });
});

describe('checkDataQuality', () => {
  const doc: ScrapedDocument = {
    source: 'wales-statements',
    nativeId: 'written-statement-x',
    kind: 'statement',
    jurisdiction: 'wales',
    title: 'Written Statement: Social enterprise',
    version: { language: 'en', label: 'published', validFrom: '2014-01-01', sourceUrl: 'https://www.gov.wales/x', fetchedAt: '2026-01-01T00:00:00Z' },
    clauses: [clause('p1', null), clause('p2', null)],
  };

  it('finds nothing wrong with a well-formed statement', () => {
    expect(checkDataQuality(doc)).toEqual([]);
  });

  it('reports a missing date, a placeholder title, a generic-content fallback and a numbering gap', () => {
    const bad = { ...doc, title: 'Page not found', version: { ...doc.version, validFrom: null }, metadata: { contentFallback: true }, clauses: [clause('section-1', '1'), clause('section-3', '3')] };
    expect(checkDataQuality(bad).map((p) => p.kind)).toEqual(['missing-date', 'empty-title', 'content-fallback', 'numbering-gap']);
  });

  it('does not expect a date on every kind of document', () => {
    expect(checkDataQuality({ ...doc, kind: 'guidance', version: { ...doc.version, validFrom: null } })).toEqual([]);
  });
});
