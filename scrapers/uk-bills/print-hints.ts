import { z } from 'zod';
import { ParseError } from '../../src/scraping/errors.js';

/** What discovery learnt from the API about one bill print, passed to the parser on the ref. */
export const printHintsSchema = z.object({
  billId: z.number().int(),
  shortTitle: z.string().min(1),
  longTitle: z.string().nullable(),
  house: z.string().nullable(),
  /** Stage the print belongs to (latest stage sitting on or before displayDate), if the API says. */
  stage: z.string().nullable(),
  /** Version label slug from the publication title: `as-introduced`, `as-amended-in-public-bill-committee`. */
  label: z.string().min(1),
  displayDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  publicationId: z.number().int(),
  publicationTitle: z.string().nullable(),
  sponsors: z.array(z.string()),
  format: z.enum(['html', 'pdf']),
});
export type PrintHints = z.infer<typeof printHintsSchema>;

export function readPrintHints(hint: unknown, url: string): PrintHints {
  const result = printHintsSchema.safeParse(hint);
  if (!result.success) throw new ParseError(`bill print ref without usable hints at ${url}: ${result.error.issues[0]?.path.join('.')}`, { url });
  return result.data;
}

/**
 * Version label from a publication title: the "(as …)" part, slugged. "Bill 6 2010-11 (as introduced)"
 * → `as-introduced`; "As brought from the Commons" → `as-brought-from-the-commons`; otherwise the whole
 * title slugged, so two prints never share a label by accident.
 */
export function stageLabelOf(title: string | null | undefined, fallback: string): string {
  const source = title?.match(/\b(as [^()]+)/i)?.[1] ?? title ?? fallback;
  const slug = source.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 100);
  return slug || fallback;
}
