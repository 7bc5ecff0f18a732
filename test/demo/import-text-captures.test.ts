import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { migrateToLatest } from '../../src/db/migrate.js';
import type { Database } from '../../src/db/schema.js';
import { captureNativeId, classifyRow, importTextCaptures, readCaptureManifest, type CaptureOutcome } from '../../src/demo/import-text-captures.js';
import { detectLanguage, splitLegislation, splitProse } from '../../src/demo/text-capture-clauses.js';
import { testDatabases, useTestDatabase } from '../support/databases.js';
import { corpusDir, skipCorpus } from '../support/corpus.js';

const fixtures = path.join(import.meta.dirname, 'fixtures');
const haveCorpus = !skipCorpus && existsSync(path.join(corpusDir, 'MANIFEST.tsv'));

interface ClauseRow {
  key: string;
  number: string | null;
  parent_key: string | null;
  text: string;
  coproduction: number | null;
  strength: string | null;
  principles: string | null;
}

/** The clauses of a document's latest accepted version in one language, in order, with their tags. */
async function clausesOf(db: Kysely<Database>, documentId: string, language = 'en'): Promise<ClauseRow[]> {
  const version = await db
    .selectFrom('document_versions')
    .select('id')
    .where('document_id', '=', documentId)
    .where('language', '=', language)
    .where('status', '=', 'accepted')
    .orderBy('id', 'desc')
    .executeTakeFirstOrThrow();
  return db
    .selectFrom('version_clauses as vc')
    .innerJoin('clause_versions as cv', 'cv.id', 'vc.clause_version_id')
    .leftJoin('tags as t', 't.clause_version_id', 'cv.id')
    .select(['cv.key', 'cv.number', 'cv.parent_key', 'cv.text', 't.coproduction', 't.strength', 't.principles'])
    .where('vc.document_version_id', '=', version.id)
    .orderBy('vc.position')
    .execute();
}

async function counts(db: Kysely<Database>) {
  const [versions, clauseVersions, tags] = await Promise.all([
    db.selectFrom('document_versions').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    db.selectFrom('clause_versions').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    db.selectFrom('tags').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { versions: Number(versions.n), clauseVersions: Number(clauseVersions.n), tags: Number(tags.n) };
}

const imported = (outcomes: CaptureOutcome[]) => outcomes.filter((o) => o.status !== 'skipped' && o.status !== 'failed');

describe('text capture splitting (pure)', () => {
  it('reads snippet captures: bare "1"/"a" lines, commentary markers before the section number, bullets under a lead-in', () => {
    const text = ['RHAN 2SWYDDOGAETHAU', 'I2I116Hyrwyddo mentrau', '1', 'Rhaid i awdurdod lleol hyrwyddo—', 'a', 'datblygiad mentrau;', 'b', 'argaeledd gwasanaethau.', '2', 'Yn yr adran hon—', '  • ystyr “x” yw y;'].join('\n\n');
    const { clauses, truncated } = splitLegislation(text, { truncated: false });
    expect(truncated).toBeNull();
    expect(clauses.map((c) => [c.key, c.number, c.parentKey ?? null, c.text])).toEqual([
      ['section-16-1', '(1)', null, 'Rhaid i awdurdod lleol hyrwyddo—'],
      ['section-16-1-a', '(a)', 'section-16-1', 'datblygiad mentrau;'],
      ['section-16-1-b', '(b)', 'section-16-1', 'argaeledd gwasanaethau.'],
      ['section-16-2', '(2)', null, 'Yn yr adran hon—'],
      ['section-16-2-item-1', null, 'section-16-2', 'ystyr “x” yw y;'],
    ]);
    expect(clauses[0]!.heading).toBe('RHAN 2 SWYDDOGAETHAU — Hyrwyddo mentrau');
  });

  it('reads view-style captures: "5Well-being duty", "(1)…", "(a)…", roman items, words after a list, extent markers and chrome', () => {
    const text = [
      'Search Legislation', 'Status:', 'This is the original version (as it was originally enacted).',
      '3Well-being dutyE+W', '(1)A body must—', '(a)do this,', '(i)first,', '(ii)second, and', '(b)do that,', 'so far as practicable.',
      'Commencement Information', 'I2S. 3 in force at 1.4.2016 by S.I. 2016/86, art. 3',
      'Next cross-heading', '4GoalsE+W', 'The goals are set.',
    ].join('\n');
    const { clauses } = splitLegislation(text, { truncated: false });
    expect(clauses.map((c) => [c.key, c.parentKey ?? null])).toEqual([
      ['section-3-1', null],
      ['section-3-1-a', 'section-3-1'],
      ['section-3-1-a-i', 'section-3-1-a'],
      ['section-3-1-a-ii', 'section-3-1-a'],
      ['section-3-1-b', 'section-3-1'],
      ['section-3-1-after', 'section-3-1'],
      ['section-4', null],
    ]);
    expect(clauses.at(-1)).toMatchObject({ number: '4', heading: 'Goals', text: 'The goals are set.' });
  });

  it('a cut-off capture reports its last clause as truncated and leaves it out', () => {
    const { clauses, truncated } = splitLegislation('1Duty\n(1)A body must act.\n(2)A body must not stop acting bef', { truncated: true });
    expect(clauses.map((c) => c.key)).toEqual(['section-1-1']);
    expect(truncated).toMatchObject({ key: 'section-1-2', text: 'A body must not stop acting bef' });
  });

  it('a cut-off capture ending in a heading line drops no clause', () => {
    const { clauses, truncated } = splitLegislation('1Duty\n(1)A body must act.\nA cross-hea', { truncated: true });
    expect(clauses.map((c) => c.key)).toEqual(['section-1-1']);
    expect(truncated).toBeNull();
  });

  it('prose: minister lines become authors, bullets are items of the paragraph before, numbered paragraphs keep their number', () => {
    const split = splitProse('Skip to main content\nA Minister MS, Minister for Care\nFirst published:\n1 May 2099\nWe will fund panels:\n• panel one;\n• panel two.\nNext steps\n3. We will report.', { truncated: false });
    expect(split.authors).toEqual(['A Minister MS, Minister for Care']);
    expect(split.clauses.map((c) => [c.key, c.number ?? null, c.parentKey ?? null, c.heading ?? null, c.text])).toEqual([
      ['p1', null, null, null, 'We will fund panels:'],
      ['p1-1', null, 'p1', null, 'panel one;'],
      ['p1-2', null, 'p1', null, 'panel two.'],
      ['p2', '3', null, 'Next steps', 'We will report.'],
    ]);
  });

  it('language: text markers win over the URL; the URL decides only a text too short to tell', () => {
    expect(detectLanguage('https://legislation.gov.uk/cy/anaw/2016/2/part/1/enacted', 'In this Part the local authority must publish a plan and the plan is to be reviewed by the body.')).toMatchObject({ language: 'en', basis: 'text' });
    expect(detectLanguage('http://www.legislation.gov.uk/anaw/2014/4/section/16/data.html', 'Rhaid i awdurdod lleol hyrwyddo datblygiad mentrau cymdeithasol yn ei ardal i ddarparu gofal a chymorth a gwasanaethau')).toMatchObject({ language: 'cy', basis: 'text' });
    expect(detectLanguage('http://www.legislation.gov.uk/anaw/2014/4/section/16/welsh/data.html', 'Hyrwyddo')).toMatchObject({ language: 'cy', basis: 'url' });
    expect(detectLanguage('https://cyfraith.llyw.cymru/deddf', '16')).toMatchObject({ language: 'cy', basis: 'url' });
    expect(detectLanguage('https://gov.wales/x', '16')).toMatchObject({ language: 'en', basis: 'url' });
  });

  it('ids: host without www and trailing dot, path, meaningful query only', () => {
    expect(captureNativeId('http://www.legislation.gov.uk./anaw/2014/4/section/16/enacted/welsh/data.xht?view=snippet&wrap=true')).toBe('legislation.gov.uk/anaw/2014/4/section/16/enacted/welsh/data.xht');
    expect(captureNativeId('https://business.senedd.wales/ieDecisionDetails.aspx?ID=1937')).toBe('business.senedd.wales/ieDecisionDetails.aspx;ID=1937');
    expect(captureNativeId('https://www.wired-gov.net/wg/news.nsf/articles/27bn+draft+budget+14102025140500?open')).toBe('wired-gov.net/wg/news.nsf/articles/27bn+draft+budget+14102025140500;open');
  });
});

describe('manifest rows', () => {
  it('imports tracked kinds and skips the rest with a reason', async () => {
    const rows = await readCaptureManifest(fixtures);
    const decided = Object.fromEntries(rows.map((r) => [path.basename(r.file), classifyRow(r)]));
    expect(decided['legislation.data.gov.uk_anaw_2099_9_part_1_enacted.txt']).toEqual({ kind: 'act' });
    expect(decided['gov.wales_written-statement-test-funding-for-co-production.txt']).toEqual({ kind: 'statement' });
    expect(decided['hansard.example_test.txt']).toEqual({ skip: expect.stringMatching(/Hansard/) });
    expect(decided['legislation.example_notes_test.txt']).toEqual({ skip: expect.stringMatching(/explanatory notes/) });
    expect(decided['none.atom.xml']).toEqual({ skip: 'not a text capture' });
    expect(decided['missing.txt']).toEqual({ skip: expect.stringMatching(/report/) });
  });
});

describe.each(testDatabases)('importTextCaptures over test fixtures on %s', (target) => {
  const t = useTestDatabase<Database>(target, { prepare: migrateToLatest, scope: 'all' });
  let outcomes: CaptureOutcome[];
  beforeAll(async () => {
    outcomes = await importTextCaptures(t.db, fixtures);
  });

  it('imports the four tracked captures and logs a reason for each skipped text row', () => {
    expect(imported(outcomes).map((o) => [o.status, 'documentId' in o ? o.documentId : null]).sort()).toEqual([
      ['inserted', 'capture:gov.wales/written-statement-test-funding-for-co-production'],
      ['inserted', 'capture:legislation.data.gov.uk/anaw/2099/9/part/1/enacted'],
      ['inserted', 'capture:legislation.gov.uk/anaw/2099/9/section/42/welsh/data.html'],
      ['inserted', 'capture:legislation.gov.uk/cy/anaw/2099/9/part/1'],
    ]);
    const skipped = outcomes.filter((o) => o.status === 'skipped');
    expect(skipped).toHaveLength(3);
    for (const s of skipped) expect(s.status === 'skipped' && s.reason.length).toBeGreaterThan(10);
  });

  it('stores kind, jurisdiction, language, label, date and the real URL; metadata says it is a (partial) text capture', async () => {
    const versions = await t.db.selectFrom('document_versions').innerJoin('documents', 'documents.id', 'document_versions.document_id')
      .select(['documents.id', 'documents.kind', 'documents.jurisdiction', 'documents.source_id', 'document_versions.language', 'document_versions.label', 'document_versions.valid_from', 'document_versions.source_url', 'document_versions.metadata'])
      .orderBy('documents.id').execute();
    expect(versions.map(({ metadata: _m, ...v }) => v)).toEqual([
      { id: 'capture:gov.wales/written-statement-test-funding-for-co-production', kind: 'statement', jurisdiction: 'wales', source_id: 'capture', language: 'en', label: 'published', valid_from: '2099-03-03', source_url: 'https://www.gov.wales/written-statement-test-funding-for-co-production' },
      { id: 'capture:legislation.data.gov.uk/anaw/2099/9/part/1/enacted', kind: 'act', jurisdiction: 'wales', source_id: 'capture', language: 'en', label: 'enacted', valid_from: '2099-05-01', source_url: 'http://legislation.data.gov.uk/anaw/2099/9/part/1/enacted' },
      { id: 'capture:legislation.gov.uk/anaw/2099/9/section/42/welsh/data.html', kind: 'act', jurisdiction: 'wales', source_id: 'capture', language: 'cy', label: 'revised', valid_from: null, source_url: 'http://www.legislation.gov.uk/anaw/2099/9/section/42/welsh/data.html' },
      // A /cy/ URL is the Welsh *interface*; the text is English and is stored as English.
      { id: 'capture:legislation.gov.uk/cy/anaw/2099/9/part/1', kind: 'act', jurisdiction: 'wales', source_id: 'capture', language: 'en', label: 'revised', valid_from: '2099-06-01', source_url: 'https://www.legislation.gov.uk/cy/anaw/2099/9/part/1' },
    ]);
    const welsh = JSON.parse(versions[2]!.metadata) as { capture: Record<string, unknown> };
    expect(welsh.capture).toMatchObject({ textCapture: true, partial: true, cutOff: true, notice: expect.stringMatching(/first ~2,000 characters/) });
    const statement = JSON.parse(versions[0]!.metadata) as { capture: Record<string, unknown>; authors: string[] };
    expect(statement.capture).toMatchObject({ partial: false, cutOff: false });
    expect(statement.authors).toEqual(['Jane Example MS, Minister for Social Care']);
  });

  it('the cut-off Welsh capture keeps (1)–(5) and leaves out the unfinished (6), recording it in metadata', async () => {
    const id = 'capture:legislation.gov.uk/anaw/2099/9/section/42/welsh/data.html';
    const clauses = await clausesOf(t.db, id, 'cy');
    expect(clauses.map((c) => c.key)).toEqual(['section-42-1', 'section-42-1-a', 'section-42-1-b', 'section-42-2', 'section-42-3', 'section-42-3-item-1', 'section-42-3-item-2', 'section-42-4', 'section-42-5']);
    expect(clauses.every((c) => /[.;—]$/.test(c.text))).toBe(true);
    const anywhere = await t.db.selectFrom('clause_versions').select('key').where('key', '=', 'section-42-6').execute();
    expect(anywhere).toEqual([]);
    const { metadata } = await t.db.selectFrom('document_versions').select('metadata').where('document_id', '=', id).executeTakeFirstOrThrow();
    expect((JSON.parse(metadata) as { capture: { droppedTruncatedClause: { key: string; text: string } } }).capture.droppedTruncatedClause).toMatchObject({ key: 'section-42-6', text: expect.stringMatching(/^Caiff Gweinidogion Cymru .* yn briodol,$/) });
  });

  it('list items carry their lead-in, so the matcher reads the duty into them', async () => {
    const clauses = await clausesOf(t.db, 'capture:legislation.data.gov.uk/anaw/2099/9/part/1/enacted');
    const byKey = new Map(clauses.map((c) => [c.key, c]));
    expect(byKey.get('section-1-a')).toMatchObject({ parent_key: 'section-1', number: '(a)', text: 'involve people who need care and support in the design and operation of services, and' });
    expect(byKey.get('section-2-1-after')).toMatchObject({ parent_key: 'section-2-1', text: 'on such terms as they think fit.' });
    // Every clause version is tagged by the default matcher.
    expect(clauses.every((c) => c.strength !== null)).toBe(true);
    expect(byKey.get('section-1-a')).toMatchObject({ coproduction: 1, strength: 'duty' });
  });

  it('re-importing is a no-op: every capture unchanged, no new versions, clause versions or tags', async () => {
    const before = await counts(t.db);
    const again = await importTextCaptures(t.db, fixtures);
    expect(imported(again).map((o) => o.status)).toEqual(['unchanged', 'unchanged', 'unchanged', 'unchanged']);
    expect(await counts(t.db)).toEqual(before);
  });
});

describe.skipIf(!haveCorpus).each(testDatabases)('importTextCaptures over the real corpus (../shared/corpus) on %s', (target) => {
  const t = useTestDatabase<Database>(target, { prepare: migrateToLatest, scope: 'all' });
  let outcomes: CaptureOutcome[];
  beforeAll(async () => {
    outcomes = await importTextCaptures(t.db, corpusDir);
  }, 120_000);

  it('imports legislation, statements, guidance and budgets, skips notes/Hansard/indexes/research, fails none', () => {
    expect(outcomes.filter((o) => o.status === 'failed')).toEqual([]);
    const ok = imported(outcomes);
    expect(ok.length).toBeGreaterThanOrEqual(20);
    const reasons = outcomes.filter((o) => o.status === 'skipped').map((o) => (o.status === 'skipped' ? o.reason : ''));
    for (const pattern of [/explanatory notes/, /Hansard/, /index or table of contents/, /research or committee report/]) expect(reasons.some((r) => pattern.test(r))).toBe(true);
  });

  it('SSWB Act 2014 s.16 in Welsh: the lead-in and items (a)–(d); (c) (design and operation) is co-production with strength duty', async () => {
    const clauses = await clausesOf(t.db, 'capture:legislation.gov.uk/anaw/2014/4/section/16/welsh/data.html', 'cy');
    const s16 = clauses.filter((c) => c.key.startsWith('section-16-1'));
    expect(s16.map((c) => [c.key, c.number, c.parent_key])).toEqual([
      ['section-16-1', '(1)', null],
      ['section-16-1-a', '(a)', 'section-16-1'],
      ['section-16-1-b', '(b)', 'section-16-1'],
      ['section-16-1-c', '(c)', 'section-16-1'],
      ['section-16-1-d', '(d)', 'section-16-1'],
    ]);
    expect(s16[0]!.text).toBe('Rhaid i awdurdod lleol hyrwyddo—');
    const c = s16[3]!;
    expect(c.text).toMatch(/^ymglymiad personau .* yn y broses o ddylunio a gweithredu’r ddarpariaeth honno;$/);
    expect(c).toMatchObject({ coproduction: 1, strength: 'duty' });
    expect((JSON.parse(c.principles!) as { id: string }[]).map((p) => p.id)).toContain('design_delivery_involvement');
  });

  it('SSWB Act 2014 Part 2 as enacted (English): s.5 lead-in and items, s.6(1)–(4); the cut-off s.6(4)(a) is left out', async () => {
    const clauses = await clausesOf(t.db, 'capture:legislation.data.gov.uk/anaw/2014/4/part/2/enacted');
    expect(clauses.map((c) => c.key)).toEqual([
      'section-5', 'section-5-a', 'section-5-b',
      'section-6-1', 'section-6-1-a', 'section-6-1-b', 'section-6-1-c', 'section-6-1-after',
      'section-6-2', 'section-6-2-a', 'section-6-2-b', 'section-6-2-c', 'section-6-2-d',
      'section-6-3', 'section-6-3-a', 'section-6-3-b',
      'section-6-4',
    ]);
    expect(clauses[0]).toMatchObject({ number: '5', text: 'A person exercising functions under this Act must seek to promote the well-being of—' });
    expect(clauses[1]).toMatchObject({ parent_key: 'section-5', text: 'people who need care and support, and' });
    expect(clauses[7]).toMatchObject({ parent_key: 'section-6-1', text: 'must comply with the duties in subsection (2).' });
    expect(clauses.some((c) => /con$/.test(c.text))).toBe(false);
    const version = await t.db.selectFrom('document_versions').select(['metadata', 'language', 'label', 'valid_from', 'title']).where('document_id', '=', 'capture:legislation.data.gov.uk/anaw/2014/4/part/2/enacted').executeTakeFirstOrThrow();
    expect(version).toMatchObject({ language: 'en', label: 'enacted', valid_from: '2014-05-01', title: 'Social Services and Well-being (Wales) Act 2014, Part 2' });
    expect(JSON.parse(version.metadata)).toMatchObject({ capture: { cutOff: true, droppedTruncatedClause: { key: 'section-6-4-a', text: expect.stringMatching(/in so far as doing so is con$/) } } });
  });

  it('the /cy/ interface page of RISCA 2016 Part 1 holds English text and is stored as English', async () => {
    const row = await t.db.selectFrom('document_versions').select('language').where('document_id', '=', 'capture:legislation.gov.uk/cy/anaw/2016/2/part/1/enacted').executeTakeFirstOrThrow();
    expect(row.language).toBe('en');
  });

  it('re-importing the corpus captures adds no versions', async () => {
    const before = await counts(t.db);
    const again = await importTextCaptures(t.db, corpusDir);
    expect(new Set(imported(again).map((o) => o.status))).toEqual(new Set(['unchanged']));
    expect(await counts(t.db)).toEqual(before);
  }, 120_000);
});
