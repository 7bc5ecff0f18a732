import { z } from 'zod';
import { LEAD_IN_CHARS, WORD_CHARACTERS, featuresOf, type Feature, type LearnedInput } from './learned-features.js';

/**
 * data/rules/learned.json: a logistic regression over the words of the labelled development batches
 * (`npm run train-matcher` writes it; see trainLearnedModel). It is read only where the rules say "not
 * co-production": above `threshold` it proposes the clause for review (ambiguous), naming the words that weighed most.
 */
export const learnedFileSchema = z.object({
  $comment: z.string().optional(),
  trainedOn: z.array(z.object({ file: z.string(), items: z.number().int().positive() })),
  threshold: z.number().gt(0).lt(1),
  bias: z.number(),
  /** Feature key → weight (keys: `u:word`, `b:word_word`, `kind:act`, `lang:cy`). */
  weights: z.record(z.string(), z.number()),
});
export type LearnedFile = z.infer<typeof learnedFileSchema>;

export interface LearnedModel {
  threshold: number;
  bias: number;
  weights: ReadonlyMap<string, number>;
  /** The same weights laid out for the fast path (probabilityOf). */
  fast: FastWeights;
  /** `kind:…` and `lang:…`. */
  other: ReadonlyMap<string, number>;
}

/**
 * Every word the weights name gets a number; a clause's words are found in an open-addressing table by a hash of
 * their characters, so the fast path never cuts a word out as a string (cutting and hashing a string per word cost
 * more than the rules' regular expressions). Unigram and bigram weights are arrays indexed by those numbers, and a
 * stamp per feature makes each count once per clause without a Set per clause.
 */
export interface FastWeights {
  vocabulary: string[];
  /** Hash slot → word number + 1 (0 is empty); the length is a power of two. */
  slots: Int32Array;
  /** Hash slot → the full hash of its word (most probes that miss are settled without reading characters). */
  slotHashes: Int32Array;
  unigram: Float64Array;
  hasUnigram: Uint8Array;
  /** first word number × vocabulary size + second → index into bigram. */
  bigramIndex: Map<number, number>;
  bigram: Float64Array;
  unigramStamp: Int32Array;
  bigramStamp: Int32Array;
  /** The stamp of the last reading; the stamps restart (cleared) before they would overflow an Int32Array. */
  reading: number;
}

export interface LearnedReading {
  probability: number;
  /** The clause's own words that pushed the reading up most, strongest first (function words left out). */
  words: { feature: Feature; weight: number }[];
}

export function compileLearned(file: LearnedFile): LearnedModel {
  const other = new Map<string, number>();
  const numbers = new Map<string, number>();
  const numberOf = (word: string) => {
    let n = numbers.get(word);
    if (n === undefined) numbers.set(word, (n = numbers.size));
    return n;
  };
  const unigrams: [number, number][] = [];
  const bigrams: [number, number, number][] = [];
  for (const [key, weight] of Object.entries(file.weights)) {
    if (key.startsWith('u:')) unigrams.push([numberOf(key.slice(2)), weight]);
    else if (key.startsWith('b:')) {
      // Words never contain "_" (learned-features.ts), so the key splits into exactly its two words.
      const [first, second] = key.slice(2).split('_') as [string, string];
      bigrams.push([numberOf(first), numberOf(second), weight]);
    } else other.set(key, weight);
  }
  const vocabulary = [...numbers.keys()];
  let size = 1;
  while (size < vocabulary.length * 2) size <<= 1;
  const slots = new Int32Array(size);
  const slotHashes = new Int32Array(size);
  vocabulary.forEach((word, n) => {
    const hash = hashOf(word, 0, word.length);
    let slot = hash & (size - 1);
    while (slots[slot] !== 0) slot = (slot + 1) & (size - 1);
    slots[slot] = n + 1;
    slotHashes[slot] = hash;
  });
  const unigram = new Float64Array(vocabulary.length);
  const hasUnigram = new Uint8Array(vocabulary.length);
  for (const [n, weight] of unigrams) {
    unigram[n] = weight;
    hasUnigram[n] = 1;
  }
  const bigramIndex = new Map<number, number>();
  const bigram = new Float64Array(bigrams.length);
  bigrams.forEach(([first, second, weight], i) => {
    bigramIndex.set(first * vocabulary.length + second, i);
    bigram[i] = weight;
  });
  const fast: FastWeights = {
    vocabulary,
    slots,
    slotHashes,
    unigram,
    hasUnigram,
    bigramIndex,
    bigram,
    unigramStamp: new Int32Array(vocabulary.length),
    bigramStamp: new Int32Array(bigrams.length),
    reading: 0,
  };
  return { threshold: file.threshold, bias: file.bias, weights: new Map(Object.entries(file.weights)), fast, other };
}

/** FNV-1a over UTF-16 code units, kept a signed 32-bit integer throughout (as Int32Array stores it). */
const FNV_OFFSET = 0x811c9dc5 | 0;
const FNV_PRIME = 0x01000193;
function hashOf(text: string, start: number, end: number): number {
  let h = FNV_OFFSET;
  for (let i = start; i < end; i++) h = Math.imul(h ^ text.charCodeAt(i), FNV_PRIME);
  return h;
}

/**
 * The probability alone, as readLearned computes it but without building features: most clauses are read only to
 * be found below the threshold.
 */
export function probabilityOf(model: LearnedModel, input: LearnedInput): number {
  const stamp = nextReading(model.fast);
  let sum = model.bias + (model.other.get(`kind:${input.documentKind ?? ''}`) ?? 0) + (model.other.get(`lang:${input.language ?? 'en'}`) ?? 0);
  // The words of the clause and of its lead-in are read apart (no bigram spans the two), as featuresOf reads them.
  if (input.leadIn) sum += weightOfWords(model.fast, input.leadIn.slice(-LEAD_IN_CHARS).toLowerCase(), stamp);
  sum += weightOfWords(model.fast, input.text.toLowerCase(), stamp);
  return 1 / (1 + Math.exp(-sum));
}

/** A new stamp; after 2^31 − 1 readings (about 30 hours of matching) the stamps are cleared and start again at 1. */
function nextReading(fast: FastWeights): number {
  if (fast.reading >= 0x7fffffff) {
    fast.unigramStamp.fill(0);
    fast.bigramStamp.fill(0);
    fast.reading = 0;
  }
  return ++fast.reading;
}

/** The summed weights of the unigrams and bigrams of `text` not yet counted in this reading (`stamp`). */
function weightOfWords(fast: FastWeights, text: string, stamp: number): number {
  const size = fast.vocabulary.length;
  let sum = 0;
  // -1: no previous word, or one the weights do not name (no bigram can start with it).
  let previous = -1;
  let i = 0;
  const length = text.length;
  while (i < length) {
    if (!isWordChar(text.charCodeAt(i))) {
      i++;
      continue;
    }
    const start = i;
    let h = FNV_OFFSET;
    for (; i < length; i++) {
      const c = text.charCodeAt(i);
      if (!isWordChar(c)) break;
      h = Math.imul(h ^ c, FNV_PRIME);
    }
    const n = lookUp(fast, text, start, i, h);
    if (n >= 0) {
      if (previous >= 0) {
        const b = fast.bigramIndex.get(previous * size + n);
        if (b !== undefined && fast.bigramStamp[b] !== stamp) {
          fast.bigramStamp[b] = stamp;
          sum += fast.bigram[b]!;
        }
      }
      if (fast.hasUnigram[n] === 1 && fast.unigramStamp[n] !== stamp) {
        fast.unigramStamp[n] = stamp;
        sum += fast.unigram[n]!;
      }
    }
    previous = n;
  }
  return sum;
}

/** The number of the word text[start, end) whose hash is `hash`, or -1 when the weights do not name it. */
function lookUp(fast: FastWeights, text: string, start: number, end: number, hash: number): number {
  const mask = fast.slots.length - 1;
  let slot = hash & mask;
  for (let entry = fast.slots[slot]!; entry !== 0; entry = fast.slots[(slot = (slot + 1) & mask)]!) {
    if (fast.slotHashes[slot] !== hash) continue;
    const word = fast.vocabulary[entry - 1]!;
    if (word.length !== end - start) continue;
    let k = 0;
    while (k < word.length && word.charCodeAt(k) === text.charCodeAt(start + k)) k++;
    if (k === word.length) return entry - 1;
  }
  return -1;
}

/** WORD_CHARACTERS by code unit (each is one UTF-16 unit below U+2020). */
const WORD_CODES = (() => {
  const codes = new Uint8Array(0x2020);
  for (const c of WORD_CHARACTERS) codes[c.charCodeAt(0)] = 1;
  return codes;
})();
function isWordChar(code: number): boolean {
  return code < 0x2020 && WORD_CODES[code] === 1;
}

const TOP_WORDS = 5;
/** Function words weigh in the sum like any other, but explain nothing to a reader: they are not shown. */
const UNSHOWN = new Set(['a', 'an', 'and', 'are', 'as', 'at', 'be', 'by', 'for', 'from', 'in', 'is', 'it', 'of', 'on', 'or', 'that', 'the', 'their', 'they', 'this', 'to', 'was', 'we', 'were', 'will', 'with', 'y', 'yr', 'i', 'o', 'yn', 'ac', 'ar']);
const shown = (key: string) => !key.slice(2).split('_').every((word) => UNSHOWN.has(word));

export function readLearned(model: LearnedModel, input: LearnedInput): LearnedReading {
  let sum = model.bias;
  const positive: { feature: Feature; weight: number }[] = [];
  for (const feature of featuresOf(input)) {
    const weight = model.weights.get(feature.key);
    if (weight === undefined) continue;
    sum += weight;
    if (weight > 0 && feature.start !== undefined && shown(feature.key)) positive.push({ feature, weight });
  }
  positive.sort((a, b) => b.weight - a.weight);
  return { probability: 1 / (1 + Math.exp(-sum)), words: positive.slice(0, TOP_WORDS) };
}
