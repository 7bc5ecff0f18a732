import type { ScrapedDocument } from '../domain/scraped-document.js';

export interface DataQualityProblem {
  kind: 'missing-date' | 'empty-title' | 'numbering-gap' | 'content-fallback' | 'duplicate-document';
  detail: string;
}

/** Kinds whose every version has a date in the source (a missing one means the parser missed it). */
const DATED_KINDS = new Set(['bill', 'statement', 'budget', 'si']);
const PLACEHOLDER_TITLES = /^(untitled|home|page not found|error|document|welcome)$/i;

/**
 * Problems that do not stop an import but that a researcher relying on the source should know about:
 * they are listed on the source-health page with the document and URL.
 */
export function checkDataQuality(doc: ScrapedDocument): DataQualityProblem[] {
  const problems: DataQualityProblem[] = [];
  if (!doc.version.validFrom && DATED_KINDS.has(doc.kind)) {
    problems.push({ kind: 'missing-date', detail: `a ${doc.kind} version with no date (label ${doc.version.label})` });
  }
  const title = doc.title.trim();
  if (!title || PLACEHOLDER_TITLES.test(title)) problems.push({ kind: 'empty-title', detail: `title is ${JSON.stringify(doc.title)}` });
  if (doc.metadata?.contentFallback === true) {
    problems.push({ kind: 'content-fallback', detail: 'the page was read with the generic main-content fallback, not the source’s own selectors' });
  }
  for (const gap of numberingGaps(doc.clauses)) problems.push({ kind: 'numbering-gap', detail: gap });
  return problems;
}

/**
 * Gaps in the numbering of sibling provisions (section-1, section-2, section-4; p1, p2, p4; a, b, d).
 * Siblings are read from the keys (everything before the last number or letter is the family), and
 * parent keys count as present, because a section that only wraps subsections is not itself a clause.
 * Inserted provisions (2A, ea) are ignored and families numbered in roman numerals are not judged:
 * that is how amended law is numbered, not a sign of a lost clause.
 */
export function numberingGaps(clauses: ScrapedDocument['clauses']): string[] {
  const keys = new Set<string>();
  for (const c of clauses) {
    keys.add(c.key);
    if (c.parentKey) keys.add(c.parentKey);
  }
  const families = new Map<string, { ordinal: number | 'roman' | 'inserted'; key: string }[]>();
  for (const key of keys) {
    const match = /^(.*?)([0-9]+[A-Z]*|[a-z]+)$/.exec(key);
    if (!match) continue;
    const [, family, last] = match as unknown as [string, string, string];
    families.set(family, [...(families.get(family) ?? []), { ordinal: ordinalOf(last), key }]);
  }
  const gaps: string[] = [];
  for (const members of families.values()) {
    if (members.some((m) => m.ordinal === 'roman')) continue;
    const ordinals = members
      .filter((m): m is { ordinal: number; key: string } => typeof m.ordinal === 'number')
      .sort((a, b) => a.ordinal - b.ordinal);
    for (let i = 1; i < ordinals.length; i++) {
      if (ordinals[i]!.ordinal - ordinals[i - 1]!.ordinal > 1) gaps.push(`${ordinals[i - 1]!.key} is followed by ${ordinals[i]!.key}`);
    }
  }
  return gaps;
}

const ROMAN = /^(?=[ivxl]+$)l?x{0,3}(ix|iv|v?i{0,3})$/;

function ordinalOf(last: string): number | 'roman' | 'inserted' {
  if (/^\d+$/.test(last)) return Number(last);
  if (/^\d+[A-Z]+$/.test(last)) return 'inserted';
  if (last.length === 1 && !'ivx'.includes(last)) return last.charCodeAt(0) - 96;
  if (ROMAN.test(last)) return 'roman';
  // Two or more letters that are not a roman numeral: an inserted paragraph such as (ea) or (za).
  return 'inserted';
}
