import { describe, expect, it } from 'vitest';
import { comingIntoForce, isoDate } from './dates.js';
import { guidanceParagraphs } from './guidance-paragraphs.js';
import { readCorpus, skipCorpus } from './test-corpus.js';

const lines = (...texts: string[]) => texts.map((text, i) => ({ page: i < 3 ? 1 : 2, text }));

describe('dates', () => {
  it.each([
    ['6 April 2016', '2016-04-06'],
    ['27 Awst 2024', '2024-08-27'],
    ['29 Medi 2024', '2024-09-29'],
    ['6 Smarch 2016', null],
    ['no date', null],
  ])('isoDate(%s) is %s', (text, expected) => {
    expect(isoDate(text)).toBe(expected);
  });

  it.each([
    ['Coming into force: 6 April 2016', '2016-04-06'],
    ['Coming into force date 29 September 2024', '2024-09-29'],
    ['This code comes into force on 1 April 2025.', '2025-04-01'],
    ['Yn dod i rym: 6 Ebrill 2016', '2016-04-06'],
    ['bydd y cod yn dod i rym ar 29 Medi 2024', '2024-09-29'],
    ['First published: 30 September 2024', null],
  ])('comingIntoForce(%s) is %s', (text, expected) => {
    expect(comingIntoForce(text)).toBe(expected);
  });
});

describe('guidanceParagraphs', () => {
  it('keys dotted, plain and lettered paragraphs, joins wrapped lines and keeps pages and headings', () => {
    const { clauses, pages } = guidanceParagraphs(
      lines('Chapter 2', 'Well-being', '2.1 A local authority must promote', 'well-being.', '2.14 It must:', '(a) consult;', '(b) co-produce.', 'Annex 1 Glossary', '7. Terms used.'),
    );
    expect(clauses.map((c) => [c.key, c.number, c.parentKey, c.heading, c.text])).toEqual([
      ['para-2-1', '2.1', null, 'Chapter 2 Well-being', 'A local authority must promote well-being.'],
      ['para-2-14', '2.14', null, 'Chapter 2 Well-being', 'It must:'],
      ['para-2-14-a', '(a)', 'para-2-14', 'Chapter 2 Well-being', 'consult;'],
      ['para-2-14-b', '(b)', 'para-2-14', 'Chapter 2 Well-being', 'co-produce.'],
      ['para-7', '7', null, 'Annex 1 Glossary', 'Terms used.'],
    ]);
    expect(pages).toEqual({ 'para-2-1': 1, 'para-2-14': 2, 'para-2-14-a': 2, 'para-2-14-b': 2, 'para-7': 2 });
  });

  it('drops contents entries and page numbers; the body occurrence of a key wins', () => {
    const { clauses } = guidanceParagraphs(lines('1. Introduction ........ 4', '3', 'Introduction', '1. This code applies to local authorities.'));
    expect(clauses).toEqual([{ key: 'para-1', number: '1', heading: 'Introduction', parentKey: null, text: 'This code applies to local authorities.' }]);
  });

  it.skipIf(skipCorpus)('reads the LJC report on the Part 2 Code (corpus): headings, unnumbered prose and a numbered point', () => {
    const text = readCorpus('senedd/senedd_LJC_report_SL6-494_Part2_Code_of_Practice_General_Functions.NO-URL.txt');
    const { clauses } = guidanceParagraphs(text.split('\n').map((t) => ({ page: null, text: t })));
    expect(clauses.map((c) => [c.key, c.heading])).toEqual([
      ['unnumbered-1', 'Background and Purpose'],
      ['unnumbered-2', 'Procedure'],
      ['unnumbered-3', 'Scrutiny under Standing Order 21.7'],
      ['para-1', 'Scrutiny under Standing Order 21.7'],
    ]);
    expect(clauses[0]?.text).toMatch(/^Section 145 of the Social Services.*· engagement, voice and co-production;.*withdrawn on 18 April 2024/);
    expect(clauses[3]?.text).toBe('In paragraph 5 of the Code, it is stated that');
  });

  it.skipIf(skipCorpus)('finds the appointed-day dates on the Welsh law page (corpus) with Welsh month names', () => {
    const text = readCorpus('govwales/cyfraith.llyw.cymru_deddf-gwasanaethau-cymdeithasol-llesiant-cymru-2014.txt');
    const row = text.split('\n').find((l) => l.includes('2024 Rhif 875'));
    expect(row).toBeDefined();
    expect(isoDate(row!.slice(row!.indexOf('(Cy. 138)')))).toBe('2024-08-27');
  });
});
