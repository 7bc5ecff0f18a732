/**
 * A small well-formedness check for XML, because cheerio (htmlparser2) accepts anything: a body cut
 * off mid-element parses "successfully" into a tree that simply lacks the rest of the Act, which would
 * look to the importer like most clauses were repealed. legislation.gov.uk responses are plain XML
 * (no DTD internal subsets, no exotic constructs), so a linear scanner that checks tag nesting,
 * attribute syntax, entity references and a single closed root is enough and runs in O(n).
 */
export type WellFormedResult = { ok: true; rootName: string } | { ok: false; problem: string };

const NAME = '[A-Za-z_][\\w:.-]*';
const ATTRIBUTE = `\\s+${NAME}\\s*=\\s*(?:"[^"<]*"|'[^'<]*')`;
const START_TAG = new RegExp(`<(${NAME})((?:${ATTRIBUTE})*)\\s*(/?)>`, 'y');
const END_TAG = new RegExp(`</(${NAME})\\s*>`, 'y');
const ENTITY = /&(?:#\d+|#x[0-9A-Fa-f]+|[A-Za-z_][\w.-]*);/y;

export function checkWellFormedXml(xml: string): WellFormedResult {
  const stack: string[] = [];
  let rootName: string | null = null;
  let rootClosed = false;
  let i = xml.charCodeAt(0) === 0xfeff ? 1 : 0;
  const fail = (problem: string): WellFormedResult => ({ ok: false, problem: `${problem} (${where(xml, i)})` });

  while (i < xml.length) {
    const lt = xml.indexOf('<', i);
    const textEnd = lt === -1 ? xml.length : lt;
    const textProblem = checkText(xml, i, textEnd, stack.length > 0);
    if (textProblem !== null) {
      i = textProblem.at;
      return fail(textProblem.problem);
    }
    if (lt === -1) break;
    i = lt;
    if (xml.startsWith('<!--', i)) {
      const end = xml.indexOf('-->', i + 4);
      if (end === -1) return fail('unterminated comment');
      i = end + 3;
    } else if (xml.startsWith('<![CDATA[', i)) {
      if (stack.length === 0) return fail('CDATA outside the root element');
      const end = xml.indexOf(']]>', i + 9);
      if (end === -1) return fail('unterminated CDATA section');
      i = end + 3;
    } else if (xml.startsWith('<?', i)) {
      const end = xml.indexOf('?>', i + 2);
      if (end === -1) return fail('unterminated processing instruction');
      i = end + 2;
    } else if (xml.startsWith('<!DOCTYPE', i)) {
      if (rootName !== null) return fail('DOCTYPE after the root element');
      const gt = xml.indexOf('>', i);
      const bracket = xml.indexOf('[', i);
      // An internal subset ([...]) may itself contain '>'; skip past its closing ']'.
      const end = bracket !== -1 && bracket < gt ? xml.indexOf('>', xml.indexOf(']', bracket)) : gt;
      if (end === -1) return fail('unterminated DOCTYPE');
      i = end + 1;
    } else if (xml.startsWith('</', i)) {
      END_TAG.lastIndex = i;
      const m = END_TAG.exec(xml);
      if (m === null) return fail('malformed end tag');
      const open = stack.pop();
      if (open === undefined) return fail(`end tag </${m[1]}> with no open element`);
      if (open !== m[1]) return fail(`end tag </${m[1]}> does not match open <${open}>`);
      if (stack.length === 0) rootClosed = true;
      i = END_TAG.lastIndex;
    } else {
      START_TAG.lastIndex = i;
      const m = START_TAG.exec(xml);
      if (m === null) return fail(xml.indexOf('>', i) === -1 ? 'document ends inside a start tag: truncated?' : 'malformed start tag');
      const name = m[1] as string;
      if (stack.length === 0) {
        if (rootName !== null) return fail(`second root element <${name}>`);
        rootName = name;
      }
      const attributeProblem = checkAttributeEntities(m[2] ?? '');
      if (attributeProblem !== null) return fail(attributeProblem);
      if (m[3] === '/') {
        if (stack.length === 0) rootClosed = true;
      } else {
        stack.push(name);
      }
      i = START_TAG.lastIndex;
    }
  }
  if (rootName === null) return { ok: false, problem: 'no root element' };
  if (!rootClosed || stack.length > 0) {
    return { ok: false, problem: `document ends inside <${stack.at(-1) ?? rootName}> (${stack.length} element(s) left open): truncated?` };
  }
  return { ok: true, rootName };
}

function checkText(xml: string, from: number, to: number, insideRoot: boolean): { at: number; problem: string } | null {
  // Search the slice, not the whole string: indexOf on `xml` would scan ahead to the next '&'
  // anywhere in the document for every text node, which is quadratic on a whole Act.
  const text = xml.slice(from, to);
  for (let j = text.indexOf('&'); j !== -1; j = text.indexOf('&', j + 1)) {
    ENTITY.lastIndex = j;
    if (!ENTITY.test(text)) return { at: from + j, problem: 'bare "&" or malformed entity reference' };
  }
  if (!insideRoot && /\S/.test(text)) return { at: from, problem: 'text outside the root element' };
  return null;
}

function checkAttributeEntities(attributes: string): string | null {
  for (let j = attributes.indexOf('&'); j !== -1; j = attributes.indexOf('&', j + 1)) {
    ENTITY.lastIndex = j;
    if (!ENTITY.test(attributes)) return 'bare "&" in an attribute value';
  }
  return null;
}

function where(xml: string, offset: number): string {
  const line = xml.slice(0, offset).split('\n').length;
  return `offset ${offset}, line ${line}`;
}
