import { getDocument, type PDFDocumentProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { TextItem } from 'pdfjs-dist/types/src/display/api.js';
import { ParseError } from './errors.js';

export interface PdfLine {
  /** 1-based page number, so a clause can cite "p. 12". */
  page: number;
  text: string;
}

export interface PdfText {
  pageCount: number;
  lines: PdfLine[];
  /** Document info (Title, Author…) as the PDF states it; often empty or wrong on government PDFs. */
  info: Record<string, unknown>;
}

/** Default cap on pages read, so a 2,000-page annex cannot stall a run. */
const MAX_PAGES = 1500;

/**
 * Text of a PDF, line by line with page numbers, via pdfjs-dist. Items are grouped into lines by their
 * baseline (PDFs have no lines, only positioned runs of glyphs), left to right. A body that is not a
 * PDF, or is encrypted or damaged, throws ParseError naming the URL.
 */
export async function extractPdfText(bytes: Uint8Array, url: string, maxPages = MAX_PAGES): Promise<PdfText> {
  if (!isPdf(bytes)) throw new ParseError(`not a PDF (no %PDF- header) at ${url}`, { url });
  let pdf: PDFDocumentProxy;
  try {
    pdf = await getDocument({ data: new Uint8Array(bytes), isEvalSupported: false, useSystemFonts: false, verbosity: 0, stopAtErrors: true }).promise;
  } catch (error) {
    throw new ParseError(`unreadable PDF at ${url}: ${error instanceof Error ? error.message : String(error)}`, { url, cause: error });
  }
  try {
    const lines: PdfLine[] = [];
    const pages = Math.min(pdf.numPages, maxPages);
    for (let number = 1; number <= pages; number++) {
      const page = await pdf.getPage(number);
      const content = await page.getTextContent();
      lines.push(...toLines(content.items.filter((i): i is TextItem => 'str' in i), number));
      page.cleanup();
    }
    const meta = await pdf.getMetadata().catch(() => null);
    return { pageCount: pdf.numPages, lines, info: (meta?.info as Record<string, unknown> | undefined) ?? {} };
  } catch (error) {
    if (error instanceof ParseError) throw error;
    throw new ParseError(`damaged PDF at ${url}: ${error instanceof Error ? error.message : String(error)}`, { url, cause: error });
  } finally {
    await pdf.destroy();
  }
}

export function isPdf(bytes: Uint8Array): boolean {
  return Buffer.from(bytes.subarray(0, 1024)).includes('%PDF-');
}

/** Runs whose baselines are within this many points are one line. */
const SAME_LINE_TOLERANCE = 2;

function toLines(items: TextItem[], page: number): PdfLine[] {
  const rows: { y: number; parts: { x: number; text: string }[] }[] = [];
  for (const item of items) {
    if (!item.str.trim()) continue;
    const x = item.transform[4] as number;
    const y = item.transform[5] as number;
    let row = rows.find((r) => Math.abs(r.y - y) <= SAME_LINE_TOLERANCE);
    if (!row) rows.push((row = { y, parts: [] }));
    row.parts.push({ x, text: item.str });
  }
  return rows
    .sort((a, b) => b.y - a.y)
    .map((row) => ({
      page,
      text: row.parts
        .sort((a, b) => a.x - b.x)
        .map((p) => p.text)
        .join(' ')
        .replace(/\s+/g, ' ')
        .trim(),
    }))
    .filter((line) => line.text.length > 0);
}
