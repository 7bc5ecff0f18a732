import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';

export interface RecentFailure {
  id: number;
  sourceId: string;
  url: string;
  stage: string;
  errorType: string;
  message: string;
  at: string;
}

/** The latest fetch/parse/import failures of every source, newest first, `perSource` each at most. */
export async function recentFailures(db: Kysely<Database>, sourceIds: readonly string[], perSource = 5): Promise<Map<string, RecentFailure[]>> {
  const result = new Map<string, RecentFailure[]>();
  for (const sourceId of sourceIds) {
    const rows = await db
      .selectFrom('fetch_failures')
      .select(['id', 'source_id', 'url', 'stage', 'error_type', 'message', 'created_at'])
      .where('source_id', '=', sourceId)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(perSource)
      .execute();
    result.set(
      sourceId,
      rows.map((r) => ({ id: r.id, sourceId: r.source_id, url: r.url, stage: r.stage, errorType: r.error_type, message: r.message, at: r.created_at })),
    );
  }
  return result;
}
