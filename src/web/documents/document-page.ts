import { stampedCache } from '../archive-stamp.js';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { strengthRank, type Strength } from '../../domain/strength.js';
import { versionOrder } from './document-list.js';
import { evidenceSegments, type TextSegment } from './segments.js';
import { tagViews, type TagView } from './tag-details.js';
import { clausePath, documentPath, formatDay, languageName, versionLabelName } from './labels.js';

export class PageRequestError extends Error {
  constructor(
    readonly status: 400 | 404,
    message: string,
  ) {
    super(message);
  }
}

export interface VersionOption {
  id: number;
  label: string;
  labelName: string;
  validFrom: string | null;
  href: string;
  current: boolean;
}

export interface ClauseRow {
  clauseId: number;
  clauseVersionId: number;
  key: string;
  number: string | null;
  /** Set when the heading changes here: the outer part (h2) and/or the innermost part (h3). */
  h2: string | null;
  h3: string | null;
  segments: TextSegment[];
  tag: TagView | null;
  href: string;
  marks: string[];
}

export interface DocumentPageModel {
  document: { id: string; title: string; kind: string; jurisdiction: string; status: string; withdrawnAt: string | null; withdrawnReason: string | null };
  path: string;
  language: string;
  languageName: string;
  version: { id: number; label: string; labelName: string; validFrom: string | null; title: string; sourceUrl: string; fetchedAt: string };
  versions: VersionOption[];
  languages: { language: string; name: string; href: string; current: boolean }[];
  notices: { kind: 'warning' | 'info'; text: string }[];
  clauses: ClauseRow[];
  summary: { clauses: number; coproduction: number; strongest: Strength; funded: number; reviewed: number };
  isLatest: boolean;
}

export interface DocumentPageQuery {
  lang?: string;
  version?: string;
}

function metadataOf(text: string): Record<string, unknown> {
  try {
    const value = JSON.parse(text) as unknown;
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/**
 * Everything the document page shows, in a fixed number of queries: the document, its versions, the
 * chosen version's clauses (one join), their tags and reviews. The page is benchmarked, so no per-clause query.
 */
export async function loadDocumentPage(db: Kysely<Database>, documentId: string, query: DocumentPageQuery): Promise<DocumentPageModel> {
  validateQuery(query);
  return buildDocumentPage(db, documentId, query);
}

function validateQuery(query: DocumentPageQuery): void {
  if (query.lang !== undefined && query.lang !== 'en' && query.lang !== 'cy') {
    throw new PageRequestError(400, 'lang must be en (English) or cy (Welsh).');
  }
  if (query.version !== undefined && !/^[1-9][0-9]{0,9}$/.test(query.version)) {
    throw new PageRequestError(400, 'version must be a version number taken from the version list on this page.');
  }
}

async function buildDocumentPage(db: Kysely<Database>, documentId: string, query: DocumentPageQuery): Promise<DocumentPageModel> {
  // One query for the document and all its versions (the document's columns repeat on each row).
  const joined = await db
    .selectFrom('documents as d')
    .leftJoin('document_versions as v', 'v.document_id', 'd.id')
    .select(['d.id as doc_id', 'd.title as doc_title', 'd.kind', 'd.jurisdiction', 'd.status as doc_status', 'd.withdrawn_at', 'd.withdrawn_reason'])
    .select(['v.id', 'v.language', 'v.label', 'v.valid_from', 'v.title', 'v.source_url', 'v.fetched_at', 'v.status', 'v.metadata'])
    .where('d.id', '=', documentId)
    .execute();
  const first = joined[0];
  if (!first) throw new PageRequestError(404, `There is no document with the id ${documentId}. Browse the documents list to find it.`);
  const doc = { id: first.doc_id, title: first.doc_title, kind: first.kind, jurisdiction: first.jurisdiction, status: first.doc_status, withdrawn_at: first.withdrawn_at, withdrawn_reason: first.withdrawn_reason };
  const all = joined.flatMap((r) =>
    r.id === null || r.language === null || r.label === null || r.title === null || r.source_url === null || r.fetched_at === null || r.status === null || r.metadata === null
      ? []
      : [{ id: r.id, language: r.language, label: r.label, valid_from: r.valid_from, title: r.title, source_url: r.source_url, fetched_at: r.fetched_at, status: r.status, metadata: r.metadata }],
  );
  const accepted = all.filter((v) => v.status === 'accepted').sort(versionOrder);
  if (accepted.length === 0) throw new PageRequestError(404, `The document ${documentId} has no accepted text yet.`);
  const path = documentPath(documentId);

  let chosen = query.version ? accepted.find((v) => v.id === Number(query.version)) : undefined;
  if (query.version && !chosen) throw new PageRequestError(404, `This document has no version ${query.version}. Choose one from the version list.`);
  if (chosen && query.lang && chosen.language !== query.lang) {
    throw new PageRequestError(400, `Version ${chosen.id} is in ${languageName(chosen.language)}, not ${languageName(query.lang)}.`);
  }
  const languageCodes = [...new Set(accepted.map((v) => v.language))].sort();
  const language = chosen?.language ?? query.lang ?? (languageCodes.includes('en') ? 'en' : (languageCodes[0] as string));
  const inLanguage = accepted.filter((v) => v.language === language);
  if (inLanguage.length === 0) throw new PageRequestError(404, `This document has no ${languageName(language)} text. It is available in ${languageCodes.map(languageName).join(' and ')}.`);
  const latestIn = (lang: string) => accepted.filter((v) => v.language === lang).at(-1);
  chosen ??= inLanguage.at(-1) as (typeof inLanguage)[number];
  const version = chosen;

  const stored = await clausesWithTags(db, version.id);
  const tags = await tagViews(
    db,
    stored.map((c) => c.clauseVersionId),
    new Map(stored.flatMap((c) => (c.principles === null || c.evidence === null || c.amounts === null || c.ambiguous === null ? [] : [[c.clauseVersionId, { clause_version_id: c.clauseVersionId, principles: c.principles, evidence: c.evidence, amounts: c.amounts, ambiguous: c.ambiguous }]]))),
  );
  let previousHeading: string[] = [];
  const clauses = stored.map((c): ClauseRow => {
    const parts = c.heading ? c.heading.split(' — ') : [];
    const outer = parts.length > 1 ? parts.slice(0, -1).join(' — ') : (parts[0] ?? '');
    const inner = parts.length > 1 ? (parts.at(-1) as string) : '';
    const prevOuter = previousHeading.length > 1 ? previousHeading.slice(0, -1).join(' — ') : (previousHeading[0] ?? '');
    const prevInner = previousHeading.length > 1 ? (previousHeading.at(-1) as string) : '';
    const h2 = outer && outer !== prevOuter ? outer : null;
    const h3 = inner && (inner !== prevInner || h2 !== null) ? inner : null;
    previousHeading = parts;
    const tag = tags.get(c.clauseVersionId) ?? null;
    const spans = tag?.coproduction ? tag.evidence.filter((s) => !s.rule.startsWith('guard:')) : [];
    let marks: string[] = [];
    try {
      marks = JSON.parse(c.marks) as string[];
    } catch {
      marks = [];
    }
    return {
      clauseId: c.clauseId,
      clauseVersionId: c.clauseVersionId,
      key: c.key,
      number: c.number,
      h2,
      h3,
      segments: evidenceSegments(c.text, spans),
      tag,
      href: clausePath(c.clauseId, c.clauseVersionId),
      marks,
    };
  });

  const co = clauses.filter((c) => c.tag?.coproduction);
  const strongest = co.reduce<Strength>((best, c) => (c.tag && strengthRank(c.tag.strength) > strengthRank(best) ? c.tag.strength : best), 'none');
  const notices: DocumentPageModel['notices'] = [];
  if (doc.status === 'withdrawn') {
    notices.push({ kind: 'warning', text: `Withdrawn${doc.withdrawn_at ? ` on ${formatDay(doc.withdrawn_at)}` : ''}: ${doc.withdrawn_reason ?? 'no longer published by the source'}. The text below is kept for the record and is not in force.` });
  }
  const latest = inLanguage.at(-1) as (typeof inLanguage)[number];
  if (version.id !== latest.id) {
    notices.push({ kind: 'info', text: `You are reading an earlier version (${versionLabelName(version.label)}, ${formatDay(version.valid_from)}). The latest is ${versionLabelName(latest.label)}, ${formatDay(latest.valid_from)}.` });
  }
  const en = latestIn('en');
  const cy = latestIn('cy');
  const metadata = metadataOf(version.metadata);
  if (en && cy) {
    const cyOlder = (cy.valid_from ?? '') < (en.valid_from ?? '');
    const differentStage = cy.label !== en.label;
    if (cyOlder || differentStage || metadata.welshLags === true) {
      const why = cyOlder || differentStage
        ? `the latest Welsh text is ${versionLabelName(cy.label)} of ${formatDay(cy.valid_from)}, the latest English text ${versionLabelName(en.label)} of ${formatDay(en.valid_from)}`
        : 'the source reports amendments not yet applied to the Welsh text';
      notices.push({ kind: 'warning', text: `The Welsh text lags behind the English: ${why}. Check the English text for the current law.` });
    }
  }
  if (metadata.partial === true || metadata.partialCapture === true || metadata.capture === 'partial' || metadata.capture === 'text') {
    notices.push({ kind: 'warning', text: 'This version is a partial capture: only part of the document was captured from the source, so clauses may be missing.' });
  }
  const quarantined = all.filter((v) => v.status === 'quarantined').length;
  if (quarantined > 0) {
    notices.push({ kind: 'info', text: `${quarantined} captured ${quarantined === 1 ? 'version is' : 'versions are'} quarantined (held back for checking, e.g. a sudden drop in clauses) and not shown.` });
  }

  return {
    document: { id: doc.id, title: doc.title, kind: doc.kind, jurisdiction: doc.jurisdiction, status: doc.status, withdrawnAt: doc.withdrawn_at, withdrawnReason: doc.withdrawn_reason },
    path,
    language,
    languageName: languageName(language),
    version: { id: version.id, label: version.label, labelName: versionLabelName(version.label), validFrom: version.valid_from, title: version.title, sourceUrl: version.source_url, fetchedAt: version.fetched_at },
    versions: inLanguage.map((v) => ({ id: v.id, label: v.label, labelName: versionLabelName(v.label), validFrom: v.valid_from, href: `${path}?lang=${language}&version=${v.id}`, current: v.id === version.id })).reverse(),
    languages: languageCodes.map((l) => ({ language: l, name: languageName(l), href: `${path}?lang=${l}`, current: l === language })),
    notices,
    clauses,
    summary: { clauses: clauses.length, coproduction: co.length, strongest, funded: co.filter((c) => c.tag?.funding).length, reviewed: clauses.filter((c) => c.tag?.reviewed).length },
    isLatest: version.id === latest.id,
  };
}

/** The version's clauses in order with the machine tag's JSON columns, in one query (the page is benchmarked). */
async function clausesWithTags(db: Kysely<Database>, versionId: number) {
  const rows = await db
    .selectFrom('version_clauses as vc')
    .innerJoin('clause_versions as cv', 'cv.id', 'vc.clause_version_id')
    .leftJoin('tags as t', 't.clause_version_id', 'vc.clause_version_id')
    .select(['vc.position', 'vc.clause_id', 'vc.clause_version_id', 'cv.key', 'cv.number', 'cv.heading', 'cv.text', 'cv.marks', 't.principles', 't.evidence', 't.amounts', 't.ambiguous'])
    .where('vc.document_version_id', '=', versionId)
    .orderBy('vc.position')
    .execute();
  return rows.map((r) => ({ ...r, clauseId: r.clause_id, clauseVersionId: r.clause_version_id }));
}

/**
 * The document page is the most-read page and is benchmarked, while its data changes only when a scrape,
 * a re-tag, a review or a withdrawal writes. So built models are kept, keyed by what was asked, and
 * reused while one cheap query (four index or rowid look-ups) says nothing they depend on has changed:
 * the document's newest version and updated_at/status, the newest review, the newest change event
 * (re-tags record `retagged` events). A re-tag that moves only evidence offsets writes no event, so
 * entries also expire after a minute.
 */
const documentStamp = async (db: Kysely<Database>, { documentId }: { documentId: string }) => {
  const row = await db
    .selectNoFrom((eb) => [
      eb.selectFrom('document_versions').select((e) => e.fn.max('id').as('v')).where('document_id', '=', documentId).as('v'),
      eb.selectFrom('documents').select((e) => e.fn.max('updated_at').as('d')).where('id', '=', documentId).as('d'),
      eb.selectFrom('documents').select((e) => e.fn.max('status').as('s')).where('id', '=', documentId).as('s'),
      eb.selectFrom('tag_reviews').select((e) => e.fn.max('id').as('r')).as('r'),
      eb.selectFrom('change_events').select((e) => e.fn.max('id').as('e')).as('e'),
    ])
    .executeTakeFirst();
  return JSON.stringify(row ?? null);
};

const documentPages = stampedCache((db, { documentId, query }: { documentId: string; query: DocumentPageQuery }) => buildDocumentPage(db, documentId, query), {
  stamp: documentStamp,
});

export async function cachedDocumentPage(db: Kysely<Database>, documentId: string, query: DocumentPageQuery): Promise<DocumentPageModel> {
  validateQuery(query);
  return documentPages(db, { documentId, query: { lang: query.lang, version: query.version } });
}
