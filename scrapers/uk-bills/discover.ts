import type { z } from 'zod';
import { FetchError } from '../../src/scraping/errors.js';
import type { DocumentRef } from '../../src/scraping/source.js';
import type { Transport } from '../../src/scraping/transport.js';
import { readApiJson } from '../../src/scraping/read-api-json.js';
import type { AmendmentHints } from './amendments.page.js';
import { amendmentsSchema, billSchema, billSearchSchema, publicationListSchema, stagesSchema, type Bill, type Publication, type Stage } from './api-schemas.js';
import { stageLabelOf, type PrintHints } from './print-hints.js';

export const BILLS_API = 'https://bills-api.parliament.uk/api/v1';
/** Searched when no follow list is set: wording used by co-production-relevant bills. */
export const defaultSearchTerms: readonly string[] = ['co-production', 'social care', 'well-being'];

export interface DiscoverBillsOptions {
  /** Bill ids to follow instead of searching (UK_BILLS_FOLLOW=3381,3425). */
  follow?: readonly number[] | null;
  terms?: readonly string[];
  /** Page size of the search (Take). Default 20. */
  take?: number;
  /** Pages read per search term at most. Default 1: the 20 most recently updated bills per term, since
   * each bill costs a dozen further requests and old sessions' bills no longer change. */
  maxPages?: number;
}

/** `UK_BILLS_FOLLOW=3381, 3425` → [3381, 3425]; unset or empty → null (search instead). */
export function followFromEnv(value: string | undefined): number[] | null {
  const ids = (value ?? '').split(',').map((s) => s.trim()).filter(Boolean).map(Number).filter((n) => Number.isInteger(n) && n > 0);
  return ids.length > 0 ? ids : null;
}

export function searchUrl(term: string, skip: number, take: number): string {
  const query = new URLSearchParams({ SearchTerm: term, SortOrder: 'DateUpdatedDescending', Skip: String(skip), Take: String(take) });
  return `${BILLS_API}/Bills?${query.toString()}`;
}

async function fetchJson<T>(transport: Transport, url: string, schema: z.ZodType<T>): Promise<T> {
  const response = await transport.fetch({ url, accept: 'application/json' });
  if (response.status !== 'ok') throw new FetchError(`unexpected not-modified for unconditional request ${url}`, { url });
  return readApiJson(response.text, url, schema);
}

/**
 * Bill ids (follow list, or search terms paged with Skip/Take), then for each bill its detail, stages
 * and publications; one ref per bill print, oldest first so versions are imported in order.
 */
export async function discoverBills(transport: Transport, options: DiscoverBillsOptions = {}): Promise<DocumentRef[]> {
  const ids = options.follow ?? (await searchBillIds(transport, options));
  const refs: DocumentRef[] = [];
  for (const id of ids) {
    const bill = await fetchJson(transport, `${BILLS_API}/Bills/${id}`, billSchema);
    const stages = await fetchJson(transport, `${BILLS_API}/Bills/${id}/Stages`, stagesSchema);
    const list = await fetchJson(transport, `${BILLS_API}/Bills/${id}/Publications`, publicationListSchema);
    const prints = list.publications
      .filter((p) => p.publicationType.name?.trim().toLowerCase() === 'bill')
      .sort((a, b) => a.displayDate.localeCompare(b.displayDate) || a.id - b.id);
    for (const publication of prints) {
      const ref = printRef(bill, stages.items, publication);
      if (ref) refs.push(ref);
    }
    for (const stage of stages.items) {
      const ref = await amendmentsRef(transport, bill, stage);
      if (ref) refs.push(ref);
    }
  }
  return refs;
}

export function amendmentsUrl(billId: number, stageId: number, take: number): string {
  return `${BILLS_API}/Bills/${billId}/Stages/${stageId}/Amendments?Skip=0&Take=${take}`;
}

/**
 * A stage's amendments as one ref: a Take=1 request learns the total, and the ref asks for exactly
 * that many, so the whole list arrives in one response (one document per stage). None → no ref.
 */
async function amendmentsRef(transport: Transport, bill: Bill, stage: Stage): Promise<DocumentRef | null> {
  const count = await fetchJson(transport, amendmentsUrl(bill.billId, stage.id, 1), amendmentsSchema);
  if (count.totalResults === 0) return null;
  const dates = (stage.stageSittings ?? []).map((s) => s.date?.slice(0, 10)).filter((d): d is string => !!d).sort();
  const hint: AmendmentHints = {
    billId: bill.billId,
    shortTitle: bill.shortTitle,
    stageId: stage.id,
    stage: [stage.description, stage.house].filter(Boolean).join(', ') || `stage ${stage.id}`,
    stageDate: dates.at(-1) ?? null,
  };
  return { url: amendmentsUrl(bill.billId, stage.id, count.totalResults), hint };
}

async function searchBillIds(transport: Transport, options: DiscoverBillsOptions): Promise<number[]> {
  const take = options.take ?? 20;
  const ids = new Set<number>();
  for (const term of options.terms ?? defaultSearchTerms) {
    for (let page = 0, skip = 0; page < (options.maxPages ?? 1); page++, skip += take) {
      const result = await fetchJson(transport, searchUrl(term, skip, take), billSearchSchema);
      for (const bill of result.items) ids.add(bill.billId);
      if (result.items.length === 0 || skip + take >= result.totalResults) break;
    }
  }
  return [...ids].sort((a, b) => a - b);
}

/** HTML print if linked, else a PDF link, else a PDF file through the API's Download endpoint. */
export function printUrl(publication: Publication): { url: string; format: 'html' | 'pdf' } | null {
  const links = (publication.links ?? []).filter((l) => l.url);
  const html = links.find((l) => /html/i.test(l.contentType ?? '') || /\.html?(?:$|[?#])/i.test(l.url!));
  if (html) return { url: html.url!, format: 'html' };
  const pdf = links.find((l) => /pdf/i.test(l.contentType ?? '') || /\.pdf(?:$|[?#])/i.test(l.url!));
  if (pdf) return { url: pdf.url!, format: 'pdf' };
  const file = (publication.files ?? []).find((f) => /pdf/i.test(f.contentType ?? '') || /\.pdf$/i.test(f.filename ?? ''));
  return file ? { url: `${BILLS_API}/Publications/${publication.id}/Documents/${file.id}/Download`, format: 'pdf' } : null;
}

/** The stage with the latest sitting on or before the print's date: the stage the print came out of. */
export function stageAt(stages: readonly Stage[], date: string): string | null {
  let best: { date: string; stage: Stage } | null = null;
  for (const stage of stages) {
    for (const sitting of stage.stageSittings ?? []) {
      const day = sitting.date?.slice(0, 10);
      if (day && day <= date && (!best || day > best.date || (day === best.date && (stage.sortOrder ?? 0) > (best.stage.sortOrder ?? 0)))) best = { date: day, stage };
    }
  }
  if (!best) return null;
  return [best.stage.description, best.stage.house].filter(Boolean).join(', ') || null;
}

function printRef(bill: Bill, stages: readonly Stage[], publication: Publication): DocumentRef | null {
  const target = printUrl(publication);
  if (!target) return null;
  const displayDate = publication.displayDate.slice(0, 10);
  const hint: PrintHints = {
    billId: bill.billId,
    shortTitle: bill.shortTitle,
    longTitle: bill.longTitle ?? null,
    house: publication.house ?? bill.originatingHouse ?? null,
    stage: stageAt(stages, displayDate),
    label: stageLabelOf(publication.title, `publication-${publication.id}`),
    displayDate,
    publicationId: publication.id,
    publicationTitle: publication.title ?? null,
    sponsors: (bill.sponsors ?? []).map((s) => s.member?.name ? `${s.member.name}${s.member.party ? ` (${s.member.party})` : ''}` : (s.organisation?.name ?? '')).filter(Boolean),
    format: target.format,
  };
  return { url: target.url, hint };
}
