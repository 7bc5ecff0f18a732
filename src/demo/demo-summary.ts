import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';

export interface DemoSummary {
  documents: number;
  versions: number;
  clauses: number;
  clauseVersions: number;
  /** Clause versions the matcher tagged as co-production. */
  coproductionClauseVersions: number;
  /** Accepted document versions by document kind, jurisdiction and language: `act/wales/cy` → n. */
  versionsBy: Record<string, number>;
  /** Co-production clause versions by strength. */
  coproductionByStrength: Record<string, number>;
}

const count = (n: unknown) => Number(n);

/** What a database holds, for the `demo` command's summary (portable SQL: counts and group-bys only). */
export async function demoSummary(db: Kysely<Database>): Promise<DemoSummary> {
  const total = (table: 'documents' | 'document_versions' | 'clauses' | 'clause_versions') =>
    db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow().then((r) => count(r.n));
  const [documents, versions, clauses, clauseVersions, coproduction, by, strengths] = await Promise.all([
    total('documents'),
    total('document_versions'),
    total('clauses'),
    total('clause_versions'),
    db.selectFrom('tags').select((eb) => eb.fn.countAll().as('n')).where('coproduction', '=', 1).executeTakeFirstOrThrow().then((r) => count(r.n)),
    db
      .selectFrom('document_versions as v')
      .innerJoin('documents as d', 'd.id', 'v.document_id')
      .select(['d.kind', 'd.jurisdiction', 'v.language', (eb) => eb.fn.countAll().as('n')])
      .where('v.status', '=', 'accepted')
      .groupBy(['d.kind', 'd.jurisdiction', 'v.language'])
      .orderBy('d.kind')
      .orderBy('d.jurisdiction')
      .orderBy('v.language')
      .execute(),
    db.selectFrom('tags').select(['strength', (eb) => eb.fn.countAll().as('n')]).where('coproduction', '=', 1).groupBy('strength').orderBy('strength').execute(),
  ]);
  return {
    documents,
    versions,
    clauses,
    clauseVersions,
    coproductionClauseVersions: coproduction,
    versionsBy: Object.fromEntries(by.map((r) => [`${r.kind}/${r.jurisdiction}/${r.language}`, count(r.n)])),
    coproductionByStrength: Object.fromEntries(strengths.map((r) => [r.strength, count(r.n)])),
  };
}
