import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import type { Database } from '../../src/db/schema.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { importDocument } from '../../src/pipeline/import-document.js';
import { DocumentValidationError } from '../../src/pipeline/prepare-document.js';
import { withdrawDocument } from '../../src/pipeline/withdraw-document.js';
import type { ScrapedDocument } from '../../src/domain/scraped-document.js';
import { generateDocuments, seededRandom } from '../support/generate-documents.js';
import { openTestDatabase, testDatabases } from '../support/databases.js';

async function count(db: Kysely<Database>, table: keyof Database): Promise<number> {
  return Number((await db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
}

async function events(db: Kysely<Database>) {
  return db.selectFrom('change_events').selectAll().orderBy('id').execute();
}

function withVersion(doc: ScrapedDocument, label: string, validFrom: string, clauses: ScrapedDocument['clauses']): ScrapedDocument {
  return { ...doc, version: { ...doc.version, label, validFrom }, clauses };
}

const act = generateDocuments({ seed: 7, documents: 1, clausesPerDocument: 12 })[0]!;

describe.each(testDatabases)('importDocument on %s', (target) => {
  let db: Kysely<Database>;
  let close: () => Promise<void>;

  beforeEach(async () => {
    const opened = await openTestDatabase<Database>(target);
    db = opened.db;
    close = opened.close;
    await migrateToLatest(db);
  });
  afterEach(async () => close());

  it('imports 200 documents, then a shuffled second pass is a complete no-op', async () => {
    const docs = generateDocuments({ seed: 1, documents: 200, clausesPerDocument: 6 });
    for (const doc of docs) expect((await importDocument(db, doc)).outcome).toBe('inserted');
    const before = { versions: await count(db, 'document_versions'), clauseVersions: await count(db, 'clause_versions'), events: await count(db, 'change_events') };
    expect(before).toEqual({ versions: 200, clauseVersions: 1200, events: 200 });

    const touched = await db.selectFrom('documents').select(['id', 'updated_at']).orderBy('id').execute();
    const random = seededRandom(2);
    const shuffled = [...docs].sort(() => random() - 0.5).map((d) => ({ ...d, version: { ...d.version, fetchedAt: '2026-02-02T10:00:00.000Z' } }));
    const outcomes = [];
    for (const doc of shuffled) outcomes.push((await importDocument(db, doc, { now: () => new Date('2030-01-01T00:00:00Z') })).outcome);
    expect(new Set(outcomes)).toEqual(new Set(['unchanged']));
    expect({ versions: await count(db, 'document_versions'), clauseVersions: await count(db, 'clause_versions'), events: await count(db, 'change_events') }).toEqual(before);
    // Not even a timestamp is touched.
    expect(await db.selectFrom('documents').select(['id', 'updated_at']).orderBy('id').execute()).toEqual(touched);
  });

  it('v1 → v2 with one reworded clause, one inserted clause and the rest renumbered gives exactly the right events', async () => {
    await importDocument(db, act);
    const v1 = act.clauses;
    // Insert a clause at position 3 and renumber everything after it; reword the (renumbered) eighth clause.
    const renumbered = v1.map((c, i) => (i < 3 ? c : { ...c, key: `${c.key}-r`, number: `${c.number}r` }));
    renumbered[7] = { ...renumbered[7]!, text: `${renumbered[7]!.text} It must publish the outcome of that involvement.` };
    const inserted = { key: 'section-new', number: '1A', heading: 'Co-production', parentKey: null, text: 'A local authority must co-produce its services with the people who use them and with carers.' };
    const v2 = [...renumbered.slice(0, 3), inserted, ...renumbered.slice(3)];
    const result = await importDocument(db, withVersion(act, 'amended', '2015-01-01', v2));
    expect(result.outcome).toBe('updated');

    const changes = (await events(db)).filter((e) => e.document_version_id === result.versionId);
    const byKind = (kind: string) => changes.filter((e) => e.kind === kind);
    expect(byKind('reworded')).toHaveLength(1);
    expect(JSON.parse(byKind('reworded')[0]!.detail)).toMatchObject({ fromKey: v1[7]!.key, toKey: `${v1[7]!.key}-r` });
    expect(byKind('added')).toHaveLength(1);
    expect(JSON.parse(byKind('added')[0]!.detail)).toMatchObject({ toKey: 'section-new' });
    expect(byKind('moved')).toHaveLength(v1.length - 3 - 1);
    expect(byKind('removed')).toHaveLength(0);
    expect(changes).toHaveLength(1 + 1 + (v1.length - 4));

    // Identity survives renumbering: still 12 + 1 clauses, and the moved clause points at its new key.
    expect(await count(db, 'clauses')).toBe(13);
    const moved = await db.selectFrom('clauses').select('current_key').where('id', '=', byKind('moved')[0]!.clause_id!).executeTakeFirstOrThrow();
    expect(moved.current_key).toMatch(/-r$/);
    // Only changed clause versions are written: 3 untouched clauses reuse their v1 rows.
    expect(result.clauseVersionsWritten).toBe(v2.length - 3);
  });

  it('a clause whose only change is text keeps its key and gets one new clause version', async () => {
    await importDocument(db, act);
    const v2 = act.clauses.map((c, i) => (i === 4 ? { ...c, text: `${c.text} Amended.` } : c));
    const result = await importDocument(db, withVersion(act, 'revised', '2016-04-06', v2));
    expect(result.clauseVersionsWritten).toBe(1);
    const changes = (await events(db)).filter((e) => e.document_version_id === result.versionId);
    expect(changes.map((e) => e.kind)).toEqual(['reworded']);
    expect(changes[0]!.important).toBe(0);
  });

  it.each([
    ['a version with zero clauses', () => []],
    ['an unexplained drop of more than half the clauses', () => act.clauses.slice(0, 5)],
  ])('quarantines %s: nothing deleted, no events', async (_name, clauses) => {
    await importDocument(db, act);
    const before = { clauses: await count(db, 'clauses'), clauseVersions: await count(db, 'clause_versions'), membership: await count(db, 'version_clauses'), events: await count(db, 'change_events') };
    const result = await importDocument(db, withVersion(act, 'revised', '2016-04-06', clauses()));
    expect(result.outcome).toBe('quarantined');
    expect(result.reason).toMatch(/parser suspect/);
    expect({ clauses: await count(db, 'clauses'), clauseVersions: await count(db, 'clause_versions'), membership: await count(db, 'version_clauses'), events: await count(db, 'change_events') }).toEqual(before);
    const versions = await db.selectFrom('document_versions').select(['status', 'quarantine_reason']).orderBy('id').execute();
    expect(versions.map((v) => v.status)).toEqual(['accepted', 'quarantined']);

    // The next good version is compared with the last accepted one, not the quarantined one.
    const next = await importDocument(db, withVersion(act, 'revised', '2016-05-01', act.clauses));
    expect(next.outcome).toBe('updated');
    expect(await count(db, 'change_events')).toBe(before.events);
  });

  it('accepts a large drop that the scraper explains', async () => {
    await importDocument(db, act);
    const doc = withVersion(act, 'revised', '2016-04-06', act.clauses.slice(0, 3));
    const result = await importDocument(db, { ...doc, version: { ...doc.version, explainedDrop: 'Part 2 repealed' } });
    expect(result.outcome).toBe('updated');
    expect((await events(db)).filter((e) => e.kind === 'removed')).toHaveLength(9);
  });

  it('attaches a Welsh expression to the same clauses by provision key', async () => {
    await importDocument(db, act);
    const welsh: ScrapedDocument = { ...act, title: 'Deddf a Gynhyrchwyd 1', version: { ...act.version, language: 'cy' }, clauses: act.clauses.map((c) => ({ ...c, text: `Rhaid i awdurdod lleol ${c.key}.` })) };
    const result = await importDocument(db, welsh);
    expect(result.outcome).toBe('updated');
    expect(await count(db, 'clauses')).toBe(12);
    const langs = await db.selectFrom('clause_versions').select(['clause_id', 'language']).execute();
    expect(new Set(langs.filter((l) => l.language === 'cy').map((l) => l.clause_id))).toEqual(new Set(langs.filter((l) => l.language === 'en').map((l) => l.clause_id)));
    expect((await events(db)).map((e) => e.kind)).toEqual(['document_added', 'language_added']);
    const doc = await db.selectFrom('documents').select('title').executeTakeFirstOrThrow();
    expect(doc.title).toBe('Generated Act 1');
  });

  it('links a provision inserted in a later version to its twin in the other language', async () => {
    const cy = (doc: ScrapedDocument): ScrapedDocument => ({ ...doc, version: { ...doc.version, language: 'cy' }, clauses: doc.clauses.map((c) => ({ ...c, text: `Cymraeg: ${c.text}` })) });
    const inserted = { key: 'section-5A', number: '5A', heading: 'Cydgynhyrchu', parentKey: null, text: 'A local authority must co-produce its plans with carers.' };
    const v2 = withVersion(act, 'revised', '2016-04-06', [...act.clauses, inserted]);
    for (const doc of [act, cy(act), v2, cy(v2)]) await importDocument(db, doc);
    const rows = await db.selectFrom('clause_versions').select(['clause_id', 'language']).where('key', '=', 'section-5A').execute();
    expect(rows.map((r) => r.language).sort()).toEqual(['cy', 'en']);
    expect(new Set(rows.map((r) => r.clause_id)).size).toBe(1);
    expect(await count(db, 'clauses')).toBe(13);
  });

  it('compares a point-in-time version with the version valid before it, even when it arrives late', async () => {
    const v2016 = withVersion(act, 'revised', '2016-04-06', act.clauses.map((c, i) => (i === 0 ? { ...c, text: 'Text as at 2016.' } : c)));
    const v2014 = withVersion(act, 'enacted', '2014-05-01', act.clauses);
    await importDocument(db, v2016);
    const late = await importDocument(db, v2014);
    const row = await db.selectFrom('document_versions').select('previous_version_id').where('id', '=', late.versionId!).executeTakeFirstOrThrow();
    expect(row.previous_version_id).toBeNull();
  });

  it('rejects invalid documents with a clear error and writes nothing', async () => {
    await expect(importDocument(db, { ...act, version: { ...act.version, sourceUrl: 'not a url' } })).rejects.toThrow(DocumentValidationError);
    await expect(importDocument(db, { ...act, clauses: [act.clauses[0], act.clauses[0]] })).rejects.toThrow(/duplicate clause key section-1-1/);
    await expect(importDocument(db, { ...act, kind: 'novel' })).rejects.toThrow(/generated:anaw\/2014\/1.*kind/);
    expect(await count(db, 'documents')).toBe(0);
  });

  it('withdraws a document only when told, with a reason and an event', async () => {
    await importDocument(db, act);
    await expect(withdrawDocument(db, 'generated:anaw/2014/1', ' ')).rejects.toThrow(/reason/);
    await withdrawDocument(db, 'generated:anaw/2014/1', 'Repealed by 2016 anaw 2');
    const doc = await db.selectFrom('documents').selectAll().executeTakeFirstOrThrow();
    expect(doc).toMatchObject({ status: 'withdrawn', withdrawn_reason: 'Repealed by 2016 anaw 2' });
    expect((await events(db)).at(-1)).toMatchObject({ kind: 'withdrawn', important: 1 });
    expect(await count(db, 'clauses')).toBe(12);
  });
});
