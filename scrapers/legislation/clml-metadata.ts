import type { CheerioAPI } from 'cheerio';
import type { DocumentKind, Jurisdiction, Language } from '../../src/domain/scraped-document.js';

/**
 * What the `<Legislation>` root and `<ukm:Metadata>` say about the response: identity, kind,
 * jurisdiction and the version (expression) it is. `dc:`, `dct:`, `ukm:` and `atom:` are bound on
 * `<ukm:Metadata>`, not on the root, so selectors name the prefixes literally (cheerio in xml mode
 * keeps `ukm:Year` as the element name).
 */
export interface ClmlIdentity {
  /** `ukpga/2018/12`, from the root IdURI. */
  workId: string;
  /** Path below the work when the response is a fragment (`section/45`), else null. */
  fragment: string | null;
  /** workId plus fragment: a fragment must never be mistaken for a whole Act that lost its clauses. */
  nativeId: string;
  kind: DocumentKind;
  jurisdiction: Jurisdiction;
  language: Language;
  /** `enacted` / `made` for original text (DocumentStatus final), `revised` for consolidated text. */
  label: string;
  validFrom: string | null;
  title: string;
  metadata: Record<string, unknown>;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
/** Trailing URL segments that pick a version or language, not a provision. */
const VERSION_SEGMENT = /^(?:enacted|made|created|adopted|prospective|welsh|english|\d{4}-\d{2}-\d{2}|data\.\w+)$/;
const WELSH_TYPES = /^(?:anaw|asc|mwa|wsi|nawm)$/;
const PRIMARY_TYPES = /^(?:ukpga|ukla|ukppa|anaw|asc|mwa|nawm|asp|aosp|aep|apgb|gbla|nia|apni|mnia|ukcm|ukmo)$/;
/** Fragment words in Welsh titles, so "Deddf … 2016, adran 1" does not switch language mid-title. */
const WELSH_WORDS: Record<string, string> = {
  section: 'adran', regulation: 'rheoliad', article: 'erthygl', rule: 'rheol', schedule: 'atodlen',
  schedules: 'atodlenni', paragraph: 'paragraff', part: 'rhan', chapter: 'pennod', crossheading: 'croesbennawd',
};

export class ClmlIdentityError extends Error {}

export function readIdentity($: CheerioAPI): ClmlIdentity {
  const root = $.root().children().first();
  const meta = root.children('ukm\\:Metadata').first();
  const attr = (name: string): string | null => root.attr(name)?.trim() || null;
  const metaText = (selector: string): string | null => meta.children(selector).first().text().trim() || null;
  const ukmValue = (name: string, attribute = 'Value'): string | null =>
    meta.find(`ukm\\:${name}`).first().attr(attribute)?.trim() || null;

  const idUri = attr('IdURI');
  const workId = idUri === null ? null : pathAfter(idUri, '/id/');
  if (workId === null) throw new ClmlIdentityError(`root IdURI ${JSON.stringify(idUri)} is not a legislation.gov.uk /id/ URI`);

  const identifier = metaText('dc\\:identifier') ?? attr('DocumentURI');
  const fragment = identifier === null ? null : fragmentOf(identifier, workId);
  const nativeId = fragment === null ? workId : `${workId}/${fragment}`;

  const rawLanguage = (attr('xml:lang') ?? metaText('dc\\:language') ?? 'en').toLowerCase();
  const language: Language = rawLanguage.startsWith('cy') ? 'cy' : 'en';

  const category = ukmValue('DocumentCategory');
  const mainType = ukmValue('DocumentMainType');
  const status = ukmValue('DocumentStatus');
  const typeCode = workId.split('/')[0] ?? '';
  const kind: DocumentKind =
    category === 'primary' ? 'act' : category === 'secondary' ? 'si' : PRIMARY_TYPES.test(typeCode) ? 'act' : 'si';

  const valid = metaText('dct\\:valid');
  const enactmentDate = ukmValue('EnactmentDate', 'Date');
  const madeDate = ukmValue('Made', 'Date');
  const revised = status === 'revised' || (status === null && valid !== null);
  const label = revised ? 'revised' : kind === 'act' ? 'enacted' : 'made';
  const validFrom = isoDateOrNull(revised ? (valid ?? attr('RestrictStartDate')) : (enactmentDate ?? madeDate));

  const titles = meta.children('dc\\:title');
  const titleInLanguage = titles.filter((_, el) => ($(el).attr('xml:lang') ?? language) === language).first().text().trim();
  const baseTitle = titleInLanguage || titles.first().text().trim() || workId;
  const title = fragment === null ? baseTitle : `${baseTitle}, ${describeFragment(fragment, language)}`;

  const links = meta.children('atom\\:link');
  const hasVersions = links
    .filter((_, el) => $(el).attr('rel') === 'http://purl.org/dc/terms/hasVersion')
    .map((_, el) => ({ title: $(el).attr('title') ?? null, href: $(el).attr('href') ?? null, hreflang: $(el).attr('hreflang') ?? null }))
    .get();
  const alternate = links
    .filter((_, el) => $(el).attr('rel') === 'alternate' && ($(el).attr('hreflang') ?? language) !== language)
    .first();

  const effects = meta.find('ukm\\:UnappliedEffect');
  // An effect lags in Welsh when the Welsh text still needs it applied: RequiresWelshApplied="true"
  // and no in-force entry says WelshApplied="true".
  const welshPending = effects.filter(
    (_, el) =>
      $(el).attr('RequiresWelshApplied') === 'true' &&
      $(el).find('ukm\\:InForce').filter((__, f) => $(f).attr('WelshApplied') === 'true').length === 0,
  ).length;

  const metadata: Record<string, unknown> = {
    workId,
    fragment,
    identifier,
    documentUri: attr('DocumentURI'),
    extent: attr('RestrictExtent'),
    restrictStartDate: attr('RestrictStartDate'),
    numberOfProvisions: numberOrNull(attr('NumberOfProvisions')),
    documentCategory: category,
    documentMainType: mainType,
    documentMinorType: ukmValue('DocumentMinorType'),
    documentStatus: status,
    year: numberOrNull(ukmValue('Year')),
    number: ukmValue('Number'),
    alternativeNumbers: meta
      .find('ukm\\:AlternativeNumber')
      .map((_, el) => `${$(el).attr('Category') ?? '?'}. ${$(el).attr('Value') ?? ''}`.trim())
      .get(),
    enactmentDate: isoDateOrNull(enactmentDate),
    madeDate: isoDateOrNull(madeDate),
    comingIntoForce: isoDateOrNull(meta.find('ukm\\:ComingIntoForce ukm\\:DateTime').first().attr('Date') ?? null),
    modified: isoDateOrNull(metaText('dc\\:modified')),
    publisher: metaText('dc\\:publisher'),
    unappliedEffectCount: effects.length,
    welshUnappliedEffects: welshPending,
    welshLags: welshPending > 0,
    hasVersions,
    alternateLanguage: alternate.length === 0 ? null : (alternate.attr('hreflang') ?? null),
    alternateLanguageUrl: alternate.length === 0 ? null : (alternate.attr('href') ?? null),
  };

  return {
    workId,
    fragment,
    nativeId,
    kind,
    jurisdiction: jurisdictionOf(mainType, typeCode),
    language,
    label,
    validFrom,
    title,
    metadata,
  };
}

/**
 * Jurisdiction of the *law-maker*, kept stable across versions: Welsh types → wales, Scottish →
 * scotland, Northern Ireland → northern-ireland, UK types → uk. Extent (E+W, E…) varies by provision
 * and is absent from some original-text responses, so it lives in metadata.extent rather than
 * flipping a document's jurisdiction from one version to the next.
 */
export function jurisdictionOf(mainType: string | null, typeCode: string): Jurisdiction {
  if (mainType?.startsWith('Welsh') || (mainType === null && WELSH_TYPES.test(typeCode))) return 'wales';
  if (mainType?.startsWith('Scottish') || (mainType === null && /^(?:asp|ssi|aosp)$/.test(typeCode))) return 'scotland';
  if (mainType?.startsWith('NorthernIreland') || (mainType === null && /^(?:nia|nisr|apni|mnia|nisi)$/.test(typeCode))) {
    return 'northern-ireland';
  }
  return 'uk';
}

/** `http://www.legislation.gov.uk/id/ukpga/2018/12` → `ukpga/2018/12`. */
function pathAfter(uri: string, marker: string): string | null {
  let path: string;
  try {
    path = new URL(uri).pathname;
  } catch {
    return null;
  }
  const at = path.indexOf(marker);
  if (at === -1) return null;
  const rest = path.slice(at + marker.length).replace(/\/+$/, '');
  return rest === '' ? null : rest;
}

/**
 * The provision path below the work in dc:identifier, without version and language segments:
 * `…/ukpga/2018/12/section/45/enacted` → `section/45`; `…/anaw/2016/1/welsh` → null (whole Act).
 */
export function fragmentOf(identifier: string, workId: string): string | null {
  let path: string;
  try {
    path = new URL(identifier).pathname;
  } catch {
    return null;
  }
  const segments = path.split('/').filter((s) => s !== '');
  if (segments[0] === 'id' || segments[0] === 'cy' || segments[0] === 'en') segments.shift();
  const work = workId.split('/');
  if (work.some((s, n) => segments[n] !== s)) return null;
  const rest = segments.slice(work.length);
  while (rest.length > 0 && VERSION_SEGMENT.test(rest.at(-1) as string)) rest.pop();
  return rest.length === 0 ? null : rest.join('/');
}

/** `section/45` → "section 45"; `schedule/1/paragraph/4` → "schedule 1 paragraph 4"; Welsh words for cy. */
function describeFragment(fragment: string, language: Language): string {
  return fragment
    .split('/')
    .map((s) => (language === 'cy' ? (WELSH_WORDS[s] ?? s) : s))
    .join(' ');
}

function isoDateOrNull(value: string | null): string | null {
  const date = value?.slice(0, 10) ?? null;
  return date !== null && ISO_DATE.test(date) ? date : null;
}

function numberOrNull(value: string | null): number | null {
  const n = value === null ? NaN : Number(value);
  return Number.isFinite(n) ? n : null;
}
