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
 * Gaps in the numbering of sibling provisions (1, 2, 4 or a, b, d). Inserted provisions (2A, ba) and
 * roman numerals are not judged: they are how amended law is numbered, not a sign of a lost clause.
 */
export function numberingGaps(clauses: ScrapedDocument['clauses']): string[] {
  const siblings = new Map<string, { number: string; key: string }[]>();
  for (const c of clauses) {
    const number = c.number?.replace(/[().\s]/g, '');
    if (!number) continue;
    const parent = c.parentKey ?? '';
    siblings.set(parent, [...(siblings.get(parent) ?? []), { number, key: c.key }]);
  }
  const gaps: string[] = [];
  for (const [parent, list] of siblings) {
    const ordinals = list.map((s) => ({ ...s, ordinal: ordinalOf(s.number) })).filter((s) => s.ordinal !== null);
    // Mixed schemes (numbers and letters under one parent) are not a sequence.
    if (ordinals.length < 2 || ordinals.length !== list.length) continue;
    for (let i = 1; i < ordinals.length; i++) {
      const before = ordinals[i - 1]!;
      const after = ordinals[i]!;
      if (after.ordinal! - before.ordinal! > 1) {
        gaps.push(`${parent ? `under ${parent}: ` : ''}${before.number} is followed by ${after.number} (${after.key})`);
      }
    }
  }
  return gaps;
}

function ordinalOf(number: string): number | null {
  if (/^\d+$/.test(number)) return Number(number);
  // Single letters only; i, v and x are left out because (i), (v), (x) are usually roman numerals.
  if (/^[a-hj-uwyz]$/.test(number)) return number.charCodeAt(0) - 96;
  return null;
}
