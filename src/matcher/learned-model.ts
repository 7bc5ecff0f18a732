import { z } from 'zod';
import { LEAD_IN_CHARS, featuresOf, wordsOf, type Feature, type LearnedInput } from './learned-features.js';

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
  /** The same weights keyed for the fast path: word → its own weight and the weights of the words after it. */
  words: ReadonlyMap<string, WordWeights>;
  /** `kind:…` and `lang:…`. */
  other: ReadonlyMap<string, number>;
}

interface WordWeights {
  weight?: Weight;
  next?: Map<string, Weight>;
}

/** A weight and the reading that last counted it (each feature counts once per clause, without a Set per clause). */
interface Weight {
  value: number;
  counted: number;
}
let reading = 0;

export interface LearnedReading {
  probability: number;
  /** The clause's own words that pushed the reading up most, strongest first (function words left out). */
  words: { feature: Feature; weight: number }[];
}

export function compileLearned(file: LearnedFile): LearnedModel {
  const words = new Map<string, WordWeights>();
  const other = new Map<string, number>();
  const entry = (word: string) => {
    let e = words.get(word);
    if (!e) words.set(word, (e = {}));
    return e;
  };
  for (const [key, weight] of Object.entries(file.weights)) {
    if (key.startsWith('u:')) entry(key.slice(2)).weight = { value: weight, counted: 0 };
    else if (key.startsWith('b:')) {
      // Words never contain "_" (learned-features.ts), so the key splits into exactly its two words.
      const [first, second] = key.slice(2).split('_') as [string, string];
      (entry(first).next ??= new Map()).set(second, { value: weight, counted: 0 });
    } else other.set(key, weight);
  }
  return { threshold: file.threshold, bias: file.bias, weights: new Map(Object.entries(file.weights)), words, other };
}

/**
 * The probability alone, as readLearned computes it but without building features: most clauses are read only to
 * be found below the threshold, and string keys for every bigram cost more than the regular expressions.
 */
export function probabilityOf(model: LearnedModel, input: LearnedInput): number {
  let sum = model.bias + (model.other.get(`kind:${input.documentKind ?? ''}`) ?? 0) + (model.other.get(`lang:${input.language ?? 'en'}`) ?? 0);
  const current = ++reading;
  const read = (words: readonly string[]) => {
    let previous: WordWeights | undefined;
    for (const word of words) {
      const bigram = previous?.next?.get(word);
      if (bigram !== undefined && bigram.counted !== current) {
        bigram.counted = current;
        sum += bigram.value;
      }
      previous = model.words.get(word);
      const unigram = previous?.weight;
      if (unigram !== undefined && unigram.counted !== current) {
        unigram.counted = current;
        sum += unigram.value;
      }
    }
  };
  read(wordsOf(input.leadIn ? input.leadIn.slice(-LEAD_IN_CHARS).toLowerCase() : ''));
  read(wordsOf(input.text.toLowerCase()));
  return 1 / (1 + Math.exp(-sum));
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
