import pg from 'pg';

const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
/** Leftovers of runs that were killed before their teardown are dropped once this old. */
const STALE_AFTER_MS = 6 * 60 * 60 * 1000;

/**
 * Names this run's PostgreSQL test schemas (`t_<run>_<random>`) and drops them all after the run,
 * when no worker is migrating any more (see test/support/databases.ts for why not one by one).
 */
export default async function setup(): Promise<() => Promise<void>> {
  const run = Date.now().toString(36);
  process.env.TEST_SCHEMA_PREFIX = `t_${run}_`;
  await dropSchemas((name) => {
    const started = /^t_([0-9a-z]+)_[0-9a-f]+$/.exec(name)?.[1];
    return started !== undefined && started !== run && Date.now() - parseInt(started, 36) > STALE_AFTER_MS;
  });
  return () => dropSchemas((name) => name.startsWith(`t_${run}_`));
}

async function dropSchemas(shouldDrop: (name: string) => boolean): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
  } catch {
    return; // No PostgreSQL here: nothing was created on it.
  }
  try {
    const { rows } = await client.query<{ nspname: string }>("select nspname from pg_namespace where nspname like 't\\_%'");
    for (const { nspname } of rows.filter((r) => shouldDrop(r.nspname))) await client.query(`drop schema if exists "${nspname}" cascade`);
  } finally {
    await client.end();
  }
}
