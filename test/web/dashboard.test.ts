import { readMatcherEvaluation } from '../../src/web/insight/matcher-evaluation.js';
import request from 'supertest';
import * as cheerio from 'cheerio';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Express } from 'express';
import { migrateToLatest } from '../../src/db/migrate.js';
import type { Database } from '../../src/db/schema.js';
import { withdrawDocument } from '../../src/pipeline/withdraw-document.js';
import { createApp } from '../../src/web/app.js';
import { testDatabases, useTestDatabase } from '../support/databases.js';
import { coproduceDuty, coproducePower, importVersion, loadDemo, silentLog } from './insight-support.js';

/** Tags properly nested, attributes quoted, no bare `<` or `&` in text: enough to call a fragment well-formed XML. */
export function assertWellFormed(xml: string): void {
  const stack: string[] = [];
  const token = /<!\[CDATA\[[\s\S]*?\]\]>|<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<(\/?)([A-Za-z][\w:.-]*)((?:\s+[\w:.-]+="[^"<]*")*)\s*(\/?)>|([^<]+)|(<)/g;
  for (const m of xml.matchAll(token)) {
    if (m[6]) throw new Error(`bare < at ${m.index}: ${xml.slice(m.index, m.index + 40)}`);
    if (m[5] !== undefined) {
      if (/&(?!(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-f]+);)/i.test(m[5])) throw new Error(`bare & in text: ${m[5].slice(0, 60)}`);
      continue;
    }
    if (!m[2]) continue;
    if (m[1]) {
      const open = stack.pop();
      if (open !== m[2]) throw new Error(`</${m[2]}> closes <${open ?? 'nothing'}>`);
    } else if (!m[4]) stack.push(m[2]);
  }
  if (stack.length) throw new Error(`unclosed <${stack.join('>, <')}>`);
}

describe.each(testDatabases)('dashboard and insight pages on %s', (target) => {
  const t = useTestDatabase<Database>(target, { prepare: migrateToLatest, scope: 'all' });
  let app: Express;

  beforeAll(async () => {
    await loadDemo(t.db);
    // Known tags, one jurisdiction each so every ladder cell below has a single cause.
    await importVersion(t.db, { nativeId: 'weakening', kind: 'act', jurisdiction: 'wales', title: 'Weakening (Wales) Act 2030', label: 'enacted', validFrom: '2030-01-01', clauses: [{ key: 'section-1', number: '1', text: coproduceDuty }] });
    await importVersion(t.db, { nativeId: 'weakening', kind: 'act', jurisdiction: 'wales', title: 'Weakening (Wales) Act 2030', label: 'revised', validFrom: '2031-01-01', clauses: [{ key: 'section-1', number: '1', text: coproducePower }] });
    // Northern Ireland (absent from the demo data and corpus): a withdrawn act's duty, a code's "should"
    // (guidance) and a statement's "will" (aspiration). The law there is guidance, not duty.
    const withdrawn = await importVersion(t.db, { nativeId: 'ni-withdrawn', kind: 'act', jurisdiction: 'northern-ireland', title: 'Withdrawn Northern Ireland Act', label: 'enacted', validFrom: '2024-01-01', clauses: [{ key: 'section-1', text: coproduceDuty }] });
    await withdrawDocument(t.db, withdrawn, 'published in error');
    await importVersion(t.db, { nativeId: 'ni-code', kind: 'code', jurisdiction: 'northern-ireland', title: 'Northern Ireland code', label: 'published', validFrom: '2025-01-01', clauses: [{ key: 'p1', text: 'Local authorities should co-produce services with the people who use them.' }] });
    await importVersion(t.db, { nativeId: 'ni-statement', kind: 'statement', jurisdiction: 'northern-ireland', title: 'Northern Ireland statement', label: 'published', validFrom: '2025-02-01', clauses: [{ key: 'p1', text: 'We will co-produce services with the people who use them.' }] });
    await importVersion(t.db, { nativeId: 'ew-bill', kind: 'bill', jurisdiction: 'england-and-wales', title: 'England and Wales Co-production Bill', label: 'introduced', validFrom: '2026-01-01', clauses: [{ key: 'clause-1', number: '1', text: coproduceDuty }] });
    app = createApp({ db: t.db, log: silentLog });
  }, 120_000);

  /** The ladder cell for a principle (row name) and jurisdiction (column name), as text and its first link. */
  async function ladderCell(principle: string, jurisdiction: string) {
    const res = await request(app).get('/');
    expect(res.status).toBe(200);
    const $ = cheerio.load(res.text);
    const headers = $('table.ladder thead th').map((_i, th) => $(th).text().trim()).get();
    const column = headers.indexOf(jurisdiction);
    expect(column, `column ${jurisdiction} in ${headers.join(', ')}`).toBeGreaterThan(0);
    const row = $('table.ladder tbody tr').filter((_i, tr) => $(tr).find('th[scope="row"]').text().trim() === principle);
    expect(row.length, `row ${principle}`).toBe(1);
    const cell = row.find('td').eq(column - 1);
    return { text: cell.text().replace(/\s+/g, ' ').trim(), href: cell.find('a.ladder__link').attr('href') ?? null, proposed: cell.find('.ladder__proposed').text().trim() };
  }

  it('renders the dashboard with an accessible ladder table', async () => {
    const res = await request(app).get('/');
    expect(res.status).toBe(200);
    const $ = cheerio.load(res.text);
    expect($('h1').text()).toBe('Is co-production in law, and is it funded?');
    expect($('table.ladder caption').text()).toMatch(/Highest rung reached by text in force/);
    expect($('table.ladder thead th[scope="col"]').length).toBeGreaterThanOrEqual(3);
    // One row per core principle of data/rules/principles.json, named in words.
    expect($('table.ladder tbody th[scope="row"]').length).toBe(15);
    expect($('table.ladder tbody th[scope="row"]').first().text().trim()).toBe('Co-production named');
    expect($('h2').map((_i, h) => $(h).text()).get()).toEqual(expect.arrayContaining(['The embedding ladder', 'Embedded but unfunded', 'Recent changes', 'The highest rung over time']));
  });

  it('Wales: the fixtures’ co-production duty (anaw/2099/7 s.4 “A local authority must co-produce”) puts “Co-production named” at Duty, unfunded', async () => {
    const cell = await ladderCell('Co-production named', 'Wales');
    expect(cell.text).toMatch(/^Duty Unfunded \d+ clauses/);
    expect(cell.href).toBe('/commitments?principle=explicit_coproduction&jurisdiction=wales&scope=law');
    const list = await request(app).get(cell.href!);
    expect(list.text).toContain('Co-production (Wales) Act 2099, 4');
    // The weakened act counts at its current rung (power), never at its old duty.
    const powers = cheerio.load((await request(app).get('/commitments?jurisdiction=wales&strength=power&scope=law')).text);
    expect(powers('.commitment__title').text()).toContain('Weakening (Wales) Act 2030, 1');
    const duties = cheerio.load((await request(app).get('/commitments?jurisdiction=wales&strength=duty&scope=law')).text);
    expect(duties('.commitment__title').text()).not.toContain('Weakening');
  });

  it('UK: the Adult Social Care statement (“We will make £12 million available…”) is an aspiration with money; UK bills’ duties are only proposed', async () => {
    const cell = await ladderCell('Co-production named', 'UK');
    expect(cell.text).toMatch(/^Aspiration Funded/);
    expect(cell.proposed).toBe('Proposed in a bill: duty');
  });

  it('a code “should” is guidance, a statement “will” is an aspiration, a withdrawn act and a bill are not law', async () => {
    // Northern Ireland's withdrawn act had a duty; the code's guidance beats the statement's aspiration.
    expect((await ladderCell('Co-production named', 'Northern Ireland')).text).toMatch(/^Guidance Unfunded 2 clauses/);
    const ni = cheerio.load((await request(app).get('/commitments?jurisdiction=northern-ireland')).text);
    expect(ni('.commitment__title').map((_i, h) => ni(h).text().trim()).get().sort()).toEqual(['Northern Ireland code, p1', 'Northern Ireland statement, p1']);
    expect(ni('.commitment').filter((_i, c) => ni(c).text().includes('Northern Ireland statement')).find('.badge--aspiration').text()).toBe('Aspiration');
    const bill = await ladderCell('Co-production named', 'England and Wales');
    expect(bill.text).toMatch(/^— not embedded/);
    expect(bill.href).toBeNull();
    expect(bill.proposed).toBe('Proposed in a bill: duty');
    expect((await ladderCell('Reciprocity', 'Wales')).text).toBe('— not embedded');
  });

  it('lists commitments embedded but unfunded, strongest first, with clause permalinks and no bills', async () => {
    const $ = cheerio.load((await request(app).get('/')).text);
    const section = $('section[aria-labelledby="unfunded"]');
    const items = section.find('ol li');
    expect(items.length).toBeGreaterThan(2);
    const texts = items.map((_i, li) => $(li).text().replace(/\s+/g, ' ')).get();
    const rank = ['Power', 'Qualified duty', 'Duty'];
    const rungsShown = items.map((_i, li) => $(li).find('.badge').first().text()).get();
    expect(rungsShown[0]).toBe('Duty');
    for (const [i, r] of rungsShown.entries()) {
      expect(rank).toContain(r);
      if (i > 0) expect(rank.indexOf(r)).toBeLessThanOrEqual(rank.indexOf(rungsShown[i - 1]!));
    }
    items.each((_i, li) => void expect($(li).find('.badge--unfunded').length).toBe(1));
    expect(texts.join(' ')).not.toMatch(/Bill/);
    expect(texts.join(' ')).not.toMatch(/Withdrawn/);
    for (const href of items.find('a').map((_i, a) => $(a).attr('href')).get()) expect(href).toMatch(/^\/clauses\/\d+#v\d+$/);
  });

  it('shows the weakened duty in recent changes, /changes and its feeds', async () => {
    const home = cheerio.load((await request(app).get('/')).text);
    expect(home('section[aria-labelledby="recent"]').text()).toContain('Strength weakened: duty → power');

    const page = await request(app).get('/changes?important=yes&reason=strength_weakened');
    expect(page.status).toBe(200);
    const $ = cheerio.load(page.text);
    // Only this test's Act weakens a duty; the filter is by reason, so the count is checked for ours alone.
    const ours = $('.change').filter((_i, c) => $(c).find('.meta').text().includes('Weakening (Wales) Act 2030'));
    expect(ours.length).toBe(1);
    expect($('.change').length).toBe($('.change').filter((_i, c) => $(c).find('.change__headline').text().includes('Strength weakened')).length);
    expect(ours.find('.change__headline').text()).toContain('Strength weakened: duty → power');
    expect(ours.find('.change__headline a').attr('href')).toMatch(/^\/clauses\/\d+#v\d+$/);

    const atom = await request(app).get('/changes.atom?important=yes');
    expect(atom.status).toBe(200);
    expect(atom.headers['content-type']).toMatch(/application\/atom\+xml/);
    assertWellFormed(atom.text.replace(/^<\?xml[^>]*\?>\s*/, ''));
    const feed = cheerio.load(atom.text, { xml: true });
    const titles = feed('entry > title').map((_i, e) => feed(e).text()).get();
    expect(titles.some((x) => x.startsWith('Strength weakened: duty → power in Weakening (Wales) Act 2030'))).toBe(true);
    expect(feed('entry > id').first().text()).toMatch(/^tag:coproduction-tracker,2026:change\/\d+$/);

    const csv = await request(app).get('/changes.csv?reason=strength_weakened');
    const rows = (parse(csv.text, { columns: true }) as Record<string, string>[]).filter((r) => Object.values(r).some((v) => v.includes('Weakening (Wales) Act 2030')));
    expect(rows).toHaveLength(1);
    expect(rows[0]!.headline).toBe('Strength weakened: duty → power');
    expect(rows[0]!.important).toBe('true');
  });

  it('filters and pages /changes, newest first', async () => {
    const all = cheerio.load((await request(app).get('/changes')).text);
    expect(all('.pagination').text()).toMatch(/Page 1 of \d+/);
    const firstPage = all('.change').map((_i, c) => all(c).find('a').attr('href')).get();
    const second = cheerio.load((await request(app).get('/changes?page=2')).text);
    expect(second('.pagination').text()).toMatch(/Page 2 of/);
    expect(second('ol.changes').attr('start')).toBe('26');
    expect(firstPage.length).toBe(25);
    const ew = cheerio.load((await request(app).get('/changes?jurisdiction=england-and-wales')).text);
    expect(ew('.change').length).toBe(1);
    expect(ew('.change__headline').text()).toContain('New document');
    expect(ew('.change__details').text()).toContain('A bill: proposed, not law.');
    const withdrawn = cheerio.load((await request(app).get('/changes?kind=withdrawn')).text);
    expect(withdrawn('.change__details').text()).toContain('Reason given: published in error');
    const json = JSON.parse((await request(app).get('/changes.json')).text) as { items: { id: string; updated: string }[] };
    const updated = json.items.map((i) => i.updated);
    expect([...updated].sort().reverse()).toEqual(updated);
    expect(new Set(json.items.map((i) => i.id)).size).toBe(json.items.length);
  });

  it('filters /commitments by principle, jurisdiction, strength, money and kind, with pagination and exports', async () => {
    const code = cheerio.load((await request(app).get('/commitments?jurisdiction=northern-ireland&strength=guidance&kind=code')).text);
    expect(code('.commitment').length).toBe(1);
    expect(code('.commitment__title').text()).toContain('Northern Ireland code');
    expect(cheerio.load((await request(app).get('/commitments?jurisdiction=northern-ireland&kind=act')).text)('.commitment').length).toBe(0);
    const funded = cheerio.load((await request(app).get('/commitments?funded=yes')).text);
    expect(funded('.commitment').length).toBeGreaterThan(0);
    funded('.commitment').each((_i, c) => void expect(funded(c).find('.badge--funded').length).toBe(1));
    const bills = cheerio.load((await request(app).get('/commitments?kind=bill')).text);
    bills('.commitment').each((_i, c) => void expect(bills(c).text()).toContain('Proposed (bill)'));
    const law = cheerio.load((await request(app).get('/commitments?scope=law&principle=explicit_coproduction')).text);
    expect(law('.commitment').text()).not.toContain('Proposed (bill)');

    const page1 = cheerio.load((await request(app).get('/commitments')).text);
    expect(page1('.commitment').length).toBe(25);
    const page2 = cheerio.load((await request(app).get('/commitments?page=2')).text);
    const ids1 = new Set(page1('.commitment__title a').map((_i, a) => page1(a).attr('href')).get());
    const ids2 = page2('.commitment__title a').map((_i, a) => page2(a).attr('href')).get();
    expect(ids2.length).toBeGreaterThan(0);
    for (const id of ids2) expect(ids1.has(id)).toBe(false);
    expect(page1('.pagination a[rel="next"]').attr('href')).toBe('/commitments?page=2');
    expect(page1('.exports a').map((_i, a) => page1(a).attr('href')).get()).toEqual(['/commitments.atom', '/commitments.json', '/commitments.csv']);

    const csv = await request(app).get('/commitments.csv?jurisdiction=northern-ireland&strength=guidance');
    expect(csv.status).toBe(200);
    const rows = parse(csv.text, { columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ strength: 'guidance', jurisdiction: 'northern-ireland', document_kind: 'code', funded: 'false', proposed: 'false' });
    expect(rows[0]!.id).toMatch(/^tag:coproduction-tracker,2026:clause-version\/\d+$/);
    const atom = await request(app).get('/commitments.atom?funded=yes');
    assertWellFormed(atom.text.replace(/^<\?xml[^>]*\?>\s*/, ''));
  });

  it.each([
    ['/commitments?strength=mighty', 'strength must be one of'],
    ['/commitments?principle=nonsense', 'principle must be one of'],
    ['/commitments?page=0', 'page starts at 1'],
    ['/commitments?page=abc', 'page must be a whole number'],
    ['/commitments?jurisdiction=%3Cscript%3E', 'jurisdiction must be an id'],
    ['/commitments?funded=maybe', 'funded must be yes or no'],
    ['/commitments?strength=duty&strength=power', 'strength'],
    ['/changes?kind=exploded', 'kind must be one of'],
    ['/changes.atom?important=sometimes', 'important must be yes or no'],
    ['/funding?linked=perhaps', 'linked must be yes or no'],
  ])('answers %s with a 400 page that says why', async (url, why) => {
    const res = await request(app).get(url);
    expect(res.status).toBe(400);
    expect(res.text).toContain(why);
    expect(res.text).not.toContain('<script>');
  });

  it('draws the timeline as well-formed SVG with a title, description and a table alternative', async () => {
    const $ = cheerio.load((await request(app).get('/')).text);
    const svg = $('svg.timeline__svg');
    expect(svg.length).toBe(1);
    expect(svg.attr('role')).toBe('img');
    expect(svg.find('title').text()).toMatch(/Highest rung/);
    expect(svg.find('desc').text()).toMatch(/Wales: .*Duty from/);
    assertWellFormed($.html(svg));
    for (const d of svg.find('path').map((_i, p) => $(p).attr('d')).get()) expect(d).toMatch(/^M[\d. HV-]+$/);
    const table = $('.timeline__table table');
    expect(table.find('caption').text()).toBe('Highest rung in force from each date');
    const rows = table.find('tbody tr').map((_i, tr) => $(tr).find('td').map((_j, td) => $(td).text().trim()).get().join('|')).get();
    expect(rows.some((r) => /^Wales\|.*\|Duty$/.test(r))).toBe(true);
    // The withdrawn act's duty held Northern Ireland's line at Duty only until it was withdrawn.
    const ni = rows.filter((r) => r.startsWith('Northern Ireland|'));
    expect(ni[0]).toBe('Northern Ireland|1 January 2024|Duty');
    expect(ni.at(-1)).toMatch(/\|Guidance$/);
  });

  it('serves the principle catalogue and a principle page, and 404s an unknown principle', async () => {
    const list = cheerio.load((await request(app).get('/principles')).text);
    expect(list('tbody tr').length).toBe(15);
    const page = await request(app).get('/principles/explicit_coproduction');
    expect(page.status).toBe(200);
    const $ = cheerio.load(page.text);
    expect($('h1').text()).toBe('Co-production named');
    expect($('.principle-definition').text()).toMatch(/names co-production or co-design/);
    expect($('h2').map((_i, h) => $(h).text()).get()).toEqual(expect.arrayContaining(['Where it is embedded', 'Strongest clauses in force', 'Trend']));
    expect($('.commitment__title').first().text()).toMatch(/Co-production \(Wales\) Act 2099, 4|Part 2 Code/);
    expect($('svg').length).toBe(1);
    expect((await request(app).get('/principles/nonsense')).status).toBe(404);
  });

  it('shows money by jurisdiction, linked and not linked, with exports', async () => {
    const res = await request(app).get('/funding');
    expect(res.status).toBe(200);
    const $ = cheerio.load(res.text);
    const uk = $('tbody tr').filter((_i, tr) => $(tr).find('th').text() === 'UK').first().text();
    expect(uk).toMatch(/£27 million/);
    const linked = parse((await request(app).get('/funding.csv?linked=yes')).text, { columns: true }) as Record<string, string>[];
    expect(linked.length).toBeGreaterThan(0);
    expect(linked.every((r) => r.linked_to_coproduction === 'true')).toBe(true);
    expect(linked.map((r) => r.amount)).toContain('12000000');
    const notLinked = parse((await request(app).get('/funding.csv?linked=no&jurisdiction=wales')).text, { columns: true }) as Record<string, string>[];
    expect(notLinked.length).toBeGreaterThan(0);
    expect(notLinked.every((r) => r.linked_to_coproduction === 'false' && r.jurisdiction === 'wales')).toBe(true);
  });

  it('shows source health with the failure and its URL', async () => {
    const res = await request(app).get('/sources');
    expect(res.status).toBe(200);
    const $ = cheerio.load(res.text);
    expect($('h1').text()).toBe('Source health');
    expect($('#source-legislation').length).toBe(1);
    expect($('main').text()).toContain('https://legislation.gov.uk/anaw/2016/2/schedules/2024-03-31/data.xml');
    expect($('main').text()).toMatch(/not well-formed XML/);
    const json = JSON.parse((await request(app).get('/sources.json')).text) as { items: { source_id: string; documents: number }[] };
    expect(json.items.find((s) => s.source_id === 'wales-budgets')?.documents).toBe(4);
  });

  it('explains the method with both dev and holdout accuracy', async () => {
    const res = await request(app).get('/methodology');
    expect(res.status).toBe(200);
    const $ = cheerio.load(res.text);
    const rows = $('table.accuracy tbody tr').map((_i, tr) => $(tr).text().replace(/\s+/g, ' ')).get();
    // Each split's row shows its figures from the evaluation file (whose freshness insight.test.ts checks).
    const percent = (x: number) => `${(x * 100).toFixed(1)}%`;
    const splits = readMatcherEvaluation().splits;
    expect(splits.map((s) => s.id)).toEqual(expect.arrayContaining(['dev', 'holdout']));
    splits.forEach((s, i) => {
      const figures = [s.items, percent(s.precision), percent(s.recall), percent(s.strengthAccuracy), percent(s.fundingF1)].join(' ');
      expect(rows[i]).toContain(s.name);
      expect(rows[i]).toContain(figures);
    });
    // The plain-words summary quotes the sealed (first) row, so it cannot go stale when the figures change.
    const sealed = splits[0]!;
    expect($('table.accuracy').parent().nextAll('p').first().text().replace(/\s+/g, ' ')).toContain(
      `finds ${percent(sealed.recall)} of the co-production clauses, ${percent(sealed.precision)} of the clauses it calls co-production are, and it gets the rung right for ${percent(sealed.strengthAccuracy)}`,
    );
    // Two readers against the tracker on the sealed clauses, from the same figures file.
    const agreement = readMatcherEvaluation().agreement!.sealed!;
    expect($('table.accuracy').parent().nextAll('p').eq(1).text().replace(/\s+/g, ' ')).toContain(
      `On ${agreement.items} of the sealed clauses a second reader agreed with the first about as closely (precision ${percent(agreement.precision)}, recall ${percent(agreement.recall)}), while the tracker scored precision ${percent(agreement.matcherPrecision)} and recall ${percent(agreement.matcherRecall)}`,
    );
    expect($('#report').next().text()).toMatch(/open an issue in the repository/);
  });
});

describe.each(testDatabases)('dashboard on an empty database on %s', (target) => {
  const t = useTestDatabase<Database>(target, { prepare: migrateToLatest });
  it('shows a helpful empty state, not an error', async () => {
    const app = createApp({ db: t.db, log: silentLog });
    const res = await request(app).get('/');
    expect(res.status).toBe(200);
    expect(res.text).toMatch(/<h1>Is co-production in law, and is it funded\?<\/h1>[\s\S]*No documents yet/);
    expect(res.text).toContain('<code>npm run demo</code>');
    const documents = await request(app).get('/documents');
    expect(documents.text).toContain('The tracker has not imported any documents yet.');
    expect(documents.text).not.toContain('match these filters');
    expect((await request(app).get('/documents?kind=act')).text).toContain('No documents match these filters.');
    for (const url of ['/commitments', '/changes', '/funding', '/sources', '/principles', '/principles/shared_power', '/methodology', '/changes.atom', '/commitments.csv']) {
      expect((await request(app).get(url)).status, url).toBe(200);
    }
  });
});
