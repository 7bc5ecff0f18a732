import { ParseError } from '../../src/scraping/errors.js';
import { cleanText, loadHtml, selectRequired } from '../../src/scraping/html.js';

export const billStages = ['introduced', 'amended-stage-2', 'amended-stage-3', 'passed'] as const;
export type BillStage = (typeof billStages)[number];

export interface StageText {
  url: string;
  stage: BillStage;
  language: 'en' | 'cy';
  date: string | null;
  linkText: string;
}

export interface BillPage {
  billId: string;
  title: string;
  texts: StageText[];
}

// Link texts as the Senedd words them in each language; anything else (memoranda, reports) is not a bill text.
const STAGE_OF_LINK: [RegExp, BillStage][] = [
  [/as introduced|fel y['’]i cyflwynwyd/i, 'introduced'],
  [/stage 2|(?:c|ngh)yfnod 2/i, 'amended-stage-2'],
  [/stage 3|(?:c|ngh)yfnod 3/i, 'amended-stage-3'],
  [/as passed|fel y['’]i pasiwyd/i, 'passed'],
];
const STAGE_OF_ROW: [RegExp, BillStage][] = [
  [/introduced|cyflwyno/i, 'introduced'],
  [/stage 2|cyfnod 2/i, 'amended-stage-2'],
  [/stage 3|cyfnod 3/i, 'amended-stage-3'],
  [/stage 4|passed|pasio/i, 'passed'],
];
const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];

/** The bill's ModernGov id: `ieDecisionDetails.aspx?ID=1937` or `mgIssueHistoryHome.aspx?IId=12345`. */
export function billIdOf(url: string): string {
  const params = new URL(url).searchParams;
  const id = params.get('ID') ?? params.get('IId') ?? params.get('iid') ?? params.get('id');
  if (!id || !/^\d+$/.test(id)) throw new ParseError(`no numeric ID/IId in bill page URL ${url}`, { url });
  return id;
}

/**
 * A Senedd bill page (ModernGov): its title, and each stage text PDF (introduced, amended at Stage 2
 * or 3, passed; English and Welsh) dated from the "Record of Passage" table.
 */
export function readBillPage(html: string, url: string): BillPage {
  const $ = loadHtml(html);
  const title = cleanText(selectRequired($, '#modgov h2.mgSubTitleTxt', url, { min: 1, max: 1 }));
  const dates = passageDates($, url);
  const texts: StageText[] = [];
  selectRequired($, '#modgov ul.mgBulletList li a[href]', url).each((_, a) => {
    const linkText = cleanText($(a));
    const stage = STAGE_OF_LINK.find(([re]) => re.test(linkText))?.[1];
    if (!stage) return;
    const href = new URL($(a).attr('href')!, url).toString();
    const language = /\b(?:welsh|cymraeg|bil)\b|fel y['’]i/i.test(linkText) ? 'cy' : 'en';
    texts.push({ url: href, stage, language, date: dates.get(stage) ?? null, linkText });
  });
  if (texts.length === 0) throw new ParseError(`bill page lists no stage texts (as introduced / amended / passed) at ${url}`, { url });
  return { billId: billIdOf(url), title, texts };
}

function passageDates($: ReturnType<typeof loadHtml>, url: string): Map<BillStage, string> {
  const heading = $('#modgov h2, #modgov h3').filter((_, h) => /record of passage|cofnod o hynt/i.test($(h).text())).first();
  if (heading.length === 0) throw new ParseError(`no "Record of Passage" heading at ${url}`, { url });
  const rows = selectRequired(heading.nextAll('table').first(), 'tr', url);
  const dates = new Map<BillStage, string>();
  rows.each((_, tr) => {
    const cells = $(tr).find('td').toArray().map((td) => cleanText($(td)));
    const stage = STAGE_OF_ROW.find(([re]) => re.test(cells[0] ?? ''))?.[1];
    const date = cells.slice(1).map(isoDate).filter((d): d is string => d !== null).pop();
    // The last date in a stage's row is when that stage's text took effect (e.g. amendments agreed).
    if (stage && date && !dates.has(stage)) dates.set(stage, date);
  });
  return dates;
}

/** "6 January 2099" or "06/01/2099" → "2099-01-06". */
export function isoDate(text: string): string | null {
  let m = text.match(/\b(\d{1,2})\s+([A-Za-z]+)\s+(\d{4})\b/);
  if (m) {
    const month = MONTHS.indexOf(m[2]!.toLowerCase());
    if (month >= 0) return `${m[3]}-${String(month + 1).padStart(2, '0')}-${m[1]!.padStart(2, '0')}`;
  }
  m = text.match(/\b(\d{1,2})\/(\d{1,2})\/(\d{4})\b/);
  return m ? `${m[3]}-${m[2]!.padStart(2, '0')}-${m[1]!.padStart(2, '0')}` : null;
}
