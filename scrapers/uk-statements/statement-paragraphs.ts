import type { ScrapedClause } from '../../src/domain/scraped-document.js';
import { cleanText, loadHtml } from '../../src/scraping/html.js';

const BLOCKS = 'h1, h2, h3, h4, h5, h6, p, li, tr, blockquote:not(:has(p))';

/**
 * Paragraphs of a statement's HTML `text` → clauses `p1`, `p2`…. Headings (`<h*>`, or a paragraph that
 * is wholly bold, the lead-in style ministers' offices use) are not clauses but the heading of the
 * paragraphs that follow. A table row is one paragraph, its cells joined with " | ". Text with no block
 * elements (older statements are plain text with line breaks) is split on blank lines or `<br><br>`.
 */
export function statementParagraphs(html: string): ScrapedClause[] {
  const $ = loadHtml(`<body>${html}</body>`);
  const blocks = $('body').find(BLOCKS).toArray().filter((el) => $(el).parents('li, tr').length === 0);
  if (blocks.length === 0) return plainParagraphs($('body').html() ?? '').map((text, i) => ({ key: `p${i + 1}`, number: null, heading: null, text }));
  const clauses: ScrapedClause[] = [];
  let heading: string | null = null;
  for (const el of blocks) {
    const block = $(el);
    const text = el.tagName === 'tr' ? block.find('th, td').toArray().map((c) => cleanText($(c))).filter(Boolean).join(' | ') : cleanText(block);
    if (!text) continue;
    const bold = cleanText(block.find('strong, b').first());
    if (/^h[1-6]$/.test(el.tagName) || (el.tagName === 'p' && bold === text && text.length < 200)) {
      heading = text;
      continue;
    }
    clauses.push({ key: `p${clauses.length + 1}`, number: null, heading, text });
  }
  return clauses;
}

/** Plain text (or HTML without blocks) split on blank lines / double line breaks. */
export function plainParagraphs(text: string): string[] {
  return text
    .replace(/<br\s*\/?>\s*<br\s*\/?>/gi, '\n\n')
    .replace(/<[^>]+>/g, ' ')
    .split(/\n\s*\n/)
    .map((p) => p.replace(/\s+/g, ' ').trim())
    .filter(Boolean);
}
