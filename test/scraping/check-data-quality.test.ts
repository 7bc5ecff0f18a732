import { describe, expect, it } from 'vitest';
import { checkDataQuality, numberingGaps } from '../../src/scraping/check-data-quality.js';
import type { ScrapedDocument } from '../../src/domain/scraped-document.js';

const clause = (key: string, number: string | null, parentKey: string | null = null) => ({ key, number, parentKey, text: `Text of ${key}.` });

describe('numberingGaps', () => {
  it.each([
    ['a complete sequence', [clause('s1', '1'), clause('s2', '2'), clause('s3', '3')], []],
    ['a missing section', [clause('s1', '1'), clause('s2', '2'), clause('s4', '4')], ['2 is followed by 4 (s4)']],
    ['a missing paragraph under one parent', [clause('a', '(a)', 's1'), clause('b', '(b)', 's1'), clause('d', '(d)', 's1')], ['under s1: b is followed by d (d)']],
    ['inserted provisions like 2A', [clause('s1', '1'), clause('s2', '2'), clause('s2A', '2A'), clause('s3', '3')], []],
    ['roman numerals', [clause('i', '(i)', 'a'), clause('ii', '(ii)', 'a'), clause('iii', '(iii)', 'a')], []],
    ['separate parents restart numbering', [clause('s1-1', '1', 's1'), clause('s2-1', '1', 's2'), clause('s2-2', '2', 's2')], []],
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
    const bad = { ...doc, title: 'Page not found', version: { ...doc.version, validFrom: null }, metadata: { contentFallback: true }, clauses: [clause('s1', '1'), clause('s3', '3')] };
    expect(checkDataQuality(bad).map((p) => p.kind)).toEqual(['missing-date', 'empty-title', 'content-fallback', 'numbering-gap']);
  });

  it('does not expect a date on every kind of document', () => {
    expect(checkDataQuality({ ...doc, kind: 'guidance', version: { ...doc.version, validFrom: null } })).toEqual([]);
  });
});
