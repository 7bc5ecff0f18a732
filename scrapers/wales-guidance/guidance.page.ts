import { scrapedDocumentSchema, type ScrapedDocument } from '../../src/domain/scraped-document.js';
import { ParseError } from '../../src/scraping/errors.js';
import { extractPdfText } from '../../src/scraping/pdf-text.js';
import { comingIntoForce } from './dates.js';
import { guidanceParagraphs, type TextLine } from './guidance-paragraphs.js';
import { publicationLines } from './publication.page.js';

/** What discover knows about one code or guidance document. */
export interface GuidanceHint {
  /** Slug of the English gov.wales publication page: the document's native id in both languages. */
  docSlug: string;
  title: string;
  language: 'en' | 'cy';
  comingIntoForce: string | null;
  publicationUrl: string;
  format: 'pdf' | 'html';
}

export function isGuidanceHint(hint: unknown): hint is GuidanceHint {
  const h = hint as Partial<GuidanceHint> | undefined;
  return typeof h?.docSlug === 'string' && typeof h.title === 'string' && (h.language === 'en' || h.language === 'cy') && (h.format === 'pdf' || h.format === 'html');
}

/** gov.wales/part-2-code-practice-general-functions → `part-2-code-practice-general-functions`. */
export function slugOf(url: string): string {
  const slug = new URL(url).pathname.split('/').filter(Boolean).join('/');
  if (!slug) throw new ParseError(`no publication path in ${url}`, { url });
  return slug;
}

export async function readGuidancePdf(bytes: Uint8Array, url: string, fetchedAt: Date, hint: GuidanceHint): Promise<ScrapedDocument> {
  const pdf = await extractPdfText(bytes, url);
  return build(pdf.lines, url, fetchedAt, hint, { pageCount: pdf.pageCount });
}

export function readGuidanceHtml(html: string, url: string, fetchedAt: Date, hint: GuidanceHint): ScrapedDocument {
  const page = publicationLines(html, url);
  return build(page.lines, url, fetchedAt, { ...hint, title: page.title || hint.title }, page.fallback ? { contentFallback: true } : {});
}

/**
 * One edition of a code or guidance in one language. The coming-into-force date printed in the text
 * wins over the index's; a new edition is a new version `edition-<date>` of the same document.
 */
function build(lines: readonly TextLine[], url: string, fetchedAt: Date, hint: GuidanceHint, extra: Record<string, unknown>): ScrapedDocument {
  const { clauses, pages } = guidanceParagraphs(lines, hint.title);
  if (!clauses.some((c) => c.key.startsWith('para-'))) {
    throw new ParseError(`no numbered paragraphs in ${hint.format.toUpperCase()} at ${url} (${lines.length} lines)`, { url });
  }
  const opening = lines.slice(0, 60).map((l) => l.text).join(' ');
  const date = comingIntoForce(opening) ?? hint.comingIntoForce;
  return validated(url, {
    source: 'wales-guidance',
    nativeId: hint.docSlug,
    kind: /code of practice|cod ymarfer/i.test(hint.title) ? 'code' : 'guidance',
    jurisdiction: 'wales',
    title: hint.title,
    version: { language: hint.language, label: date ? `edition-${date}` : 'published', validFrom: date, sourceUrl: url, fetchedAt: fetchedAt.toISOString() },
    clauses,
    metadata: { ...(hint.format === 'pdf' ? { pages } : {}), publicationUrl: hint.publicationUrl, format: hint.format, ...extra },
  });
}

/** A text that breaks the document schema (e.g. a garbled heading past its length cap) is a ParseError for this URL. */
function validated(url: string, doc: unknown): ScrapedDocument {
  const result = scrapedDocumentSchema.safeParse(doc);
  if (!result.success) throw new ParseError(`parsed document fails the schema at ${url}: ${result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`, { url });
  return result.data;
}
