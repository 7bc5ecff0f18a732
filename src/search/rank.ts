import lunr from 'lunr';
import type { PhraseUnit, QueryUnit, SearchField, TermUnit } from './query.js';
import { fold, stem, wordSpans, words, type WordSpan } from './text.js';

export interface RankDocument {
  id: number;
  title: string;
  heading: string;
  text: string;
}

export interface Ranked {
  id: number;
  score: number;
  /** Stemmed index terms that matched, per field, for highlighting. */
  matched: Record<SearchField, Set<string>>;
  /** Word spans of phrase occurrences, per field. */
  phraseSpans: Record<SearchField, { start: number; end: number }[]>;
}

/**
 * Indexes each word twice, as written (folded) and stemmed: plain words are stemmed and match any
 * inflection ("promote" finds "promoting"), while wildcard and fuzzy terms, which lunr never stems,
 * are compared with the words as written ("organisaton~1" finds "organisation", "involv*" finds
 * "involvement"). FTS5 retrieves candidates with the same Porter stemmer.
 */
function keepAndStem(token: lunr.Token): lunr.Token | lunr.Token[] {
  const word = token.toString();
  const stemmed = stem(word);
  return stemmed === word ? token : [token, new lunr.Token(stemmed, {})];
}

/** Could this folded word match one of the query's terms? A superset of what lunr will match. */
function relevanceOf(units: TermUnit[]): (word: string) => boolean {
  const cache = new Map<string, boolean>();
  const plain = new Set(units.filter((u) => !u.prefix && u.fuzzy === 0).map((u) => stem(u.word)));
  const prefixes = units.filter((u) => u.prefix).map((u) => u.word);
  const fuzzy = units.filter((u) => u.fuzzy > 0);
  return (word) => {
    let hit = cache.get(word);
    if (hit !== undefined) return hit;
    const stemmed = stem(word);
    hit =
      plain.has(stemmed) ||
      prefixes.some((p) => word.startsWith(p) || stemmed.startsWith(p)) ||
      fuzzy.some((u) => withinDistance(word, u.word, u.fuzzy) || withinDistance(stemmed, u.word, u.fuzzy));
    cache.set(word, hit);
    return hit;
  };
}

/** Levenshtein distance ≤ max, with transpositions counted as lunr does (one edit). */
function withinDistance(a: string, b: string, max: number): boolean {
  if (Math.abs(a.length - b.length) > max) return false;
  let previous2: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      let d = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, previous2[j - 2]! + 1);
      current.push(d);
      rowMin = Math.min(rowMin, d);
    }
    if (rowMin > max) return false;
    previous2 = previous;
    previous = current;
  }
  return previous[b.length]! <= max;
}
lunr.Pipeline.registerFunction(keepAndStem as unknown as lunr.PipelineFunction, 'coproductionKeepAndStem');

const fieldBoosts: Record<SearchField, number> = { title: 1.5, heading: 2, text: 1 };

/**
 * Ranks and filters candidates with a lunr index built for this query alone (a few hundred clause
 * versions: about a millisecond), so scoring and the meaning of +, -, field:, *, ~ and ^ are lunr's.
 * lunr's stop-word filter is left out on purpose: "must", "may" and "should" are lunr stop words and
 * they are the words this tracker is about. Phrases are checked exactly, on folded unstemmed words.
 */
export function rankCandidates(units: QueryUnit[], docs: readonly RankDocument[]): Ranked[] {
  if (docs.length === 0 || units.length === 0) return [];
  const termUnits = units.filter((u): u is TermUnit => u.kind === 'term');
  const relevant = relevanceOf(termUnits);
  // Only words some query term could match are indexed; the others are counted and added to lunr's field
  // lengths afterwards, so BM25's length normalisation sees each field's true length while lunr's trie,
  // postings and per-token bookkeeping (the expensive part) stay as small as the query.
  const skipped: Record<string, number> = {};
  const tokenizer = (value: unknown, metadata?: { fields?: string[] }): lunr.Token[] => {
    const field = metadata?.fields?.[0] ?? '';
    const tokens: lunr.Token[] = [];
    let others = 0;
    if (value !== null && value !== undefined) {
      for (const w of words(String(value))) {
        if (relevant(w)) tokens.push(new lunr.Token(w, {}));
        else others++;
      }
    }
    skipped[field] = others;
    return tokens;
  };
  const index = lunr(function () {
    (this as unknown as { tokenizer: typeof tokenizer }).tokenizer = tokenizer;
    this.pipeline.reset();
    this.searchPipeline.reset();
    this.pipeline.add(keepAndStem);
    this.searchPipeline.add(lunr.stemmer);
    this.ref('id');
    for (const field of ['title', 'heading', 'text'] as const) this.field(field, { boost: fieldBoosts[field] });
    const lengths = (this as unknown as { fieldLengths: Record<string, number> }).fieldLengths;
    for (const d of docs) {
      const ref = String(d.id);
      this.add({ id: ref, title: d.title, heading: d.heading, text: d.text });
      for (const field of ['title', 'heading', 'text'] as const) lengths[`${field}/${ref}`]! += skipped[field] ?? 0; // lunr.FieldRef key: field + "/" + ref
    }
  });

  const terms = units.filter((u): u is TermUnit => u.kind === 'term');
  const phrases = units.filter((u): u is PhraseUnit => u.kind === 'phrase');
  const positive = terms.filter((u) => u.presence !== 'excluded');
  const required = terms.filter((u) => u.presence === 'required');
  const excluded = terms.filter((u) => u.presence === 'excluded');
  const hasRequiredUnit = units.some((u) => u.presence === 'required');

  const run = (clauses: TermUnit[], presence: lunr.Query.presence) =>
    clauses.length === 0 ? [] : index.query((q) => clauses.forEach((u) => q.clause(lunrClause(u, presence))));
  const scored = new Map(run(positive, lunr.Query.presence.OPTIONAL).map((r) => [Number(r.ref), r]));
  const requiredOk = required.length > 0 ? new Set(run(required, lunr.Query.presence.REQUIRED).map((r) => Number(r.ref))) : null;
  const excludedHit = new Set(run(excluded, lunr.Query.presence.OPTIONAL).map((r) => Number(r.ref)));

  const out: Ranked[] = [];
  for (const d of docs) {
    if (excludedHit.has(d.id)) continue;
    if (requiredOk && !requiredOk.has(d.id)) continue;
    const spans = phrases.length > 0 ? { title: wordSpans(d.title), heading: wordSpans(d.heading), text: wordSpans(d.text) } : { title: [], heading: [], text: [] };
    const phraseSpans: Ranked['phraseSpans'] = { title: [], heading: [], text: [] };
    let phraseScore = 0;
    let requiredPhrasesOk = true;
    let excludedPhraseFound = false;
    let optionalPhraseFound = false;
    for (const p of phrases) {
      let found = 0;
      for (const field of p.fields) {
        const occurrences = findPhrase(spans[field], p.words);
        found += occurrences.length;
        if (p.presence !== 'excluded') phraseSpans[field].push(...occurrences);
      }
      if (p.presence === 'required' && found === 0) requiredPhrasesOk = false;
      if (p.presence === 'excluded' && found > 0) excludedPhraseFound = true;
      if (p.presence === 'optional' && found > 0) optionalPhraseFound = true;
      if (p.presence !== 'excluded' && found > 0) phraseScore += p.boost * (1 + Math.log(found));
    }
    if (excludedPhraseFound || !requiredPhrasesOk) continue;
    const hit = scored.get(d.id);
    if (!hasRequiredUnit && !hit && !optionalPhraseFound) continue;
    const matched: Ranked['matched'] = { title: new Set(), heading: new Set(), text: new Set() };
    if (hit) {
      const metadata = hit.matchData.metadata as Record<string, Partial<Record<SearchField, unknown>>>;
      for (const [term, fields] of Object.entries(metadata)) for (const f of Object.keys(fields) as SearchField[]) matched[f]?.add(term);
    }
    out.push({ id: d.id, score: (hit?.score ?? 0) + phraseScore, matched, phraseSpans });
  }
  return out.sort((a, b) => b.score - a.score || b.id - a.id);
}

/** @types/lunr's Clause lacks `presence`, which lunr 2.3 reads. */
type Clause = Partial<lunr.Query.Clause> & { term: string; presence: lunr.Query.presence };

function lunrClause(unit: TermUnit, presence: lunr.Query.presence): lunr.Query.Clause {
  return clause(unit, presence) as unknown as lunr.Query.Clause;
}

function clause(unit: TermUnit, presence: lunr.Query.presence): Clause {
  if (unit.prefix) {
    return { term: `${unit.word}*`, fields: unit.fields, boost: unit.boost, presence, usePipeline: false, wildcard: lunr.Query.wildcard.NONE };
  }
  if (unit.fuzzy > 0) {
    return { term: unit.word, fields: unit.fields, boost: unit.boost, presence, usePipeline: false, wildcard: lunr.Query.wildcard.NONE, editDistance: unit.fuzzy };
  }
  // No editDistance key at all: lunr reads its presence, even 0, as "fuzzy" and then treats * literally.
  return { term: unit.word, fields: unit.fields, boost: unit.boost, presence, usePipeline: true, wildcard: lunr.Query.wildcard.NONE };
}

/** Every place the folded words occur consecutively, as a character range of the original text. */
export function findPhrase(spans: readonly WordSpan[], phrase: readonly string[]): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  if (phrase.length === 0) return out;
  for (let i = 0; i + phrase.length <= spans.length; i++) {
    let ok = true;
    for (let j = 0; j < phrase.length; j++) {
      if (spans[i + j]!.word !== phrase[j]) {
        ok = false;
        break;
      }
    }
    if (ok) out.push({ start: spans[i]!.start, end: spans[i + phrase.length - 1]!.end });
  }
  return out;
}

/** Character ranges to highlight in one field: matched terms and phrase occurrences. */
export function highlightRanges(text: string, matched: Set<string>, phraseSpans: readonly { start: number; end: number }[]): { start: number; end: number }[] {
  const ranges = [...phraseSpans];
  if (matched.size > 0) {
    for (const s of wordSpans(text)) if (matched.has(stem(s.word)) || matched.has(s.word)) ranges.push({ start: s.start, end: s.end });
  }
  return ranges;
}

export { fold };
