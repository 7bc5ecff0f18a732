import { z } from 'zod';

/** What a scraper yields for one expression of one document; the importer validates it before any write. */
export const documentKinds = ['act', 'si', 'bill', 'code', 'guidance', 'statement', 'budget', 'other'] as const;
export const jurisdictions = ['wales', 'uk', 'england', 'scotland', 'northern-ireland', 'england-and-wales'] as const;
export const languages = ['en', 'cy'] as const;

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a YYYY-MM-DD date');

export const scrapedClauseSchema = z.object({
  /** Stable key from the source: CLML id (`section-16-1-a`), bill clause number, paragraph ordinal. */
  key: z.string().min(1).max(300),
  /** Number as printed (`16`, `(1)`, `(a)`), if any. */
  number: z.string().max(50).nullish(),
  /** Nearest heading (section title, cross-heading, part) for display and matching context. */
  heading: z.string().max(2000).nullish(),
  /** Key of the enclosing provision, so a list item can inherit its lead-in. */
  parentKey: z.string().max(300).nullish(),
  text: z.string().max(200_000),
  /** Status marks from the source: repealed, prospective, inserted, substituted, omitted. */
  marks: z.array(z.string().max(40)).max(20).optional(),
});

export const scrapedDocumentSchema = z.object({
  source: z.string().regex(/^[a-z0-9-]+$/),
  /** Native id within the source, e.g. `anaw/2014/4`; the document id is `${source}:${nativeId}`. */
  nativeId: z.string().min(1).max(500),
  kind: z.enum(documentKinds),
  jurisdiction: z.enum(jurisdictions),
  title: z.string().min(1).max(2000),
  version: z.object({
    language: z.enum(languages),
    /** Stage or label: introduced, amended-stage-2, passed, enacted, made, revised, published… */
    label: z.string().min(1).max(100),
    /** Point-in-time date the text is valid from, where the source gives one. */
    validFrom: isoDate.nullish(),
    // Shown as a link on every page: only web addresses, never javascript: or data: URLs.
    sourceUrl: z.url({ protocol: /^https?$/ }),
    fetchedAt: z.iso.datetime({ offset: true }),
    /** Content hash of the raw response this version was parsed from (see raw_responses). */
    rawHash: z.string().regex(/^[0-9a-f]{64}$/).nullish(),
    /**
     * Why this version legitimately has far fewer clauses than the previous one (e.g. a scraper that
     * knows a part was repealed). Without it, a large drop quarantines the version.
     */
    explainedDrop: z.string().max(500).nullish(),
  }),
  clauses: z.array(scrapedClauseSchema).max(50_000),
  metadata: z.record(z.string(), z.unknown()).optional(),
});

export type ScrapedClause = z.infer<typeof scrapedClauseSchema>;
export type ScrapedDocument = z.infer<typeof scrapedDocumentSchema>;
export type DocumentKind = (typeof documentKinds)[number];
export type Jurisdiction = (typeof jurisdictions)[number];
export type Language = (typeof languages)[number];

export function documentIdOf(doc: Pick<ScrapedDocument, 'source' | 'nativeId'>): string {
  return `${doc.source}:${doc.nativeId}`;
}
