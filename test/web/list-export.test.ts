import express from 'express';
import request from 'supertest';
import * as cheerio from 'cheerio';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { listFormatOf, listPath, sendListExport, tagUri } from '../../src/web/list-export.js';

interface Row {
  id: number;
  title: string;
  note: string;
}

const rows: Row[] = [
  { id: 7, title: 'Duty to promote <social enterprises> & co-operatives', note: 'a "quoted", comma, and\nnew line' },
  { id: 3, title: 'Ymglymiad personau', note: '£2.3m a year ]]><script>alert(1)</script>' },
];

function app() {
  const a = express();
  a.get(listPath('/things'), (req, res, next) => {
    const format = listFormatOf(req);
    if (!format) return next();
    if (format === 'html') return res.send('html list');
    sendListExport(req, res, format, {
      title: 'Things',
      path: '/things?kind=act&jurisdiction=wales',
      items: rows,
      entry: (r) => ({ id: tagUri('thing', r.id), title: r.title, path: `/things/${r.id}`, updated: `2026-11-2${r.id % 10}T10:00:00.000Z`, summary: r.note, fields: { note: r.note, funded: r.id === 3, missing: null } }),
    });
  });
  a.use((_req, res) => res.status(404).send('not found'));
  return a;
}

describe('list exports', () => {
  it('serves the HTML list at the bare path and 404s unknown suffixes', async () => {
    expect((await request(app()).get('/things')).text).toBe('html list');
    expect((await request(app()).get('/things.xml')).status).toBe(404);
    expect((await request(app()).get('/things.html')).status).toBe(404);
  });

  it('writes Atom that parses, with stable tag ids, escaped titles and absolute links', async () => {
    const res = await request(app()).get('/things.atom?kind=act').set('Host', 'tracker.example');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/application\/atom\+xml/);
    const $ = cheerio.load(res.text, { xml: true });
    expect($('feed > title').text()).toBe('Things');
    expect($('entry > id').map((_i, e) => $(e).text()).get()).toEqual(['tag:coproduction-tracker,2026:thing/7', 'tag:coproduction-tracker,2026:thing/3']);
    // Entries are type="html": the HTML, once decoded by a reader, must be the plain scraped text.
    const title = $('entry').first().find('title');
    expect(title.attr('type')).toBe('html');
    expect(cheerio.load(title.text()).root().text()).toBe('Duty to promote <social enterprises> & co-operatives');
    expect(res.text).not.toContain('<social enterprises>');
    expect($('feed > link[rel="alternate"]').attr('href')).toBe('http://tracker.example/things?kind=act&jurisdiction=wales');
    expect(cheerio.load($('entry').last().find('summary').text()).root().text()).toBe('£2.3m a year ]]><script>alert(1)</script>');
    expect($('entry').first().find('link').attr('href')).toBe('http://tracker.example/things/7');
    expect($('feed > updated').text()).toBe('2026-11-27T10:00:00.000Z');
  });

  it('writes JSON with the same ids and the flat fields', async () => {
    const res = await request(app()).get('/things.json?kind=act');
    expect(res.headers['content-type']).toMatch(/application\/json/);
    expect(res.body.count).toBe(2);
    expect(res.body.items[1]).toMatchObject({ id: 'tag:coproduction-tracker,2026:thing/3', title: 'Ymglymiad personau', note: '£2.3m a year ]]><script>alert(1)</script>', funded: true, missing: null });
    expect(res.body.html).toMatch(/\/things\?kind=act&jurisdiction=wales$/);
  });

  it('writes CSV that round-trips quotes, commas and new lines', async () => {
    const res = await request(app()).get('/things.csv');
    expect(res.headers['content-type']).toMatch(/text\/csv/);
    expect(res.headers['content-disposition']).toMatch(/attachment; filename="?things.csv"?/);
    const records = parse(res.text, { columns: true }) as Record<string, string>[];
    expect(Object.keys(records[0]!)).toEqual(['id', 'url', 'title', 'updated', 'note', 'funded', 'missing']);
    expect(records[0]).toMatchObject({ id: 'tag:coproduction-tracker,2026:thing/7', note: 'a "quoted", comma, and\nnew line', funded: 'false', missing: '' });
    expect(records[1]!.funded).toBe('true');
  });
});
