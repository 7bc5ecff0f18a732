import { PDFDocument, StandardFonts } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { ParseError, SelectorError } from '../../src/scraping/errors.js';
import { loadHtml, mainContent, selectRequired } from '../../src/scraping/html.js';
import { extractPdfText } from '../../src/scraping/pdf-text.js';

/** A real PDF made with pdf-lib: each page a list of lines drawn top to bottom. */
async function makePdf(pages: string[][]): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  for (const lines of pages) {
    const page = pdf.addPage([595, 842]);
    lines.forEach((line, i) => page.drawText(line, { x: 72, y: 770 - i * 18, size: 11, font }));
  }
  return pdf.save();
}

describe('extractPdfText', () => {
  it('returns lines in reading order with their page numbers', async () => {
    const bytes = await makePdf([
      ['Part 2 Code of Practice (General Functions)', '1. Local authorities must co-produce services.'],
      ['2. People should be involved in design.', '(a) as equal partners;'],
    ]);
    const text = await extractPdfText(bytes, 'https://gov.wales/code.pdf');
    expect(text.pageCount).toBe(2);
    expect(text.lines).toEqual([
      { page: 1, text: 'Part 2 Code of Practice (General Functions)' },
      { page: 1, text: '1. Local authorities must co-produce services.' },
      { page: 2, text: '2. People should be involved in design.' },
      { page: 2, text: '(a) as equal partners;' },
    ]);
  });

  it.each([
    ['an HTML error page', Buffer.from('<html><body>Service unavailable</body></html>')],
    ['a truncated PDF', Buffer.from('%PDF-1.7\n1 0 obj\n<< /Type /Catalog')],
  ])('rejects %s with ParseError naming the URL', async (_name, bytes) => {
    await expect(extractPdfText(bytes, 'https://gov.wales/broken.pdf')).rejects.toThrow(ParseError);
    await expect(extractPdfText(bytes, 'https://gov.wales/broken.pdf')).rejects.toThrow(/gov\.wales\/broken\.pdf/);
  });
});

describe('html helpers', () => {
  const $ = loadHtml('<html><body><nav>Menu</nav><main><h1>Written statement</h1><p>One.</p><p>Two.</p></main></body></html>');

  it('selectRequired returns matches and fails loudly with selector, URL and count', () => {
    expect(selectRequired($, 'main p', 'https://gov.wales/s')).toHaveLength(2);
    expect(() => selectRequired($, '.statement-body p', 'https://gov.wales/s')).toThrow(SelectorError);
    expect(() => selectRequired($, '.statement-body p', 'https://gov.wales/s')).toThrow('selector ".statement-body p" matched 0 (expected at least 1) at https://gov.wales/s');
    expect(() => selectRequired($, 'h1', 'u', { min: 2, max: 2 })).toThrow(/matched 1 \(expected exactly 2\)/);
    expect(selectRequired(selectRequired($, 'main', 'u'), 'p', 'u')).toHaveLength(2);
  });

  it('mainContent prefers the source selectors and records a generic fallback', () => {
    expect(mainContent($, 'u', ['main'])).toMatchObject({ selector: 'main', fallback: false });
    expect(mainContent($, 'u', ['.gem-c-govspeak'])).toMatchObject({ selector: 'main', fallback: true });
    expect(() => mainContent(loadHtml('<html><body> </body></html>'), 'https://x.test/', ['.x'])).toThrow(SelectorError);
  });
});
