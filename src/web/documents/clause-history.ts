import { provisionName } from '../../domain/provision-name.js';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { strengthRank } from '../../domain/strength.js';
import { versionOrder } from './document-list.js';
import { PageRequestError } from './document-page.js';
import { wordDiff, type DiffSegment } from './segments.js';
import { tagViews, type TagView } from './tag-details.js';
import { clausePath, documentPath, formatDay, languageName, strengthName, strengthWord, versionLabelName } from './labels.js';

export interface Appearance {
  documentVersionId: number;
  label: string;
  labelName: string;
  validFrom: string | null;
  fetchedAt: string;
  sourceUrl: string;
  href: string;
}

/** One distinct text of the clause (a clause version), with every document version it stood in. */
export interface HistoryVersion {
  id: number;
  ordinal: number;
  language: string;
  languageName: string;
  key: string;
  number: string | null;
  provision: string;
  heading: string | null;
  text: string;
  appearances: Appearance[];
  tag: TagView | null;
  permalink: string;
  absolutePermalink: string;
  cite: string;
  /** "As enacted, 2 March 2099 – Revised (in force), 1 April 2100". */
  span: string;
}

export interface LineageStep {
  language: string;
  labelName: string;
  validFrom: string | null;
  provision: string | null;
  clauseVersionId: number | null;
  change: string;
  important: boolean;
}

export interface Callout {
  clauseVersionId: number;
  text: string;
  kind: 'weakened' | 'strengthened' | 'gained' | 'lost' | 'funding' | 'coproduction';
}

export interface ClausePageModel {
  clauseId: number;
  document: { id: string; title: string; href: string; status: string };
  provision: string;
  currentKey: string;
  versions: HistoryVersion[];
  lineage: LineageStep[];
  callouts: Callout[];
  diff: { from: HistoryVersion; to: HistoryVersion; segments: DiffSegment[]; inserted: number; deleted: number } | null;
  options: { id: number; name: string }[];
}


export interface ClauseHistoryQuery {
  from?: string;
  to?: string;
}

/** The clause page in a fixed number of queries: clause, document, appearances, versions, events, tags. */
export async function loadClauseHistory(db: Kysely<Database>, clauseId: number, query: ClauseHistoryQuery, baseUrl: string): Promise<ClausePageModel> {
  for (const [name, value] of [['from', query.from], ['to', query.to]] as const) {
    if (value !== undefined && value !== '' && !/^[1-9][0-9]{0,9}$/.test(value)) {
      throw new PageRequestError(400, `${name} must be a version number of this clause, chosen from the lists on this page.`);
    }
  }
  const clause = await db.selectFrom('clauses').selectAll().where('id', '=', clauseId).executeTakeFirst();
  if (!clause) throw new PageRequestError(404, `There is no clause ${clauseId}. Clause links come from document pages; find the document in the documents list.`);
  const document = await db.selectFrom('documents').select(['id', 'title', 'status']).where('id', '=', clause.document_id).executeTakeFirstOrThrow();
  const docVersions = (
    await db
      .selectFrom('document_versions')
      .select(['id', 'language', 'label', 'valid_from', 'fetched_at', 'source_url'])
      .where('document_id', '=', clause.document_id)
      .where('status', '=', 'accepted')
      .execute()
  ).sort(versionOrder);
  const membership = await db.selectFrom('version_clauses').select(['document_version_id', 'clause_version_id']).where('clause_id', '=', clauseId).execute();
  const accepted = new Set(docVersions.map((v) => v.id));
  const cvByDocVersion = new Map(membership.filter((m) => accepted.has(m.document_version_id)).map((m) => [m.document_version_id, m.clause_version_id]));
  const cvIds = [...new Set(cvByDocVersion.values())];
  const rows = cvIds.length
    ? await db.selectFrom('clause_versions').select(['id', 'language', 'key', 'number', 'heading', 'text']).where('id', 'in', cvIds).execute()
    : [];
  const events = await db.selectFrom('change_events').select(['document_version_id', 'kind', 'important', 'detail']).where('clause_id', '=', clauseId).execute();
  const tags = await tagViews(db, cvIds);
  const cvRows = new Map(rows.map((r) => [r.id, r]));

  // Versions: distinct texts in document-version order, English first (the usual language of record).
  const languages = [...new Set(docVersions.map((v) => v.language))].sort((a, b) => (a === 'en' ? -1 : b === 'en' ? 1 : a.localeCompare(b)));
  const versions: HistoryVersion[] = [];
  const lineage: LineageStep[] = [];
  const callouts: Callout[] = [];
  for (const language of languages) {
    let previous: HistoryVersion | null = null;
    let present = false;
    for (const dv of docVersions.filter((v) => v.language === language)) {
      const cvId = cvByDocVersion.get(dv.id);
      const labelName = versionLabelName(dv.label);
      const event = events.find((e) => e.document_version_id === dv.id);
      if (cvId === undefined) {
        if (present) lineage.push({ language, labelName, validFrom: dv.valid_from, provision: null, clauseVersionId: null, change: 'Removed', important: true });
        present = false;
        continue;
      }
      const row = cvRows.get(cvId);
      if (!row) continue;
      const appearance: Appearance = { documentVersionId: dv.id, label: dv.label, labelName, validFrom: dv.valid_from, fetchedAt: dv.fetched_at, sourceUrl: dv.source_url, href: `${documentPath(document.id)}?lang=${dv.language}&version=${dv.id}#c${clauseId}` };
      const provision = provisionName(row.key, row.number);
      let version = versions.find((v) => v.id === cvId);
      if (!version) {
        const permalink = clausePath(clauseId, cvId);
        version = {
          id: cvId,
          ordinal: 0,
          language,
          languageName: languageName(language),
          key: row.key,
          number: row.number,
          provision,
          heading: row.heading,
          text: row.text,
          appearances: [],
          tag: tags.get(cvId) ?? null,
          permalink,
          absolutePermalink: `${baseUrl}${permalink}`,
          cite: '',
          span: '',
        };
        versions.push(version);
      }
      version.appearances.push(appearance);
      let change: string;
      if (!previous) change = present || lineage.some((l) => l.language === language) ? 'Added again' : 'First appears';
      else if (previous.id === cvId) change = 'Unchanged';
      else if (previous.text === row.text && previous.key !== row.key) change = `Renumbered from ${previous.provision}`;
      else if (previous.key !== row.key) change = `Reworded and renumbered from ${previous.provision}`;
      else change = previous.text === row.text ? 'Unchanged wording' : 'Reworded';
      if (previous && previous.id !== cvId) callouts.push(...describeTagChange(previous, version, `${labelName} (${formatDay(dv.valid_from)})`));
      lineage.push({ language, labelName, validFrom: dv.valid_from, provision, clauseVersionId: cvId, change, important: event?.important === 1 || (previous !== null && previous.id !== cvId && callouts.some((c) => c.clauseVersionId === cvId)) });
      previous = version;
      present = true;
    }
  }
  versions.forEach((v, i) => {
    v.ordinal = i + 1;
    const first = v.appearances[0] as Appearance;
    const last = v.appearances.at(-1) as Appearance;
    v.span = first === last ? `${first.labelName}, ${formatDay(first.validFrom)}` : `${first.labelName}, ${formatDay(first.validFrom)} – ${last.labelName}, ${formatDay(last.validFrom)}`;
    v.cite = `${document.title}, ${v.provision} (${last.labelName.toLowerCase()}, ${formatDay(last.validFrom)}${v.language === 'cy' ? ', Welsh text' : ''}). Co-production tracker, ${v.absolutePermalink}, retrieved ${formatDay(last.fetchedAt)}.`;
  });
  if (versions.length === 0) throw new PageRequestError(404, `Clause ${clauseId} has no accepted text.`);

  const primary = versions.filter((v) => v.language === (languages[0] as string));
  const pick = (value: string | undefined, fallback: HistoryVersion | undefined, name: string): HistoryVersion | undefined => {
    if (value === undefined || value === '') return fallback;
    const found = versions.find((v) => v.id === Number(value));
    if (!found) throw new PageRequestError(400, `${name}=${value} is not a version of this clause. Choose a version from the lists on this page.`);
    return found;
  };
  const to = pick(query.to, primary.at(-1), 'to');
  const from = pick(query.from, primary.length > 1 ? primary.at(-2) : undefined, 'from');
  let diff: ClausePageModel['diff'] = null;
  if (from && to) {
    const segments = wordDiff(from.text, to.text);
    diff = { from, to, segments, inserted: segments.filter((s) => s.kind === 'ins').length, deleted: segments.filter((s) => s.kind === 'del').length };
  }
  const latest = primary.at(-1) as HistoryVersion;
  return {
    clauseId,
    document: { id: document.id, title: document.title, href: documentPath(document.id), status: document.status },
    provision: latest.provision,
    currentKey: clause.current_key,
    versions,
    lineage,
    callouts,
    diff,
    options: versions.map((v) => ({ id: v.id, name: `${v.ordinal}. ${v.provision}, ${v.span}${v.language === 'cy' ? ' (Welsh)' : ''}` })),
  };
}

/** Sentences for what changed in the tag between two consecutive texts: what a journalist would quote. */
export function describeTagChange(before: HistoryVersion, after: HistoryVersion, at: string): Callout[] {
  const a = before.tag;
  const b = after.tag;
  if (!a || !b) return [];
  const out: Callout[] = [];
  // "must (duty)": the words that set the strength, unless a reviewer set it (then the words may not fit).
  const said = (t: TagView) => (t.strengthWords.length > 0 && !t.reviewed ? `${t.strengthWords.join('/')} (${strengthWord(t.strength)})` : strengthWord(t.strength));
  if (a.coproduction && !b.coproduction) {
    out.push({ clauseVersionId: after.id, kind: 'coproduction', text: `No longer a co-production commitment at ${at} (was ${strengthWord(a.strength)}).` });
  } else if (!a.coproduction && b.coproduction) {
    out.push({ clauseVersionId: after.id, kind: 'coproduction', text: `Became a co-production commitment at ${at}: ${strengthWord(b.strength)}.` });
  } else if (a.coproduction && b.coproduction && a.strength !== b.strength) {
    const weakened = strengthRank(b.strength) < strengthRank(a.strength);
    const subject = a.strength === 'duty' || a.strength === 'qualified_duty' ? 'Duty' : strengthName(a.strength);
    out.push({
      clauseVersionId: after.id,
      kind: weakened ? 'weakened' : 'strengthened',
      text: `${subject} ${weakened ? 'weakened' : 'strengthened'} from ${said(a)} to ${said(b)} at ${at}.`,
    });
  }
  const before_ = new Map(a.principles.map((p) => [p.id, p.name]));
  const after_ = new Map(b.principles.map((p) => [p.id, p.name]));
  const gained = [...after_].filter(([id]) => !before_.has(id)).map(([, n]) => n);
  const lost = [...before_].filter(([id]) => !after_.has(id)).map(([, n]) => n);
  if (gained.length) out.push({ clauseVersionId: after.id, kind: 'gained', text: `Principle${gained.length > 1 ? 's' : ''} gained at ${at}: ${gained.join(', ')}.` });
  if (lost.length) out.push({ clauseVersionId: after.id, kind: 'lost', text: `Principle${lost.length > 1 ? 's' : ''} lost at ${at}: ${lost.join(', ')}.` });
  if (!a.funding && b.funding) out.push({ clauseVersionId: after.id, kind: 'funding', text: `Funding attached at ${at}${b.amounts.length ? `: ${b.amounts.join('; ')}` : ''}.` });
  else if (a.funding && !b.funding) out.push({ clauseVersionId: after.id, kind: 'funding', text: `Funding removed at ${at}.` });
  else if (a.funding && b.funding && a.amounts.join('|') !== b.amounts.join('|')) {
    out.push({ clauseVersionId: after.id, kind: 'funding', text: `Funding changed at ${at}: ${a.amounts.join('; ') || 'unstated'} → ${b.amounts.join('; ') || 'unstated'}.` });
  }
  return out;
}

export { provisionName };
