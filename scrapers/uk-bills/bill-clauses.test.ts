import { describe, expect, it } from 'vitest';
import { follows, segmentBillPrint, type PrintLine } from './bill-clauses.js';
import { isExplanatoryNotes } from './bill-print.page.js';
import { readCorpus, skipCorpus } from './test-corpus.js';

const lines = (...texts: string[]): PrintLine[] => texts.map((text) => ({ text }));

describe('segmentBillPrint', () => {
  // parentKey may name a title-only clause that is not itself a clause (as in the legislation source).
  it('keys clauses, subsections, paragraphs and sub-paragraphs by printed numbering, skipping front matter', () => {
    const { clauses } = segmentBillPrint(
      lines(
        'Example Bill',
        'A BILL TO Make provision about things.',
        'BE IT ENACTED by the King’s most Excellent Majesty … as follows:—',
        'PART 1',
        'Duties',
        '1 General duty',
        '(1) The Welsh Ministers must—',
        '(a) consult persons who use services,',
        '(i) directly, or',
        '(ii) through representative bodies, and',
        '(b) publish the results.',
        '(2) Subsection (1) does not apply in an emergency',
        'declared by the Secretary of State.',
      ),
    );
    expect(clauses.map((c) => [c.key, c.number, c.parentKey, c.text])).toEqual([
      ['clause-1-1', '(1)', 'clause-1', 'The Welsh Ministers must—'],
      ['clause-1-1-a', '(a)', 'clause-1-1', 'consult persons who use services,'],
      ['clause-1-1-a-i', '(i)', 'clause-1-1-a', 'directly, or'],
      ['clause-1-1-a-ii', '(ii)', 'clause-1-1-a', 'through representative bodies, and'],
      ['clause-1-1-b', '(b)', 'clause-1-1', 'publish the results.'],
      ['clause-1-2', '(2)', 'clause-1', 'Subsection (1) does not apply in an emergency declared by the Secretary of State.'],
    ]);
    expect(clauses[0]?.heading).toBe('PART 1: Duties — General duty');
  });

  it('treats (i) after (h) as a letter, not a roman numeral', () => {
    const letters = 'abcdefghi'.split('').map((l) => `(${l}) item ${l};`);
    const { clauses } = segmentBillPrint(lines('1 List', '(1) Bodies are—', ...letters));
    expect(clauses.at(-1)).toMatchObject({ key: 'clause-1-1-i', parentKey: 'clause-1-1' });
  });

  it('keeps a clause with no subsections as one clause and takes an unpunctuated line before a clause as a cross-heading', () => {
    const { clauses } = segmentBillPrint(
      lines('1 Duty', 'A body must act.', 'Final provisions', '2 Short title', 'This Act may be cited as the Example Act 2027.'),
    );
    expect(clauses).toEqual([
      { key: 'clause-1', number: '1', heading: 'Duty', parentKey: null, text: 'A body must act.' },
      { key: 'clause-2', number: '2', heading: 'Final provisions — Short title', parentKey: null, text: 'This Act may be cited as the Example Act 2027.' },
    ]);
  });

  it('numbers schedule paragraphs under their schedule and keeps inserted clause 1A', () => {
    const { clauses } = segmentBillPrint(
      lines('1 Duty', 'A body must act.', '1A Further duty', 'It must also report.', 'SCHEDULE 2', 'Forums', '1 (1) A forum has members.', '(2) Members are paid.', '2 A forum sets its procedure.'),
    );
    expect(clauses.map((c) => [c.key, c.heading])).toEqual([
      ['clause-1', 'Duty'],
      ['clause-1A', 'Further duty'],
      ['schedule-2-paragraph-1-1', 'SCHEDULE 2: Forums'],
      ['schedule-2-paragraph-1-2', 'SCHEDULE 2: Forums'],
      ['schedule-2-paragraph-2', 'SCHEDULE 2: Forums'],
    ]);
  });

  it('does not open a clause for wrapped text that starts with a number', () => {
    const { clauses } = segmentBillPrint(lines('1 Commencement', '(1) This Act comes into force on 1 April', '2028 or on an earlier day appointed by regulations.'));
    expect(clauses).toHaveLength(1);
    expect(clauses[0]?.text).toBe('This Act comes into force on 1 April 2028 or on an earlier day appointed by regulations.');
  });

  it('records the page each provision starts on', () => {
    const { pages } = segmentBillPrint([{ text: '1 Duty', page: 1 }, { text: '(1) A body must act.', page: 1 }, { text: '(2) It must report.', page: 2 }]);
    expect(pages).toEqual({ 'clause-1-1': 1, 'clause-1-2': 2 });
  });
});

describe('follows', () => {
  it.each([
    [null, '1', true],
    [null, '3', false],
    ['1', '2', true],
    ['2', '2A', true],
    ['2A', '2B', true],
    ['2A', '3', true],
    ['2', '2', false],
    ['3', '2', false],
    ['4', '9', false],
    ['4', '2028', false],
  ])('%s → %s is %s', (previous, next, expected) => {
    expect(follows(previous, next)).toBe(expected);
  });
});

describe.skipIf(skipCorpus)('corpus: publications.parliament.uk 2010-11 Bill 6 explanatory notes', () => {
  it('is recognised as explanatory notes, whose "1." paragraph numbers are not clause numbers', () => {
    const text = readCorpus('parliament/publications.parliament.uk_pa_cm201011_cmbills_006_en_2011006en.htm.txt');
    const corpusLines = lines(...text.split('\n'));
    expect(corpusLines[0]?.text).toBe('Public Services (Social Enterprise and Social Value) Bill');
    expect(isExplanatoryNotes(corpusLines)).toBe(true);
    expect(corpusLines.filter((l) => /^\d+\.$/.test(l.text)).map((l) => l.text)).toEqual(['1.', '2.', '3.', '4.', '5.', '6.', '7.']);
    expect(segmentBillPrint(corpusLines).clauses).toEqual([]);
  });
});
