import type { RawRule } from './rules-schema.js';
import { RuleSet, type Hit, type Scanner } from './rule-set.js';

/** A composition as written in principles.json / welsh.json (taxonomy §1 B, §3 rule of thumb). */
export interface CompositionRule {
  id: string;
  principles: string[];
  weight?: number;
  /** The role people are given: involve, participate, take part, shape, lead, work with… */
  role: string;
  /** What the role is in: design, delivery, decisions, governance, evaluation… */
  object: string;
  /** Most characters from the first to the last of role, object and person. */
  window: number;
  /** Most characters between the role and its object (default: the window). */
  maxGap?: number;
  /** The role must come before its object ("involve people in decisions", not "decisions … involve"). */
  roleFirst?: boolean;
  description?: string;
}

export interface CompositionHit {
  rule: CompositionRule;
  role: Hit;
  object: Hit;
  actor: Hit;
}

/** A sentence ends at . ; ! ? followed by space, or at a line break: the three parts must share one. */
const SENTENCE_END = /[.;!?](?=\s|$)|\n/g;

/**
 * A role, its object and a person in one sentence, close together ("involve people in decision-making",
 * "design its services in conjunction with the people who use them"). Fixed phrasings cannot list every
 * word order the taxonomy's rung-6 definition allows; this reads the definition's three parts instead.
 * The person is the language's people counterparty list, so the institutions-only case never fires.
 */
export class Composition {
  readonly rule: CompositionRule;
  private readonly roles: RuleSet;
  private readonly objects: RuleSet;

  constructor(rule: CompositionRule) {
    this.rule = rule;
    this.roles = shared(`${rule.id}/role`, rule.role);
    this.objects = shared(`${rule.id}/object`, rule.object);
  }

  /** Every raw regex, for the safety tests. */
  get rawRules(): RawRule[] {
    return [...this.roles.rules, ...this.objects.rules];
  }

  /** The first role + object + person within the window and one sentence; objects in `claimed` are taken. */
  find(text: string, people: Scanner, claimed: readonly { start: number; end: number }[] = []): CompositionHit | null {
    // RuleSets remember their last scan, and compositions with the same role list share one, so the clause is
    // read once per list however many compositions ask.
    const roles = this.roles.scan(text);
    if (!roles.length) return null;
    const objects = this.objects.scan(text).filter((o) => !claimed.some((c) => c.start < o.end && o.start < c.end));
    if (!objects.length) return null;
    const actors = people.scan(text);
    if (!actors.length) return null;
    const sentenceOf = sentenceIndex(text);
    const window = this.rule.window;
    // Hits are in text order, so only those within a window of the role are visited: linear in the hits,
    // whatever a hostile clause repeats.
    for (const role of roles) {
      const s = sentenceOf(role.start);
      for (let i = firstFrom(objects, role.start - window); i < objects.length && objects[i]!.start <= role.end + window; i++) {
        const object = objects[i]!;
        if (object.start < role.end && role.start < object.end) continue;
        if (this.rule.roleFirst && object.start < role.end) continue;
        const gap = object.start >= role.end ? object.start - role.end : role.start - object.end;
        if (gap > (this.rule.maxGap ?? window)) continue;
        if (Math.max(role.end, object.end) - Math.min(role.start, object.start) > window) continue;
        if (sentenceOf(object.start) !== s) continue;
        for (let j = firstFrom(actors, role.start - window); j < actors.length && actors[j]!.start <= role.end + window; j++) {
          const actor = actors[j]!;
          const from = Math.min(role.start, object.start, actor.start);
          const to = Math.max(role.end, object.end, actor.end);
          if (to - from <= window && sentenceOf(actor.start) === s) return { rule: this.rule, role, object, actor };
        }
      }
    }
    return null;
  }
}

const sharedSets = new Map<string, RuleSet>();

/** One RuleSet per distinct pattern (named by the first composition that uses it). */
function shared(id: string, pattern: string): RuleSet {
  let set = sharedSets.get(pattern);
  if (!set) sharedSets.set(pattern, (set = new RuleSet([{ id, pattern } satisfies RawRule])));
  return set;
}

/** Index of the first hit starting at or after `offset` (hits sorted by start). */
function firstFrom(hits: readonly Hit[], offset: number): number {
  return lowerBound(hits.length, (i) => hits[i]!.start, offset);
}

function sentenceIndex(text: string): (offset: number) => number {
  const ends: number[] = [];
  SENTENCE_END.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = SENTENCE_END.exec(text)) !== null) ends.push(m.index);
  // The number of sentence ends before the offset.
  return (offset) => lowerBound(ends.length, (i) => ends[i]!, offset);
}

/** The first index whose key is at or after `offset`, in keys sorted ascending (binary search). */
function lowerBound(length: number, key: (i: number) => number, offset: number): number {
  let lo = 0;
  let hi = length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (key(mid) < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
