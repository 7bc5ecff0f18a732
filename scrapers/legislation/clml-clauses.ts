import type { ScrapedClause } from '../../src/domain/scraped-document.js';

/**
 * Turns the provisions of a CLML Body/Schedules tree into clauses.
 *
 * Decisions (see also README.md):
 * - Every P1…P7 with an `id` outside a BlockAmendment is a provision. It becomes a clause when it has
 *   own text, or when it has neither own text nor child provisions (so a wholly repealed or empty
 *   leaf is never dropped). A wrapper with no own text (a P1 that only holds P2s) is not a clause;
 *   its children carry the heading instead, and still name it as parentKey.
 * - Own text = the provision's Text runs, including continuation text after a nested list, minus
 *   nested provisions with ids, its own Pnumber, CommentaryRef/FootnoteRef/MarginNoteRef. Quoted
 *   structure in a BlockAmendment belongs to the amending provision's text (in “ ”, numbers in
 *   brackets) and never becomes a clause of this document.
 * - heading = Part/Chapter/Pblock/P1group/P2group/Schedule titles from outermost to innermost, each
 *   level "NUMBER: Title" (or whichever is present), joined with " — ". Titles that are only dots
 *   (an omitted cross-heading) are left out.
 * - marks: inserted / substituted / repealed when the whole provision (or its whole own text) sits
 *   in <Addition> / <Substitution> / <Repeal>; `amended` when only some words do; repealed /
 *   prospective from a Status attribute on the provision or an ancestor; `omitted` when the own
 *   text is only dots; `truncated` when the own text was cut to the schema's 200,000 characters.
 */

/** The subset of a domhandler node this module reads; keeps us off a transitive dependency. */
export interface XmlNode {
  type: string;
  name?: string;
  attribs?: Record<string, string>;
  children?: XmlNode[];
  data?: string;
}

const PROVISION = /^P[1-7]$/;
const STRUCTURAL = new Set([
  'Part', 'Chapter', 'Pblock', 'PsubBlock', 'P1group', 'P2group', 'P3group', 'Schedule', 'Group',
  'EUPart', 'EUTitle', 'EUChapter', 'EUSection', 'EUSubsection',
]);
/** Never text: references to notes, and notes themselves. */
const SKIPPED = new Set(['CommentaryRef', 'FootnoteRef', 'MarginNoteRef', 'Footnote', 'Commentary', 'MarginNote', 'Reference']);
/** Inline elements join their neighbours without a space; anything else is a block (space either side). */
const INLINE = new Set([
  'Emphasis', 'Strong', 'Underline', 'SmallCaps', 'Superior', 'Inferior', 'Uppercase', 'Expanded', 'Span',
  'Term', 'Definition', 'Abbreviation', 'Acronym', 'Character', 'InternalLink', 'ExternalLink', 'Citation',
  'CitationSubRef', 'Addition', 'Substitution', 'Repeal', 'InlineAmendment', 'AppendText', 'Proviso',
]);
const CHANGE_MARK: Record<string, ChangeKind> = { Addition: 'inserted', Substitution: 'substituted', Repeal: 'repealed' };
/** Placeholders for the quotes around a BlockAmendment, so normalise() can hug them to the quoted text. */
const OPEN_QUOTE = '\uE000';
const CLOSE_QUOTE = '\uE001';
const MAX_TEXT = 200_000;
const DOTS_ONLY = /^[.\s…]*\.[.\s…]*\.[.\s…]*$/;

type ChangeKind = 'inserted' | 'substituted' | 'repealed';

interface WalkContext {
  headings: string[];
  parentKey: string | null;
  /** Marks inherited from wrapping Addition/Substitution/Repeal elements and Status attributes. */
  inherited: ReadonlySet<string>;
}

export function collectClauses(containers: XmlNode[]): ScrapedClause[] {
  const clauses: ScrapedClause[] = [];
  const context: WalkContext = { headings: [], parentKey: null, inherited: new Set() };
  for (const container of containers) walk(container, context, clauses);
  return clauses;
}

function walk(node: XmlNode, context: WalkContext, out: ScrapedClause[]): void {
  for (const child of elementsOf(node)) {
    const name = child.name as string;
    if (SKIPPED.has(name) || name === 'BlockAmendment') continue;
    const inherited = withStatusMarks(child, withChangeMark(name, context.inherited));
    if (STRUCTURAL.has(name)) {
      const heading = headingOf(child);
      walk(child, { ...context, inherited, headings: heading === null ? context.headings : [...context.headings, heading] }, out);
    } else if (isProvision(child)) {
      const key = child.attribs?.id as string;
      const clause = provisionClause(child, { ...context, inherited });
      if (clause !== null) out.push(clause);
      walk(child, { ...context, inherited, parentKey: key }, out);
    } else if (!isHeadingPart(name)) {
      walk(child, { ...context, inherited }, out);
    }
  }
}

function provisionClause(element: XmlNode, context: WalkContext): ScrapedClause | null {
  const own = new TextCollector();
  own.collect(element, element, false, null);
  const text = normalise(own.parts.join(''));
  const hasChildProvisions = containsProvision(element);
  if (text === '' && hasChildProvisions) return null;

  const pnumber = elementsOf(element).find((c) => c.name === 'Pnumber');
  const numberText = pnumber === undefined ? '' : normalise(plainText(pnumber));
  const marks = new Set(context.inherited);
  const measured = text === '' && pnumber !== undefined ? measure(pnumber) : own;
  for (const kind of ['inserted', 'substituted', 'repealed'] as const) {
    const chars = measured.changed[kind];
    if (measured.total > 0 && chars === measured.total) marks.add(kind);
    else if (chars > 0) marks.add('amended');
  }
  if (text !== '' && DOTS_ONLY.test(text)) marks.add('omitted');
  // The clause schema caps text; a provision that long is a giant table, kept in part and flagged
  // rather than failing the whole Act.
  if (text.length > MAX_TEXT) marks.add('truncated');

  return {
    key: element.attribs?.id as string,
    number: numberText === '' ? null : numberText.slice(0, 50),
    heading: context.headings.length === 0 ? null : context.headings.join(' — ').slice(0, 2000),
    parentKey: context.parentKey,
    text: text.slice(0, MAX_TEXT),
    ...(marks.size > 0 ? { marks: [...marks].sort() } : {}),
  };
}

class TextCollector {
  readonly parts: string[] = [];
  total = 0;
  readonly changed: Record<ChangeKind, number> = { inserted: 0, substituted: 0, repealed: 0 };

  /**
   * @param provision the provision whose own text is collected (its Pnumber and nested provisions are skipped)
   * @param quoted inside a BlockAmendment: quoted structure is text, not clauses
   * @param change the Addition/Substitution/Repeal this run sits in, if any
   */
  collect(node: XmlNode, provision: XmlNode, quoted: boolean, change: ChangeKind | null): void {
    for (const child of node.children ?? []) {
      if (child.type === 'text' || child.type === 'cdata') {
        const data = child.type === 'text' ? (child.data ?? '') : plainText(child);
        this.parts.push(data);
        const chars = data.replace(/\s+/g, '').length;
        this.total += chars;
        if (change !== null) this.changed[change] += chars;
        continue;
      }
      if (!isElement(child)) continue;
      const name = child.name as string;
      if (SKIPPED.has(name)) continue;
      if (!quoted && isProvision(child)) continue;
      if (name === 'Pnumber') {
        if (node === provision) continue;
        this.parts.push(' ', node.name === 'P1' ? '' : '(', plainText(child).trim(), node.name === 'P1' ? ' ' : ') ');
        continue;
      }
      if (!quoted && isHeadingPart(name) && node.name !== undefined && STRUCTURAL.has(node.name)) continue;
      const block = !INLINE.has(name);
      if (block) this.parts.push(' ');
      if (name === 'BlockAmendment') this.parts.push(OPEN_QUOTE);
      this.collect(child, provision, quoted || name === 'BlockAmendment', CHANGE_MARK[name] ?? change);
      if (name === 'BlockAmendment') this.parts.push(CLOSE_QUOTE);
      else if (block) this.parts.push(' ');
    }
  }
}

function measure(node: XmlNode): TextCollector {
  const collector = new TextCollector();
  collector.collect(node, { type: 'tag' }, true, null);
  return collector;
}

/** "PART 3: Law enforcement processing"; a dots-only (omitted) title is left out. */
function headingOf(element: XmlNode): string | null {
  const children = elementsOf(element);
  const number = normalise(plainText(children.find((c) => c.name === 'Number')));
  const titleElement =
    children.find((c) => c.name === 'Title') ??
    elementsOf(children.find((c) => c.name === 'TitleBlock') ?? { type: 'tag' }).find((c) => c.name === 'Title');
  let title = normalise(plainText(titleElement));
  if (DOTS_ONLY.test(title)) title = '';
  if (number !== '' && title !== '') return `${number}: ${title}`;
  return number || title || null;
}

function withChangeMark(name: string, inherited: ReadonlySet<string>): ReadonlySet<string> {
  const mark = CHANGE_MARK[name];
  return mark === undefined ? inherited : new Set([...inherited, mark]);
}

function withStatusMarks(element: XmlNode, inherited: ReadonlySet<string>): ReadonlySet<string> {
  const status = element.attribs?.Status;
  if (status === 'Repealed') return new Set([...inherited, 'repealed']);
  if (status === 'Prospective') return new Set([...inherited, 'prospective']);
  return inherited;
}

function containsProvision(node: XmlNode): boolean {
  for (const child of elementsOf(node)) {
    if (child.name === 'BlockAmendment' || SKIPPED.has(child.name as string)) continue;
    if (isProvision(child) || containsProvision(child)) return true;
  }
  return false;
}

function isProvision(node: XmlNode): boolean {
  return PROVISION.test(node.name ?? '') && typeof node.attribs?.id === 'string' && node.attribs.id !== '';
}

function isHeadingPart(name: string): boolean {
  return name === 'Title' || name === 'Number' || name === 'TitleBlock' || name === 'Pnumber';
}

function isElement(node: XmlNode): boolean {
  return node.type === 'tag' || node.type === 'script' || node.type === 'style';
}

export function elementsOf(node: XmlNode | undefined): XmlNode[] {
  return (node?.children ?? []).filter(isElement);
}

/** Text of a node without note references. */
function plainText(node: XmlNode | undefined): string {
  if (node === undefined) return '';
  if (node.type === 'text') return node.data ?? '';
  if (isElement(node) && SKIPPED.has(node.name as string)) return '';
  return (node.children ?? []).map(plainText).join('');
}

export function normalise(text: string): string {
  return text
    .replace(/\s+/g, ' ')
    .replace(/\uE000 ?/g, '“')
    .replace(/ ?\uE001(?: (?=[.,;:]))?/g, '”')
    .trim();
}
