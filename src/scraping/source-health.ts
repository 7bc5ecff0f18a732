import type { Kysely } from 'kysely';
import type { Database, Run } from '../db/schema.js';

export interface SourceHealth {
  id: string;
  name: string;
  lastSuccessAt: string | null;
  lastError: string | null;
  lastErrorAt: string | null;
  consecutiveFailures: number;
  documents: number;
  versions: number;
  quarantinedVersions: number;
  lastRun: Run | null;
  /** Data-quality problems found by the latest run, by kind. */
  problems: { kind: string; count: number; example: { url: string; detail: string } }[];
}

/** The source-health record: one entry per source that has ever run, for the health page and CLI. */
export async function sourceHealth(db: Kysely<Database>): Promise<SourceHealth[]> {
  const sources = await db.selectFrom('sources').selectAll().orderBy('id').execute();
  const health: SourceHealth[] = [];
  for (const s of sources) {
    const lastRun = s.last_run_id === null ? null : ((await db.selectFrom('runs').selectAll().where('id', '=', s.last_run_id).executeTakeFirst()) ?? null);
    const versions = await db
      .selectFrom('document_versions as v')
      .innerJoin('documents as d', 'd.id', 'v.document_id')
      .select(['v.status', (eb) => eb.fn.countAll().as('n')])
      .where('d.source_id', '=', s.id)
      .groupBy('v.status')
      .execute();
    const documents = await db.selectFrom('documents').select((eb) => eb.fn.countAll().as('n')).where('source_id', '=', s.id).executeTakeFirstOrThrow();
    const problems = lastRun
      ? await db.selectFrom('data_quality_problems').select(['kind', 'url', 'detail']).where('run_id', '=', lastRun.id).orderBy('id').execute()
      : [];
    const byKind = new Map<string, SourceHealth['problems'][number]>();
    for (const p of problems) {
      const entry = byKind.get(p.kind);
      if (entry) entry.count += 1;
      else byKind.set(p.kind, { kind: p.kind, count: 1, example: { url: p.url, detail: p.detail } });
    }
    const versionCount = (status: string) => Number(versions.find((v) => v.status === status)?.n ?? 0);
    health.push({
      id: s.id,
      name: s.name,
      lastSuccessAt: s.last_success_at,
      lastError: s.last_error,
      lastErrorAt: s.last_error_at,
      consecutiveFailures: s.consecutive_failures,
      documents: Number(documents.n),
      versions: versionCount('accepted'),
      quarantinedVersions: versionCount('quarantined'),
      lastRun,
      problems: [...byKind.values()],
    });
  }
  return health;
}
