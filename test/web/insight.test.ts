import { readFileSync } from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import * as cheerio from 'cheerio';
import { beforeAll, describe, expect, it } from 'vitest';
import { migrateToLatest } from '../../src/db/migrate.js';
import type { Database } from '../../src/db/schema.js';
import { MATCHER_VERSION } from '../../src/matcher/index.js';
import { reviewTag } from '../../src/pipeline/tag-reviews.js';
import { createApp } from '../../src/web/app.js';
import { currentCommitments, type Commitment } from '../../src/web/insight/current-commitments.js';
import { currentVersions } from '../../src/web/insight/current-text.js';
import { embeddedButUnfunded, embeddingLadder } from '../../src/web/insight/embedding-ladder.js';
import { readMatcherEvaluation } from '../../src/web/insight/matcher-evaluation.js';
import { corePrinciples } from '../../src/web/insight/principle-guide.js';
import { rungTimeline } from '../../src/web/insight/rung-timeline.js';
import { timelineChart } from '../../src/web/insight/timeline-chart.js';
import { testDatabases, useTestDatabase } from '../support/databases.js';
import { repoRoot } from '../support/corpus.js';
import { coproduceDuty, coproducePower, importVersion, loadDemo, silentLog } from './insight-support.js';

describe('matcher evaluation figures (src/web/insight/matcher-evaluation.json)', () => {
  it('were measured on the matcher that runs now: re-run `npm run eval` and update the file when the rules change', () => {
    const evaluation = readMatcherEvaluation();
    expect(evaluation.matcherVersion).toBe(MATCHER_VERSION);
    expect(MATCHER_VERSION).toContain(`rules-${evaluation.rulesVersion}+`);
  });

  it('match the "Matcher quality" table in DESIGN.md, dev and holdout', () => {
    const design = readFileSync(path.join(repoRoot, 'DESIGN.md'), 'utf8');
    expect(design).toContain(`rules ${readMatcherEvaluation().rulesVersion}`);
    for (const s of readMatcherEvaluation().splits) {
      const row = design.split('\n').find((line) => line.startsWith(`| ${s.id} `));
      expect(row, `DESIGN.md row for ${s.id}`).toBeDefined();
      expect(row!.split('|').slice(2, 7).map((c) => Number(c.trim()))).toEqual([s.items, s.precision, s.recall, s.strengthAccuracy, s.fundingF1]);
    }
  });
});

describe('principle catalogue', () => {
  it('has a name and definition for every core principle of data/rules/principles.json', () => {
    expect(corePrinciples).toHaveLength(15);
    for (const p of corePrinciples) {
      expect(p.name, p.id).not.toBe(p.id.replace(/_/g, ' '));
      expect(p.definition.length, p.id).toBeGreaterThan(40);
      for (const url of p.sources) expect(url).toMatch(/^https?:\/\//);
    }
  });
});

function commitment(over: Partial<Commitment> & { jurisdiction?: string; proposed?: boolean }): Commitment {
  const { jurisdiction = 'wales', proposed = false, ...rest } = over;
  return {
    clauseId: 1,
    clauseVersionId: 1,
    version: { versionId: 1, documentId: 'd', documentTitle: 'D', kind: proposed ? 'bill' : 'act', jurisdiction, language: 'en', label: 'enacted', date: '2020-01-01', proposed },
    otherLanguages: [],
    key: 'section-1',
    number: '1',
    heading: null,
    text: 'text',
    strength: 'duty',
    funded: false,
    principles: ['shared_power'],
    amounts: [],
    reviewed: false,
    ...rest,
  };
}

describe('embedding ladder (pure)', () => {
  it('takes the highest rung of law per cell, keeps bills apart, and counts money', () => {
    const ladder = embeddingLadder([
      commitment({ clauseId: 1, strength: 'guidance', funded: true }),
      commitment({ clauseId: 2, strength: 'power' }),
      commitment({ clauseId: 3, strength: 'duty', proposed: true }),
      commitment({ clauseId: 4, strength: 'aspiration', jurisdiction: 'scotland', principles: ['assets'] }),
    ]);
    expect(ladder.jurisdictions).toEqual(['wales', 'uk', 'scotland']);
    const shared = ladder.rows.find((r) => r.principle.id === 'shared_power')!;
    expect(shared.law[0]).toMatchObject({ rung: 'power', count: 2, funded: 1 });
    expect(shared.law[0]!.strongest!.clauseId).toBe(2);
    expect(shared.proposed[0]).toMatchObject({ rung: 'duty', count: 1 });
    expect(shared.law[1]).toMatchObject({ rung: null, count: 0 });
    expect(ladder.rows.find((r) => r.principle.id === 'assets')!.law[2]).toMatchObject({ rung: 'aspiration', count: 1 });
  });

  it('lists unfunded commitments with legal force, strongest first, without bills or weaker rungs', () => {
    const list = embeddedButUnfunded([
      commitment({ clauseId: 1, strength: 'power' }),
      commitment({ clauseId: 2, strength: 'duty', funded: true }),
      commitment({ clauseId: 3, strength: 'qualified_duty' }),
      commitment({ clauseId: 4, strength: 'duty', proposed: true }),
      commitment({ clauseId: 5, strength: 'guidance' }),
      commitment({ clauseId: 6, strength: 'duty' }),
    ]);
    expect(list.map((c) => c.clauseId)).toEqual([6, 3, 1]);
  });
});

describe('timeline chart (pure)', () => {
  it('draws steps from numbers only, inside the plot, with a row per step', () => {
    const chart = timelineChart(
      [
        { jurisdiction: 'wales', steps: [{ date: '2014-04-06', rung: 'qualified_duty' }, { date: '2016-04-06', rung: 'duty' }] },
        { jurisdiction: 'uk', steps: [{ date: '2015-01-01', rung: 'aspiration' }] },
      ],
      '2020-01-01',
    )!;
    expect(chart.lines.map((l) => l.label)).toEqual(['Wales', 'UK']);
    expect(chart.lines[0]!.d).toMatch(/^M[\d.]+ [\d.]+ H[\d.]+ V[\d.]+ H[\d.]+$/);
    for (const l of chart.lines) for (const p of l.points) {
      expect(p.x).toBeGreaterThanOrEqual(chart.plot.left);
      expect(p.x).toBeLessThanOrEqual(chart.plot.right);
      expect(p.y).toBeGreaterThanOrEqual(chart.plot.top);
      expect(p.y).toBeLessThanOrEqual(chart.plot.bottom);
    }
    // Duty is drawn above qualified duty (smaller y).
    expect(chart.lines[0]!.points[1]!.y).toBeLessThan(chart.lines[0]!.points[0]!.y);
    expect(chart.xTicks.map((t) => t.label)).toContain('2016');
    expect(chart.rows).toEqual([
      { jurisdiction: 'Wales', date: '2014-04-06', rung: 'Qualified duty' },
      { jurisdiction: 'Wales', date: '2016-04-06', rung: 'Duty' },
      { jurisdiction: 'UK', date: '2015-01-01', rung: 'Aspiration' },
    ]);
    expect(timelineChart([], '2020-01-01')).toBeNull();
  });
});

describe.each(testDatabases)('insight queries over the demo data on %s', (target) => {
  const t = useTestDatabase<Database>(target, { prepare: migrateToLatest, scope: 'all' });

  beforeAll(async () => {
    await loadDemo(t.db);
  }, 120_000);

  it('current text is the latest accepted version per document and language; bills are proposals', async () => {
    const versions = await currentVersions(t.db);
    const act = versions.filter((v) => v.documentId === 'legislation:anaw/2099/7');
    // Enacted (2099-03-02) and revised (2100-04-01) in both languages: the revised ones are current.
    expect(act.map((v) => `${v.language}:${v.label}`).sort()).toEqual(['cy:revised', 'en:revised']);
    const bill = versions.filter((v) => v.documentId === 'senedd-bills:99001');
    expect(bill.find((v) => v.language === 'en')?.label).toBe('amended-stage-2');
    expect(bill.find((v) => v.language === 'cy')?.label).toBe('introduced');
    expect(bill.every((v) => v.proposed)).toBe(true);
    expect(act.every((v) => !v.proposed)).toBe(true);
  });

  it('SSWB Act 2014 s.16(1)(c) in Welsh (“Rhaid i awdurdod lleol hyrwyddo— … ymglymiad personau …”) is a duty for Wales', async (ctx) => {
    const { commitments } = await currentCommitments(t.db);
    const s16c = commitments.filter((c) => c.version.documentId.includes('anaw/2014/4/section/16') && c.key === 'section-16-1-c');
    if (s16c.length === 0) {
      ctx.skip('the corpus text capture of SSWB Act 2014 s.16 (Welsh) is not loaded by loadDemoData yet (helper H1)');
      return;
    }
    for (const c of s16c) {
      expect(c.version.language).toBe('cy');
      expect(c.text).toMatch(/^ymglymiad personau/);
      expect(c.strength).toBe('duty');
      expect(c.version.jurisdiction).toBe('wales');
      expect(c.principles).toContain('design_delivery_involvement');
    }
    // So the ladder shows Wales × involvement in design and delivery at Duty.
    const row = embeddingLadder(commitments).rows.find((r) => r.principle.id === 'design_delivery_involvement')!;
    expect(row.law[0]!.jurisdiction).toBe('wales');
    expect(row.law[0]!.rung).toBe('duty');
  });

  it('counts a bilingual clause once, strongest language first, with its other language noted', async () => {
    const { commitments } = await currentCommitments(t.db);
    const s4 = commitments.filter((c) => c.version.documentId === 'legislation:anaw/2099/7' && c.key === 'section-4');
    expect(s4).toHaveLength(1);
    expect(s4[0]).toMatchObject({ strength: 'duty', funded: false, otherLanguages: ['cy'] });
    expect(s4[0]!.version.language).toBe('en');
  });

  it('the Wales timeline reaches Duty, and no bill ever raises it', async () => {
    const series = await rungTimeline(t.db);
    const wales = series.find((s) => s.jurisdiction === 'wales')!;
    expect(wales.steps.at(-1)!.rung).toBe('duty');
    const uk = series.find((s) => s.jurisdiction === 'uk')!;
    // UK bills carry duties; UK law in the demo data is only the statements' aspiration.
    expect(uk.steps.map((s) => s.rung)).not.toContain('duty');
  });
});

describe.each(testDatabases)('reviews and withdrawals on %s', (target) => {
  const t = useTestDatabase<Database>(target, { prepare: migrateToLatest });

  it('a reviewer’s correction wins on the ladder, and a withdrawn document stops counting', async () => {
    await importVersion(t.db, { nativeId: 'a', kind: 'act', jurisdiction: 'wales', title: 'Review Act', label: 'enacted', validFrom: '2020-01-01', clauses: [{ key: 's1', number: '1', text: coproduceDuty }] });
    const other = await importVersion(t.db, { nativeId: 'b', kind: 'act', jurisdiction: 'uk', title: 'Other Act', label: 'enacted', validFrom: '2020-01-01', clauses: [{ key: 's1', number: '1', text: coproducePower }] });
    const app = createApp({ db: t.db, log: silentLog });
    const cellText = async (column: number) => {
      const $ = cheerio.load((await request(app).get('/')).text);
      return $('table.ladder tbody tr').first().find('td').eq(column).text().replace(/\s+/g, ' ').trim();
    };
    expect(await cellText(0)).toMatch(/^Duty Unfunded 1 clause/);
    expect(await cellText(1)).toMatch(/^Power Unfunded 1 clause/);

    const cv = await t.db.selectFrom('clause_versions as cv').innerJoin('clauses as c', 'c.id', 'cv.clause_id').select('cv.id').where('c.document_id', '=', 'insight-test:a').executeTakeFirstOrThrow();
    await reviewTag(t.db, { clauseVersionId: cv.id, action: 'correct', strength: 'qualified_duty', note: 'lead-in says have regard', reviewer: 'ana' });
    expect(await cellText(0)).toMatch(/^Qualified duty Unfunded 1 clause/);
    const list = cheerio.load((await request(app).get('/commitments?jurisdiction=wales')).text);
    expect(list('.commitment .badge--review').text()).toBe('Reviewed');

    await reviewTag(t.db, { clauseVersionId: cv.id, action: 'reject', note: 'not about people', reviewer: 'ana' });
    expect(await cellText(0)).toBe('— not embedded');

    const { withdrawDocument } = await import('../../src/pipeline/withdraw-document.js');
    await withdrawDocument(t.db, other, 'repealed');
    const $ = cheerio.load((await request(app).get('/')).text);
    expect($('table.ladder').text()).not.toMatch(/Power/);
  });
});
