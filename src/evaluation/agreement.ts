import { binary, readJsonLines, type DevItem } from './evaluate.js';

/** A second labeller's reading of an item already in a labelled set (test/data/matcher-second-labels.jsonl). */
export interface SecondLabel {
  id: string;
  label: Pick<DevItem['label'], 'coproduction' | 'strength' | 'funding'> & { ambiguous?: boolean; principles?: string[] };
  why?: string;
}

export interface Agreement {
  items: number;
  /** Share of items on which the two readings of the co-production decision agree. */
  agreement: number;
  /** Cohen's kappa: agreement corrected for what two readers with these base rates would reach by chance. */
  kappa: number;
  /** Reading B scored as a prediction of reading A (what a matcher as careful as B would score against A). */
  precision: number;
  recall: number;
  /** Strength agreement where both readings say co-production. */
  strength: { both: number; same: number };
}

export function readSecondLabels(file: string): SecondLabel[] {
  return readJsonLines<SecondLabel>(file);
}

/** Agreement between two readings of the same items, each a decision plus a strength. */
export function agreementOf(pairs: readonly { a: { coproduction: boolean; strength: string }; b: { coproduction: boolean; strength: string } }[]): Agreement {
  const n = pairs.length;
  const count = (f: (p: (typeof pairs)[number]) => boolean) => pairs.filter(f).length;
  const same = count((p) => p.a.coproduction === p.b.coproduction) / n;
  const pa = count((p) => p.a.coproduction) / n;
  const pb = count((p) => p.b.coproduction) / n;
  const chance = pa * pb + (1 - pa) * (1 - pb);
  const { precision, recall } = binary(pairs.map((p) => [p.a.coproduction, p.b.coproduction]));
  const both = pairs.filter((p) => p.a.coproduction && p.b.coproduction);
  return {
    items: n,
    agreement: same,
    kappa: chance === 1 ? 1 : (same - chance) / (1 - chance),
    precision,
    recall,
    strength: { both: both.length, same: both.filter((p) => p.a.strength === p.b.strength).length },
  };
}

export function formatAgreement(title: string, a: Agreement): string {
  const f = (x: number) => x.toFixed(3);
  return `${title.padEnd(34)} ${String(a.items).padStart(4)} items  agreement ${f(a.agreement)}  kappa ${f(a.kappa)}  as a prediction: P ${f(a.precision)} R ${f(a.recall)}  strength ${a.strength.same}/${a.strength.both}`;
}
