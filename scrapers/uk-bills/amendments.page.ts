import { z } from 'zod';
import type { ScrapedClause, ScrapedDocument } from '../../src/domain/scraped-document.js';
import { ParseError } from '../../src/scraping/errors.js';
import { readApiJson } from '../../src/scraping/read-api-json.js';
import { amendmentsSchema, type Amendment } from './api-schemas.js';

export const amendmentHintsSchema = z.object({
  billId: z.number().int(),
  shortTitle: z.string().min(1),
  stageId: z.number().int(),
  /** "Committee stage, Commons". */
  stage: z.string().min(1),
  /** Last sitting of the stage, if any. */
  stageDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).nullable(),
});
export type AmendmentHints = z.infer<typeof amendmentHintsSchema>;

const DECISIONS: Record<string, string> = { Agreed: 'agreed', Disagreed: 'disagreed', Withdrawn: 'withdrawn', NotMoved: 'not-moved', NoDecision: 'no-decision' };

/**
 * One stage's amendments (`/Bills/{id}/Stages/{stageId}/Amendments`, requested with Take = the total
 * so the whole list is one response) → one document `{billId}/amendments/{stageId}`, one clause per
 * amendment keyed by its marshalled-list number, its decision as a mark. Text is the API's summary
 * lines (the full amendment text needs one more request per amendment).
 */
export function parseAmendments(json: string, url: string, fetchedAt: Date, hints: AmendmentHints): ScrapedDocument {
  const list = readApiJson(json, url, amendmentsSchema);
  if (list.items.length < list.totalResults) {
    throw new ParseError(`amendment list at ${url} holds ${list.items.length} of ${list.totalResults} amendments (truncated page)`, { url });
  }
  if (list.items.length === 0) throw new ParseError(`no amendments at ${url}`, { url });
  const clauses: ScrapedClause[] = list.items.map((a) => ({
    key: `amendment-${a.marshalledListText?.trim() || `id-${a.amendmentId}`}`,
    number: a.marshalledListText?.trim() || null,
    heading: a.amendmentPosition ?? positionOf(a),
    text: (a.summaryText ?? []).join(' ').replace(/\s+/g, ' ').trim(),
    marks: a.decision && DECISIONS[a.decision] ? [DECISIONS[a.decision]!] : [],
  }));
  const seen = new Set<string>();
  for (const clause of clauses) {
    if (seen.has(clause.key)) throw new ParseError(`amendment number ${clause.number ?? clause.key} appears twice at ${url}`, { url });
    seen.add(clause.key);
  }
  return {
    source: 'uk-bills',
    nativeId: `${hints.billId}/amendments/${hints.stageId}`,
    kind: 'bill',
    jurisdiction: 'uk',
    title: `${hints.shortTitle}: amendments, ${hints.stage}`,
    version: { language: 'en', label: 'amendments', validFrom: hints.stageDate, sourceUrl: url, fetchedAt: fetchedAt.toISOString() },
    clauses,
    metadata: {
      billId: hints.billId,
      stageId: hints.stageId,
      stage: hints.stage,
      amendments: list.items.map((a, i) => ({
        key: clauses[i]!.key,
        amendmentId: a.amendmentId,
        type: a.amendmentType ?? null,
        decision: a.decision ?? null,
        sponsors: (a.sponsors ?? []).map((s) => `${s.name ?? ''}${s.party ? ` (${s.party})` : ''}`).filter(Boolean),
      })),
    },
  };
}

function positionOf(a: Amendment): string | null {
  if (a.clause) return `Clause ${a.clause}`;
  if (a.schedule) return `Schedule ${a.schedule}`;
  return a.amendmentType === 'AddClauseOrSchedule' ? 'New clause or schedule' : null;
}
