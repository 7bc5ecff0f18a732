/** The characters of a word as the learned layer reads them: lower-case letters (Welsh accents included), apostrophes and hyphens. */
export const WORD_CHARACTERS = "abcdefghijklmnopqrstuvwxyzâêîôûŵŷáéíóúàèìòùäëïöüÿ’'-";
const WORD = new RegExp(`[${WORD_CHARACTERS.replace(/[-\\\]^]/g, '\\$&')}]+`, 'g');
/** Only the end of a long lead-in is read, as the rules read it. */
export const LEAD_IN_CHARS = 200;

/** What the learned layer reads of a clause (a MatchInput, or a labelled item before validation). */
export interface LearnedInput {
  text: string;
  language?: string;
  documentKind?: string;
  leadIn?: string | null;
}

/** One feature of a clause and, when it comes from the clause text itself, where it is. */
export interface Feature {
  key: string;
  /** Offsets into MatchInput.text; absent for lead-in words, document kind and language. */
  start?: number;
  end?: number;
}

/**
 * The bag of words the learned layer scores (word unigrams and bigrams of the clause and the end of its lead-in,
 * the document kind and the language), each key once. The clause's words carry their offsets, so a learned
 * decision can show the words that produced it like any rule.
 */
export function featuresOf(input: LearnedInput): Feature[] {
  const features = new Map<string, Feature>();
  const add = (key: string, at?: { start: number; end: number }) => {
    if (!features.has(key)) features.set(key, at ? { key, start: at.start, end: at.end } : { key });
  };
  // The lead-in and the clause are read apart (no bigram spans the two); only the clause's words are located.
  const read = (found: readonly { word: string; start: number; end: number }[], located: boolean) => {
    let previous: (typeof found)[number] | null = null;
    for (const w of found) {
      add(`u:${w.word}`, located ? w : undefined);
      if (previous) add(`b:${previous.word}_${w.word}`, located ? { start: previous.start, end: w.end } : undefined);
      previous = w;
    }
  };
  read(words(input.leadIn ? input.leadIn.slice(-LEAD_IN_CHARS).toLowerCase() : ''), false);
  const text = input.text.toLowerCase();
  // Lower-casing keeps offsets only when it keeps the length (it does for the scripts these texts use).
  read(words(text), text.length === input.text.length);
  add(`kind:${input.documentKind ?? ''}`);
  add(`lang:${input.language ?? 'en'}`);
  return [...features.values()];
}

function words(text: string): { word: string; start: number; end: number }[] {
  const out: { word: string; start: number; end: number }[] = [];
  WORD.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = WORD.exec(text)) !== null) out.push({ word: m[0], start: m.index, end: m.index + m[0].length });
  return out;
}
