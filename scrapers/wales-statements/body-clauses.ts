import type { AnyNode, Element } from 'domhandler';
import type { ScrapedClause } from '../../src/domain/scraped-document.js';
import type { Html, Selection } from '../../src/scraping/html.js';

/** Page furniture inside the main content that is never statement text (used on the generic fallback). */
const FURNITURE = '.gem-c-title, .gem-c-metadata, .gem-c-notice, .gem-c-contextual-sidebar, nav, header, footer, form, script, style';

/**
 * Body paragraphs and list items in document order, keyed `p1`, `p2`…: a statement has no numbering of
 * its own, so the ordinal is the only stable key (an inserted paragraph renumbers the rest; the importer
 * then aligns by text and records them as moved). h2/h3 headings become the `heading` of what follows;
 * a list item's parentKey is the paragraph that leads into the list.
 */
export function bodyClauses($: Html, root: Selection, skipFurniture: boolean): ScrapedClause[] {
  const clauses: ScrapedClause[] = [];
  let heading: string | null = null;
  let lastParagraph: string | null = null;
  const blocks = root.find('h2, h3, p, li').filter((_, el) => !isNestedBlock($, el) && !(skipFurniture && $(el).closest(FURNITURE).length > 0));
  blocks.each((_, el) => {
    const text = textOf($, el);
    if (text === '') return;
    if (el.tagName === 'h2' || el.tagName === 'h3') {
      heading = text;
      return;
    }
    const key = `p${clauses.length + 1}`;
    const isItem = el.tagName === 'li';
    clauses.push({ key, number: null, heading, parentKey: isItem ? lastParagraph : null, text });
    if (!isItem) lastParagraph = key;
  });
  return clauses;
}

/** A <p> inside an <li> is part of the item, and a nested list's items are part of the outer item. */
function isNestedBlock($: Html, el: Element): boolean {
  const parents = $(el).parents('li');
  return el.tagName === 'p' ? parents.length > 0 : parents.length > 0 && el.tagName === 'li';
}

function textOf($: Html, el: AnyNode): string {
  return $(el).text().replace(/\s+/g, ' ').trim();
}
