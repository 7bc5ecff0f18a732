import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { describeUnits, oneEditAway, parseQuery, stemPrefix, toFts5, toTsquery } from '../../src/search/query.js';
import { excerpt, fold, segmentsOf, words } from '../../src/search/text.js';
import { rankCandidates } from '../../src/search/rank.js';

describe('query language', () => {
  it("reads lunr's syntax with lunr's parser, plus phrases", () => {
    const { units, messages } = parseQuery('+promote -guidance title:wales involv* organisaton~1 carers^10 "user-led services" -"third sector"');
    expect(messages).toEqual([]);
    expect(describeUnits(units)).toBe('"user led services" -"third sector" +promote -guidance title:wales involv* organisaton~1 carers^10');
  });

  it('folds case and diacritics like the FTS5 tokenizer', () => {
    expect(fold('Dŵr CWMNÏAU Tŷ')).toBe('dwr cwmniau ty');
    expect(words('A local authority’s “duty”—16(1)')).toEqual(['a', 'local', 'authority', 's', 'duty', '16', '1']);
  });

  it('turns a word with punctuation inside into a phrase, as FTS5 would', () => {
    expect(describeUnits(parseQuery("+authority's").units)).toBe('+"authority s"');
  });

  it('never lets user text become FTS5 or tsquery syntax', () => {
    for (const q of ['NEAR(a b)', 'a AND b', 'a OR b', 'NOT a', '{text}: a', 'text : a', 'a*b', '"a" + "b"', '^a', "a'b", 'a" OR "b']) {
      const fts = toFts5(parseQuery(q).units);
      if (fts === null) continue;
      // Outside quoted strings only our own operators, brackets, column filters and prefix stars appear.
      const outside = fts.replace(/"(?:[^"]|"")*"/g, '').replace(/\{[a-z ]+\} :|AND|OR|NOT|[()*\s]/g, '');
      expect(outside, `${q} → ${fts}`).toBe('');
      const ts = toTsquery(parseQuery(q).units)!;
      expect(ts.replace(/'(?:[^']|'')*'(?::\*?[ABD]*)?/g, '').replace(/[()&|!<\->\s]/g, ''), `${q} → ${ts}`).toBe('');
    }
  });

  it('prefixes for an unstemmed index cover the inflections', () => {
    expect(stemPrefix('promoting')).toBe('promot');
    expect(stemPrefix('studies')).toBe('stud');
    expect(stemPrefix('study')).toBe('stud');
    expect(oneEditAway('care')).toEqual(expect.arrayContaining(['cares', 'core', 'are', 'acre']));
  });

  it('phrases are exact; required, excluded and optional combine as in lunr', () => {
    const docs = [
      { id: 1, title: 'Act', heading: '', text: 'A local authority must promote user-led services.' },
      { id: 2, title: 'Act', heading: '', text: 'Services led by users must be promoted.' },
      { id: 3, title: 'Guidance', heading: 'Promotion', text: 'Nothing here about that.' },
    ];
    const ids = (q: string) => rankCandidates(parseQuery(q).units, docs).map((r) => r.id).sort();
    expect(ids('"user-led services"')).toEqual([1]);
    expect(ids('promote')).toEqual([1, 2, 3]);
    expect(ids('+promote -"user led"')).toEqual([2, 3]);
    expect(ids('heading:promote')).toEqual([3]);
    expect(ids('title:guidance promote')).toEqual([1, 2, 3]);
    expect(ids('+title:guidance promote')).toEqual([3]);
    expect(ids('promot*')).toEqual([1, 2, 3]);
    expect(ids('authorty~1')).toEqual([1]);
    expect(ids('must')).toEqual([1, 2]);
  });

  it('highlights and cuts long texts around the first match', () => {
    const text = `${'word '.repeat(200)}the needle is here ${'tail '.repeat(200)}`;
    const start = text.indexOf('needle');
    const segs = excerpt(segmentsOf(text, [{ start, end: start + 6 }]), 200);
    expect(segs.map((s) => s.text).join('').length).toBeLessThan(220);
    expect(segs.find((s) => s.mark)?.text).toBe('needle');
    expect(segs[0]?.text.startsWith('…')).toBe(true);
  });

  it('any string parses without throwing, within the limits (fast-check)', () => {
    const syntax = fc.constantFrom('+', '-', '"', '*', '~', '~1', '~9', '^', '^2', ':', 'title:', 'heading:', 'foo:', 'NEAR(', ')', 'AND', '{', '}', '\\', "'", ' ', 'care', 'ŵ', '𝔘', '\u0000', '\uD800');
    fc.assert(
      fc.property(fc.array(fc.oneof(syntax, fc.string({ unit: 'binary', maxLength: 12 })), { maxLength: 40 }), (parts) => {
        const parsed = parseQuery(parts.join(''));
        expect(parsed.units.length).toBeLessThanOrEqual(24);
        toFts5(parsed.units);
        toTsquery(parsed.units);
      }),
      { numRuns: 300, seed: 6 },
    );
  });
});
