import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { oneBytePattern, oneByteSubject } from '../../src/matcher/one-byte-subject.js';
import { LayeredScanner, RuleSet, startsAtWordBoundary, type Hit, type Scanner } from '../../src/matcher/rule-set.js';
import { loadRules } from '../../src/matcher/index.js';
import { readDevSet } from '../../src/evaluation/evaluate.js';
import { developmentFiles } from '../../src/cli/eval-command.js';
import type { RawRule } from '../../src/matcher/rules-schema.js';

/** The scan RuleSet does, with the rule sources as written, on the text as given (no one-byte mapping). */
function referenceScan(set: RuleSet, text: string): string[] {
  const hits: string[] = [];
  for (const chunk of set.chunks) {
    const prefix = chunk.rules.every((r) => startsAtWordBoundary(r.pattern)) ? '\\b' : '';
    const re = new RegExp(`${prefix}(?:${chunk.rules.map((r) => `(${r.pattern})`).join('|')})`, 'gi');
    const ends = new Map<RawRule, number>();
    let m: RegExpExecArray | null;
    while ((m = re.exec(text)) !== null) {
      const rule = chunk.rules[m.findIndex((g, i) => i > 0 && g !== undefined) - 1]!;
      const end = m.index + m[0].length;
      if (end > (ends.get(rule) ?? -1)) hits.push(`${rule.id}@${m.index}-${end}`);
      ends.set(rule, Math.max(end, ends.get(rule) ?? -1));
      re.lastIndex = m.index + 1;
    }
  }
  // Case-sensitive rules are scanned one by one (RuleSet keeps them apart from the shared alternations).
  for (const { rule } of (set as unknown as { separate: { rule: RawRule }[] }).separate) {
    const re = new RegExp(rule.pattern, 'g');
    let m: RegExpExecArray | null;
    while ((m = re.exec(text)) !== null) {
      hits.push(`${rule.id}@${m.index}-${m.index + m[0].length}`);
      re.lastIndex = m.index + m[0].length;
    }
  }
  return hits.sort();
}
const asStrings = (hits: readonly Hit[]) => hits.map((h) => `${h.rule.id}@${h.start}-${h.end}`).sort();
const sets = (s: Scanner): RuleSet[] => (s instanceof LayeredScanner ? s.parts.flatMap(sets) : [s as RuleSet]);

describe('oneByteSubject', () => {
  it('keeps every offset and leaves a Latin-1 text as it is', () => {
    const text = 'Local authorities must promote co-production (£2.3m, café).';
    expect(oneByteSubject(text)).toBe(text);
  });

  it('gives each character the rules name a code of its own, the same for both cases', () => {
    const subject = oneByteSubject('‘Dŵr’ – “ŶD” — €5 ŴYR');
    expect(subject).toHaveLength('‘Dŵr’ – “ŶD” — €5 ŴYR'.length);
    expect([...subject].every((c) => c.charCodeAt(0) < 0x100)).toBe(true);
    expect(subject[2]).toBe(subject[subject.length - 3]); // ŵ and Ŵ
    expect(new Set([subject[0], subject[4], subject[6], subject[8], subject[11], subject[13], subject[15]]).size).toBe(7);
  });

  it('keeps Unicode spaces matching \\s and line separators ending a line, and folds what no rule names to one stand-in', () => {
    const subject = oneByteSubject('a\u2009b\u2028c ā ☃ Ÿ');
    expect(/^a\sb$/m.test(subject.split('\n')[0]!)).toBe(true);
    expect(subject.split('\n')).toHaveLength(2);
    expect(subject.at(-1)).toBe('ÿ'); // Ÿ folds to its Latin-1 lower case, as the `i` flag would match it
    expect(subject.charCodeAt(subject.length - 3)).toBe(subject.charCodeAt(subject.length - 5));
  });

  it('folds the C1 controls a mis-decoded page may hold to the stand-in, so no rule code can match them', () => {
    const set = new RuleSet([{ id: 't:apostrophe', pattern: '\\bperson’s\\b' }]);
    expect(set.scan('person’s').length).toBe(1);
    expect(set.scan('person\x80s').length).toBe(0);
    expect(oneByteSubject('a\x80b\x92c')).toBe('a\x9fb\x9fc');
  });

  it('refuses a rule naming a character above U+00FF it has no code for, or a C1 control, naming the character', () => {
    expect(() => oneBytePattern('\\bā\\b')).toThrow(/ā \(U\+0101\).*one-byte-subject\.ts/);
    expect(() => oneBytePattern('\\bx\x85y')).toThrow(/U\+0085/);
    expect(oneBytePattern('\\bperson[’\']s own\\b')).toMatch(/^\\bperson\[\\x[89][0-9a-f]'\]s own\\b$/);
  });
});

describe('a RuleSet reads the one-byte subject exactly as its rules read the text', () => {
  const rules = [
    { id: 't:own', pattern: "\\b(?:the )?person[’']s own\\b" },
    { id: 't:dwr', pattern: '\\b(?:d|dd)ŵr\\b|\\bŷd\\b' },
    { id: 't:quote', pattern: '“[^”]{1,20}”' },
    { id: 't:dash', pattern: '\\bcarers?\\s?[—–-]\\s?\\w+' },
    { id: 't:euro', pattern: '€\\d+' },
    { id: 't:any', pattern: '\\bx[^.;]{0,6}y\\b' },
    { id: 't:end', pattern: '\\binvolve\\s?[—–:-]\\s?$' },
  ];
  const set = new RuleSet(rules);
  const alphabet = [...'ab xy.;r', 'person', 'dŵr', 'DŴR', 'Ŷd', '’', "'", '‘', '“', '”', '–', '—', '€', '5', 'ŵ', 'Ŵ', 'ŷ', 'Ŷ', 'd', 'carer', 'involve', 'ā', 'é', '\u2009', '\u2028', '\n', '\x80', '\x92', 'The ', 'the '];

  it('on generated texts mixing the characters it maps and those it does not', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...alphabet), { maxLength: 40 }), (parts) => {
        const text = parts.join('');
        expect(asStrings(set.scan(text))).toEqual(referenceScan(set, text));
      }),
      { numRuns: 400 },
    );
  });

  it('on every labelled development clause, for every rule list of both languages', () => {
    const compiled = loadRules();
    const lists = [compiled.en, compiled.cy].flatMap((l) => [l.principles, l.people, l.institutions, l.consultation, l.roles, l.modals, l.qualifiers, l.denials]).flatMap(sets);
    const all = [...new Set([...lists, compiled.masks, compiled.domainGuards, compiled.definitions, compiled.funding.instruments, compiled.funding.nearMisses])];
    let twoByte = 0;
    for (const item of developmentFiles().flatMap((file) => readDevSet(file))) {
      if (/[\u0100-\uffff]/.test(item.text)) twoByte++;
      for (const list of all) expect(asStrings(list.scan(item.text)), `${item.id} ${list.rules[0]?.id}`).toEqual(referenceScan(list, item.text));
    }
    expect(twoByte).toBeGreaterThan(300);
  });
});
