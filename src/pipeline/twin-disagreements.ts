import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';

export interface TwinDisagreement {
  documentId: string;
  label: string;
  validFrom: string | null;
  clauseId: number;
  key: string;
  en: { clauseVersionId: number; coproduction: boolean; strength: string; text: string };
  cy: { clauseVersionId: number; coproduction: boolean; strength: string; text: string };
}

/**
 * English and Welsh texts of the same provision, in the same expression (label and date), whose tags
 * disagree on the decision or the strength. Both texts are law, so one of the two readings is wrong:
 * these are listed for a reviewer rather than silently preferring one language.
 */
export async function twinDisagreements(db: Kysely<Database>, limit = 500): Promise<TwinDisagreement[]> {
  const rows = await db
    .selectFrom('document_versions as ven')
    .innerJoin('document_versions as vcy', (join) =>
      join
        .onRef('vcy.document_id', '=', 'ven.document_id')
        .onRef('vcy.label', '=', 'ven.label')
        .on('vcy.language', '=', 'cy')
        .on('vcy.status', '=', 'accepted')
        .on((eb) => eb.or([eb('vcy.valid_from', '=', eb.ref('ven.valid_from')), eb.and([eb('vcy.valid_from', 'is', null), eb('ven.valid_from', 'is', null)])])),
    )
    .innerJoin('version_clauses as men', 'men.document_version_id', 'ven.id')
    .innerJoin('version_clauses as mcy', (join) => join.onRef('mcy.document_version_id', '=', 'vcy.id').onRef('mcy.clause_id', '=', 'men.clause_id'))
    .innerJoin('clause_versions as cen', 'cen.id', 'men.clause_version_id')
    .innerJoin('clause_versions as ccy', 'ccy.id', 'mcy.clause_version_id')
    .innerJoin('tags as ten', 'ten.clause_version_id', 'cen.id')
    .innerJoin('tags as tcy', 'tcy.clause_version_id', 'ccy.id')
    .select([
      'ven.document_id',
      'ven.label',
      'ven.valid_from',
      'men.clause_id',
      'cen.key',
      'cen.id as en_id',
      'cen.text as en_text',
      'ten.coproduction as en_coproduction',
      'ten.strength as en_strength',
      'ccy.id as cy_id',
      'ccy.text as cy_text',
      'tcy.coproduction as cy_coproduction',
      'tcy.strength as cy_strength',
    ])
    .where('ven.language', '=', 'en')
    .where('ven.status', '=', 'accepted')
    .where((eb) => eb.or([eb('ten.coproduction', '!=', eb.ref('tcy.coproduction')), eb('ten.strength', '!=', eb.ref('tcy.strength'))]))
    .orderBy('ven.document_id')
    .orderBy('ven.id')
    .orderBy('men.position')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    documentId: r.document_id,
    label: r.label,
    validFrom: r.valid_from,
    clauseId: r.clause_id,
    key: r.key,
    en: { clauseVersionId: r.en_id, coproduction: r.en_coproduction === 1, strength: r.en_strength, text: r.en_text },
    cy: { clauseVersionId: r.cy_id, coproduction: r.cy_coproduction === 1, strength: r.cy_strength, text: r.cy_text },
  }));
}
