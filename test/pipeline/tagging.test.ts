import { describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import type { Database } from '../../src/db/schema.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import type { ScrapedDocument } from '../../src/domain/scraped-document.js';
import type { MatchInput, MatchResult } from '../../src/matcher/types.js';
import { importDocument } from '../../src/pipeline/import-document.js';
import { retagAll } from '../../src/pipeline/retag.js';
import type { Matcher } from '../../src/pipeline/tag-clauses.js';
import { effectiveTags, reviewTag } from '../../src/pipeline/tag-reviews.js';
import { twinDisagreements } from '../../src/pipeline/twin-disagreements.js';
import { testDatabases, useTestDatabase } from '../support/databases.js';

/**
 * A deliberately tiny matcher with obvious rules, so these tests pin the pipeline (what is stored,
 * replaced, compared, reviewed) rather than the real matcher's judgement, which test/matcher covers.
 */
function tinyMatcher(version: string, options: { mayIsDuty?: boolean } = {}): Matcher & { calls: MatchInput[][] } {
  const calls: MatchInput[][] = [];
  const matchOne = (input: MatchInput): MatchResult => {
    const coproduction = /co-produc/i.test(input.text);
    const modal = /\bmust\b/.test(input.text) || /\bmust\b/.test(input.leadIn ?? '') ? 'duty' : /\bmay\b/.test(input.text) ? (options.mayIsDuty ? 'duty' : 'power') : 'none';
    const at = input.text.search(/co-produc/i);
    const evidence = at >= 0 ? [{ start: at, end: at + 10, text: input.text.slice(at, at + 10), rule: 'principle:explicit_coproduction' }] : [];
    return {
      coproduction,
      ambiguous: false,
      principles: coproduction ? [{ id: 'explicit_coproduction', kind: 'core', score: 3, evidence }] : [],
      strength: coproduction ? modal : 'none',
      funding: false,
      fundingTier: 0,
      amounts: [],
      evidence,
      score: coproduction ? 3 : 0,
      reasons: [],
      matcherVersion: version,
    };
  };
  return { version, calls, matchDocument: (inputs) => (calls.push(inputs), inputs.map(matchOne)) };
}

const act: ScrapedDocument = {
  source: 'tagging',
  nativeId: 'anaw/2099/1',
  kind: 'act',
  jurisdiction: 'wales',
  title: 'Co-production (Wales) Act 2099',
  version: { language: 'en', label: 'enacted', validFrom: '2099-01-01', sourceUrl: 'https://example.test/enacted', fetchedAt: '2099-01-02T00:00:00Z' },
  clauses: [
    { key: 'section-1', text: 'A local authority must co-produce its services with the people who use them.' },
    { key: 'section-2', text: 'A local authority must promote—', parentKey: null },
    { key: 'section-2-a', text: 'the co-production of care plans with carers;', parentKey: 'section-2' },
    { key: 'section-3', text: 'This Act comes into force on 1 April 2100.' },
  ],
};
const weakened: ScrapedDocument = {
  ...act,
  version: { ...act.version, label: 'amended', validFrom: '2100-01-01' },
  clauses: act.clauses.map((c) => (c.key === 'section-1' ? { ...c, text: 'A local authority may co-produce its services with the people who use them.' } : c)),
};

describe.each(testDatabases)('tagging on %s', (target) => {
  const t = useTestDatabase<Database>(target, { prepare: migrateToLatest });
  const tags = (db: Kysely<Database>) => db.selectFrom('tags').innerJoin('clause_versions as cv', 'cv.id', 'tags.clause_version_id').select(['cv.key', 'tags.strength', 'tags.coproduction', 'tags.matcher_version', 'tags.tagged_at', 'tags.evidence']).orderBy('cv.id').execute();

  it('tags every clause of an imported version, list items reading their lead-in, and an unchanged re-import writes nothing', async () => {
    const matcher = tinyMatcher('m1');
    await importDocument(t.db, act, { matcher, now: () => new Date('2099-01-03T00:00:00Z') });
    expect((await tags(t.db)).map((r) => [r.key, r.coproduction, r.strength, r.matcher_version])).toEqual([
      ['section-1', 1, 'duty', 'm1'],
      ['section-2', 0, 'none', 'm1'],
      ['section-2-a', 1, 'duty', 'm1'],
      ['section-3', 0, 'none', 'm1'],
    ]);
    expect(matcher.calls[0]![2]!.leadIn).toBe('A local authority must promote—');
    const evidence = JSON.parse((await tags(t.db))[0]!.evidence) as { start: number; end: number; text: string }[];
    expect(act.clauses[0]!.text.slice(evidence[0]!.start, evidence[0]!.end)).toBe(evidence[0]!.text);

    expect((await importDocument(t.db, act, { matcher, now: () => new Date('2099-02-01T00:00:00Z') })).outcome).toBe('unchanged');
    expect(new Set((await tags(t.db)).map((r) => r.tagged_at))).toEqual(new Set(['2099-01-03T00:00:00.000Z']));
  });

  it('a duty reworded into a power is an important "strength weakened" change', async () => {
    const matcher = tinyMatcher('m1');
    await importDocument(t.db, act, { matcher });
    const result = await importDocument(t.db, weakened, { matcher });
    const events = await t.db.selectFrom('change_events').select(['kind', 'important', 'detail']).where('document_version_id', '=', result.versionId).execute();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ kind: 'reworded', important: 1 });
    expect(JSON.parse(events[0]!.detail).reasons).toEqual(['strength_weakened']);
  });

  it('re-tagging replaces tags made by older rules in batches, records what changed, and keeps reviews', async () => {
    await importDocument(t.db, act, { matcher: tinyMatcher('m1') });
    await importDocument(t.db, weakened, { matcher: tinyMatcher('m1') });
    const commencement = await t.db.selectFrom('clause_versions').select('id').where('key', '=', 'section-3').executeTakeFirstOrThrow();
    await reviewTag(t.db, { clauseVersionId: commencement.id, action: 'correct', coproduction: true, strength: 'duty', note: 'Commencement of the co-production duty: reviewer reads it as part of the duty.', reviewer: 'reviewer@example.test' });

    const progress: number[] = [];
    const report = await retagAll(t.db, tinyMatcher('m2', { mayIsDuty: true }), { batchSize: 2, onProgress: (done) => progress.push(done) });
    expect(report).toMatchObject({ documentVersions: 2, clauseVersionsTagged: 5, tagChanges: 1, matcherVersion: 'm2' });
    expect(progress).toEqual([1, 2]);
    expect(new Set((await tags(t.db)).map((r) => r.matcher_version))).toEqual(new Set(['m2']));
    const retagged = await t.db.selectFrom('change_events').select(['kind', 'important', 'detail']).where('kind', '=', 'retagged').execute();
    expect(retagged).toHaveLength(1);
    expect(retagged[0]!.important).toBe(0);
    expect(JSON.parse(retagged[0]!.detail)).toMatchObject({ fromMatcher: 'm1', toMatcher: 'm2', reasons: ['strength_strengthened'] });

    // Already current: a second pass has nothing to do; --all does everything again.
    expect((await retagAll(t.db, tinyMatcher('m2', { mayIsDuty: true }))).clauseVersionsTagged).toBe(0);
    expect((await retagAll(t.db, tinyMatcher('m2', { mayIsDuty: true }), { all: true })).clauseVersionsTagged).toBe(5);

    const effective = await effectiveTags(t.db, [commencement.id]);
    expect(effective.get(commencement.id)).toMatchObject({ coproduction: true, strength: 'duty', source: 'review', matcherVersion: 'm2', review: { action: 'correct' } });
  });

  it('lists English and Welsh twins whose tags disagree, for review', async () => {
    const matcher = tinyMatcher('m1');
    const welsh: ScrapedDocument = {
      ...act,
      version: { ...act.version, language: 'cy' },
      clauses: act.clauses.map((c) =>
        c.key === 'section-1'
          ? { ...c, text: 'Rhaid i awdurdod lleol gyd-gynhyrchu ei wasanaethau gyda’r bobl sy’n eu defnyddio.' } // the tiny matcher knows no Welsh
          : c,
      ),
    };
    await importDocument(t.db, act, { matcher });
    await importDocument(t.db, welsh, { matcher });
    const disagreements = await twinDisagreements(t.db);
    expect(disagreements.map((d) => [d.documentId, d.label, d.key, d.en.coproduction, d.cy.coproduction, d.en.strength, d.cy.strength])).toEqual([
      ['tagging:anaw/2099/1', 'enacted', 'section-1', true, false, 'duty', 'none'],
    ]);
  });

  it('a rejection wins over the machine and forces strength to none; bad reviews are refused', async () => {
    await importDocument(t.db, act, { matcher: tinyMatcher('m1') });
    const cv = await t.db.selectFrom('clause_versions').select('id').where('key', '=', 'section-1').executeTakeFirstOrThrow();
    expect((await effectiveTags(t.db, [cv.id])).get(cv.id)).toMatchObject({ coproduction: true, strength: 'duty', source: 'machine', review: null });
    await reviewTag(t.db, { clauseVersionId: cv.id, action: 'reject', note: 'Name-drop only.', reviewer: 'r' });
    expect((await effectiveTags(t.db, [cv.id])).get(cv.id)).toMatchObject({ coproduction: false, strength: 'none', source: 'review' });
    await expect(reviewTag(t.db, { clauseVersionId: cv.id, action: 'correct', note: 'x', reviewer: 'r' })).rejects.toThrow(/must set coproduction or strength/);
    await expect(reviewTag(t.db, { clauseVersionId: cv.id, action: 'confirm', note: ' ', reviewer: 'r' })).rejects.toThrow(/needs a note/);
    await expect(reviewTag(t.db, { clauseVersionId: 999_999, action: 'confirm', note: 'x', reviewer: 'r' })).rejects.toThrow(/no clause version/);
  });
});

describe.each(testDatabases)('tagging with the real matcher on %s', (target) => {
  const t = useTestDatabase<Database>(target, { prepare: migrateToLatest });

  it('SSWWA s.16(2) as a duty, then reworded to "may": a stored duty tag, and an important "strength weakened" event', async () => {
    const { defaultMatcher } = await import('../../src/pipeline/default-matcher.js');
    const s16 = (modal: string) =>
      `A local authority ${modal} promote the involvement of persons for whom care and support or preventative services are to be provided in the design and operation of that provision.`;
    const doc = (modal: string, label: string, validFrom: string): ScrapedDocument => ({
      ...act,
      version: { ...act.version, label, validFrom },
      clauses: [{ key: 'section-16-2', number: '2', heading: 'Promoting social enterprises, co-operatives, user led services and the third sector', text: s16(modal) }],
    });
    await importDocument(t.db, doc('must', 'enacted', '2014-05-01'), { matcher: defaultMatcher });
    const tag = await t.db.selectFrom('tags').selectAll().executeTakeFirstOrThrow();
    expect(tag).toMatchObject({ coproduction: 1, strength: 'duty', matcher_version: defaultMatcher.version });
    const result = await importDocument(t.db, doc('may', 'amended', '2016-01-01'), { matcher: defaultMatcher });
    const [event] = await t.db.selectFrom('change_events').select(['kind', 'important', 'detail']).where('document_version_id', '=', result.versionId).execute();
    expect(event).toMatchObject({ kind: 'reworded', important: 1 });
    expect(JSON.parse(event!.detail).reasons).toContain('strength_weakened');
  });
});
