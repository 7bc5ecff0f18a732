import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { languageName, versionLabelName } from '../../web/documents/labels.js';
import { fill, jurisdictionName, kindName, principleName, type Wording } from './wording.js';

/** A subscription's target as stored (subscriptions.target_type + the parsed subscriptions.target JSON). */
export interface StoredTarget {
  type: string;
  target: Record<string, unknown>;
}

export function parseStoredTarget(targetType: string, targetJson: string): StoredTarget {
  let target: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(targetJson);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) target = parsed as Record<string, unknown>;
  } catch {
    // An unreadable target is described generically rather than failing a mail.
  }
  return { type: targetType, target };
}

const text = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');

/** Search filters as words: "Wales, Act, duty". */
function filterWords(filters: unknown): string {
  if (!filters || typeof filters !== 'object') return '';
  const f = filters as Record<string, unknown>;
  const parts: string[] = [];
  if (text(f.jurisdiction)) parts.push(jurisdictionName(text(f.jurisdiction)));
  if (text(f.kind)) parts.push(kindName(text(f.kind)));
  if (text(f.stage)) parts.push(versionLabelName(text(f.stage)));
  if (text(f.language)) parts.push(languageName(text(f.language)));
  if (text(f.principle)) parts.push(principleName(text(f.principle)));
  if (text(f.strength)) parts.push(text(f.strength).replace(/_/g, ' '));
  if (f.funded === true || f.funded === 'yes') parts.push('funded');
  if (f.funded === false || f.funded === 'no') parts.push('unfunded');
  return parts.join(', ');
}

/**
 * What a subscription follows, in a short phrase of the subscriber's language: `the search “duty” (Wales)`,
 * a document's title, `clause 16 of …`, `the principle “Shared power” in Wales`. Titles come from the database.
 */
export async function describeTarget(db: Kysely<Database>, stored: StoredTarget, wording: Wording): Promise<string> {
  const t = stored.target;
  switch (stored.type) {
    case 'search': {
      const q = text(t.q).trim();
      const filters = filterWords(t.filters);
      const base = q ? fill(wording.target.search, { q }) : wording.target.searchAll;
      return filters ? `${base} (${filters})` : base;
    }
    case 'document': {
      const id = text(t.documentId);
      const doc = id ? await db.selectFrom('documents').select('title').where('id', '=', id).executeTakeFirst() : undefined;
      return fill(wording.target.document, { title: doc?.title ?? id });
    }
    case 'clause': {
      const clauseId = Number(t.clauseId);
      const row = Number.isSafeInteger(clauseId)
        ? await db
            .selectFrom('clauses')
            .innerJoin('documents', 'documents.id', 'clauses.document_id')
            .select(['documents.title', 'clauses.id'])
            .where('clauses.id', '=', clauseId)
            .executeTakeFirst()
        : undefined;
      const provision = Number.isSafeInteger(clauseId) ? await latestProvision(db, clauseId) : null;
      return fill(wording.target.clause, { provision: provision ?? `#${text(t.clauseId)}`, title: row?.title ?? '' });
    }
    case 'principle': {
      const principle = principleName(text(t.principle));
      const jurisdiction = text(t.jurisdiction);
      return jurisdiction ? fill(wording.target.principleIn, { principle, jurisdiction: jurisdictionName(jurisdiction) }) : fill(wording.target.principle, { principle });
    }
    default:
      return stored.type;
  }
}

/** The provision number a clause was last shown with ("16(1)"), or null. */
async function latestProvision(db: Kysely<Database>, clauseId: number): Promise<string | null> {
  const row = await db
    .selectFrom('clause_versions')
    .select('number')
    .where('clause_id', '=', clauseId)
    .where('number', 'is not', null)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.number ?? null;
}
