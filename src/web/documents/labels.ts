import type { FundingAmount } from '../../matcher/types.js';
import { strengthName } from '../insight/labels.js';
import { corePrinciple } from '../insight/principle-guide.js';

// One set of names for strengths across the site.
export { strengthName };

/** Adjacent classes (taxonomy §5) have no guide entry: their short names live here. */
const adjacentNames: Record<string, string> = {
  consultation_engagement: 'Consultation',
  collaboration: 'Collaboration',
  prevention: 'Prevention',
  wellbeing: 'Well-being',
};

/** One name per principle across the site: core ones from src/web/insight/principle-guide.json. */
export function principleName(id: string): string {
  return corePrinciple(id)?.name ?? adjacentNames[id] ?? id.replace(/_/g, ' ');
}

/** Lower-case form for sentences: "weakened from must (duty) to may (power)". */
export function strengthWord(strength: string): string {
  return strengthName(strength).toLowerCase();
}

const labelNames: Record<string, string> = {
  enacted: 'As enacted',
  revised: 'Revised (in force)',
  made: 'As made',
  introduced: 'As introduced',
  'as-introduced': 'As introduced',
  'amended-stage-2': 'As amended at Stage 2',
  'amended-stage-3': 'As amended at Stage 3',
  passed: 'As passed',
  published: 'Published',
  corrected: 'Corrected',
  draft: 'Draft',
  final: 'Final',
  amendments: 'Amendments',
};

/** "As amended at Stage 2" for `amended-stage-2`; unknown labels read as words. */
export function versionLabelName(label: string): string {
  const known = labelNames[label];
  if (known) return known;
  if (/^edition-\d{4}-\d{2}-\d{2}$/.test(label)) return `Edition of ${label.slice(8)}`;
  const words = label.replace(/-/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export function languageName(language: string): string {
  return language === 'cy' ? 'Welsh (Cymraeg)' : language === 'en' ? 'English' : language;
}

const currencySigns: Record<string, string> = { GBP: '£', EUR: '€', USD: '$' };

/** "£2.3 million a year to partnership boards". */
export function amountText(a: FundingAmount): string {
  const sign = currencySigns[a.currency] ?? `${a.currency} `;
  const n = a.amount;
  const figure =
    n >= 1e9 ? `${trim(n / 1e9)} billion` : n >= 1e6 ? `${trim(n / 1e6)} million` : n.toLocaleString('en-GB', { maximumFractionDigits: 2 });
  const period = a.period ? ` ${a.period === 'per-year' ? 'a year' : a.period}` : '';
  const extra = a.additional ? 'additional ' : '';
  return `${extra}${sign}${figure}${period}`;
}

function trim(n: number): string {
  return Number(n.toFixed(2)).toString();
}

/** The date part of an ISO timestamp or date: "2099-03-02". */
export function isoDay(value: string | null | undefined): string {
  return value ? value.slice(0, 10) : '';
}

const day = new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeZone: 'UTC' });

/** "2 March 2099" for a YYYY-MM-DD date (or the date part of a timestamp). */
export function formatDay(value: string | null | undefined): string {
  if (!value) return 'undated';
  const d = new Date(`${value.slice(0, 10)}T00:00:00Z`);
  return Number.isNaN(d.getTime()) ? value : day.format(d);
}

/** Site path of a document page. Ids keep their ':' and '/' (readable, citable); other characters are encoded. */
export function documentPath(documentId: string): string {
  return `/documents/${documentId
    .split('/')
    .map((s) => encodeURIComponent(s).replace(/%3A/gi, ':'))
    .join('/')}`;
}

export function clausePath(clauseId: number, clauseVersionId?: number): string {
  return `/clauses/${clauseId}${clauseVersionId === undefined ? '' : `#v${clauseVersionId}`}`;
}
