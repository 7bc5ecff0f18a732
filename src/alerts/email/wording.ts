import { ALERT_EVENT_TYPES, type AlertEventType } from '../channel.js';
import { alertEventTypeNames } from '../event-types.js';
import { jurisdictionName, kindName, strengthName } from '../../web/insight/labels.js';
import { principleName } from '../../web/documents/labels.js';

/** The languages a subscriber can choose for the fixed wording of mails and pages; scraped text stays as it is. */
export const alertLanguages = ['en', 'cy'] as const;
export type AlertLanguage = (typeof alertLanguages)[number];

export function alertLanguageOf(value: string | null | undefined): AlertLanguage {
  return value === 'cy' ? 'cy' : 'en';
}

/** Every fixed sentence of an alert mail, in English and Welsh. `{x}` is filled by `fill`. */
export interface Wording {
  eventTypes: Record<AlertEventType, string>;
  strengths: Record<string, string>;
  immediateSubjectOne: string;
  immediateSubjectMany: string;
  dailySubject: string;
  weeklySubject: string;
  digestIntroDaily: string;
  digestIntroWeekly: string;
  immediateIntro: string;
  noChanges: string;
  /** The noun after a number: English plural; Welsh keeps the singular after numerals ("3 newid"). */
  changes: (count: number) => string;
  strengthChanged: string;
  strengthNew: string;
  principlesAdded: string;
  principlesRemoved: string;
  moneyNow: string;
  moneyBefore: string;
  clauseRemoved: string;
  newDocument: string;
  seeClause: string;
  seeDocument: string;
  diffKey: string;
  notices: string;
  why: string;
  manage: string;
  unsubscribe: string;
  confirmSubject: string;
  confirmIntro: string;
  confirmAction: string;
  confirmExpiry: string;
  confirmIgnore: string;
  target: {
    search: string;
    searchAll: string;
    document: string;
    clause: string;
    principle: string;
    principleIn: string;
  };
  frequencies: Record<'immediate' | 'daily' | 'weekly', string>;
}

/** One set of names for the kinds of change (src/alerts/event-types.ts), on pages and in mails. */
function namesIn(language: AlertLanguage): Record<AlertEventType, string> {
  return Object.fromEntries(ALERT_EVENT_TYPES.map((t) => [t, alertEventTypeNames[t][language]])) as Record<AlertEventType, string>;
}

const en: Wording = {
  eventTypes: namesIn('en'),
  strengths: {},
  immediateSubjectOne: '{type}: {title}',
  immediateSubjectMany: '{count} {changes}: {title} and more',
  dailySubject: 'Daily digest: {count} {changes} — {target}',
  weeklySubject: 'Weekly digest: {count} {changes} — {target}',
  digestIntroDaily: 'Changes found on {day} for {target}.',
  digestIntroWeekly: 'Changes found in the week from {day} for {target}.',
  immediateIntro: 'A change was found for {target}.',
  noChanges: 'No changes this time.',
  changes: (count) => (count === 1 ? 'change' : 'changes'),
  strengthChanged: 'Strength: {before} → {after}.',
  strengthNew: 'Strength: {after}.',
  principlesAdded: 'Principles added: {list}.',
  principlesRemoved: 'Principles removed: {list}.',
  moneyNow: 'Money: {list}.',
  moneyBefore: 'Money before: {list}.',
  clauseRemoved: 'This clause was removed.',
  newDocument: 'A new document: {title}.',
  seeClause: 'See the clause and its history',
  seeDocument: 'See the document',
  diffKey: 'Added words are [+like this+], removed words [-like this-]; words marked *like this* are the ones that matched.',
  notices: 'Notices',
  why: 'You get this because you asked for alerts about {target} ({frequency}).',
  manage: 'Change or pause this alert',
  unsubscribe: 'Unsubscribe',
  confirmSubject: 'Confirm your alert: {target}',
  confirmIntro: 'Someone, probably you, asked for email alerts about {target} ({frequency}).',
  confirmAction: 'To start them, open this link and press “Confirm”:',
  confirmExpiry: 'The link works once and expires in 48 hours.',
  confirmIgnore: 'If you did not ask for this, ignore this message: nothing will be sent.',
  target: {
    search: 'the search “{q}”',
    searchAll: 'all changes',
    document: '{title}',
    clause: 'clause {provision} of {title}',
    principle: 'the principle “{principle}”',
    principleIn: 'the principle “{principle}” in {jurisdiction}',
  },
  frequencies: { immediate: 'as they happen', daily: 'a daily digest', weekly: 'a weekly digest' },
};

const cy: Wording = {
  eventTypes: namesIn('cy'),
  strengths: {
    none: 'Dim ymrwymiad',
    aspiration: 'Dyhead',
    guidance: 'Canllawiau',
    power: 'Pŵer',
    qualified_duty: 'Dyletswydd amodol',
    duty: 'Dyletswydd',
  },
  immediateSubjectOne: '{type}: {title}',
  immediateSubjectMany: '{count} {changes}: {title} a mwy',
  dailySubject: 'Crynodeb dyddiol: {count} {changes} — {target}',
  weeklySubject: 'Crynodeb wythnosol: {count} {changes} — {target}',
  digestIntroDaily: 'Newidiadau a gafwyd ar {day} ar gyfer {target}.',
  digestIntroWeekly: 'Newidiadau a gafwyd yn yr wythnos o {day} ar gyfer {target}.',
  immediateIntro: 'Cafwyd newid ar gyfer {target}.',
  noChanges: 'Dim newidiadau y tro hwn.',
  changes: () => 'newid',
  strengthChanged: 'Cryfder: {before} → {after}.',
  strengthNew: 'Cryfder: {after}.',
  principlesAdded: 'Egwyddorion a ychwanegwyd: {list}.',
  principlesRemoved: 'Egwyddorion a ddilewyd: {list}.',
  moneyNow: 'Arian: {list}.',
  moneyBefore: 'Arian o’r blaen: {list}.',
  clauseRemoved: 'Cafodd y cymal hwn ei ddileu.',
  newDocument: 'Dogfen newydd: {title}.',
  seeClause: 'Gweld y cymal a’i hanes',
  seeDocument: 'Gweld y ddogfen',
  diffKey: 'Mae geiriau a ychwanegwyd [+fel hyn+], geiriau a ddilewyd [-fel hyn-]; geiriau wedi’u marcio *fel hyn* yw’r rhai a gafodd eu paru.',
  notices: 'Hysbysiadau',
  why: 'Rydych yn cael hwn oherwydd i chi ofyn am rybuddion am {target} ({frequency}).',
  manage: 'Newid neu oedi’r rhybudd hwn',
  unsubscribe: 'Dad-danysgrifio',
  confirmSubject: 'Cadarnhewch eich rhybudd: {target}',
  confirmIntro: 'Gofynnodd rhywun, chi mae’n debyg, am rybuddion e-bost am {target} ({frequency}).',
  confirmAction: 'I’w dechrau, agorwch y ddolen hon a phwyso “Cadarnhau”:',
  confirmExpiry: 'Mae’r ddolen yn gweithio unwaith ac yn dod i ben ymhen 48 awr.',
  confirmIgnore: 'Os na wnaethoch chi ofyn am hyn, anwybyddwch y neges hon: ni fydd dim yn cael ei anfon.',
  target: {
    search: 'y chwiliad “{q}”',
    searchAll: 'pob newid',
    document: '{title}',
    clause: 'cymal {provision} o {title}',
    principle: 'yr egwyddor “{principle}”',
    principleIn: 'yr egwyddor “{principle}” (awdurdodaeth: {jurisdiction})',
  },
  frequencies: { immediate: 'wrth iddynt ddigwydd', daily: 'crynodeb dyddiol', weekly: 'crynodeb wythnosol' },
};

const wordings: Record<AlertLanguage, Wording> = { en, cy };

export function wordingFor(language: string | null | undefined): Wording {
  return wordings[alertLanguageOf(language)];
}

/** Fills `{name}` placeholders; unknown names stay visible rather than vanishing. */
export function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}

const dayFormats: Record<AlertLanguage, Intl.DateTimeFormat> = {
  en: new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeZone: 'UTC' }),
  cy: new Intl.DateTimeFormat('cy', { dateStyle: 'long', timeZone: 'UTC' }),
};

/** "2 March 2099" / "2 Mawrth 2099" for a YYYY-MM-DD date; anything else as it is. */
export function dayIn(language: string | null | undefined, date: string): string {
  const d = new Date(`${date.slice(0, 10)}T00:00:00Z`);
  return /^\d{4}-\d{2}-\d{2}/.test(date) && !Number.isNaN(d.getTime()) ? dayFormats[alertLanguageOf(language)].format(d) : date;
}

export function strengthIn(wording: Wording, strength: string): string {
  return wording.strengths[strength] ?? strengthName(strength);
}

export function frequencyIn(wording: Wording, frequency: string): string {
  return wording.frequencies[frequency as 'immediate'] ?? frequency;
}

export { jurisdictionName, kindName, principleName };
