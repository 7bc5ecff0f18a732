import { renderProblem } from '../error-page.js';
import { createHash } from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import { Feed } from 'feed';
import type { Services } from '../app.js';
import { readTargetQuery } from '../alert-target-query.js';
import { escapeHtml, feedEntry, feedEvents, feedSubject } from '../alert-feed.js';
import { baseUrlOf, tagUri } from '../list-export.js';

/** Bumped when entries change shape, so caches revalidate. */
const FEED_FORMAT = 1;

/**
 * Atom feeds for every subscription type without signing up (issue 7): `/alerts/feed.atom?` with the target
 * parameters of src/web/alert-target-query.ts. Entry ids are the change events' tag URIs (the same as in
 * /changes.atom), so a reader that sees an event in two feeds knows it is one.
 *
 * Caching: the weak ETag is a hash of the newest change event id, the newest tag review id (a review can
 * change an event's types), the canonical query, the origin and the feed's title; a matching If-None-Match
 * is answered 304 before any event is loaded. Last-Modified is the newest entry's time (or the newest
 * review's, whichever is later).
 */
export function alertFeedRoutes(services: Services): Router {
  const router = Router();
  const { db } = services;

  router.get('/alerts/feed.atom', async (req: Request, res: Response) => {
    const read = readTargetQuery(req.query as Record<string, unknown>);
    if (!read.ok) {
      renderProblem(res, 400, `${read.message} See /alerts for what can be followed.`);
      return;
    }
    const { target, eventTypes, canonical } = read.value;
    const subject = await feedSubject(db, target);
    if (subject === null) {
      res.status(404).render('error', { title: 'Page not found', message: `There is no ${target.type} with this id to follow.` });
      return;
    }
    const base = baseUrlOf(req);
    const [newestEvent, newestReview] = await Promise.all([
      db.selectFrom('change_events').select((eb) => eb.fn.max('id').as('id')).executeTakeFirst(),
      db.selectFrom('tag_reviews').select((eb) => [eb.fn.max('id').as('id'), eb.fn.max('created_at').as('at')]).executeTakeFirst(),
    ]);
    const etag = `W/"${createHash('sha256')
      .update(JSON.stringify([FEED_FORMAT, Number(newestEvent?.id ?? 0), Number(newestReview?.id ?? 0), canonical, base, subject]))
      .digest('base64url')
      .slice(0, 32)}"`;
    res.set('ETag', etag);
    res.set('Cache-Control', 'public, max-age=300');
    if (etagMatches(req.get('if-none-match'), etag)) {
      res.status(304).end();
      return;
    }

    const events = await feedEvents(db, target, eventTypes);
    const newest = [events[0]?.createdAt, newestReview?.at ?? undefined].filter((d): d is string => typeof d === 'string').sort().pop();
    const updated = new Date(newest ?? 0);
    if (newest) res.set('Last-Modified', updated.toUTCString());

    const self = `${base}/alerts/feed.atom?${canonical}`;
    const feed = new Feed({
      title: `Alerts: ${subject} · Co-production tracker`,
      description: 'Changes to the law, guidance and money that this alert follows, newest first.',
      id: self,
      link: `${base}/alerts?${canonical}`,
      updated,
      copyright: 'Contains public sector information licensed under the Open Government Licence v3.0',
      generator: 'coproduction-tracker',
      feedLinks: { atom: self },
    });
    for (const e of events) {
      const entry = feedEntry(e, base);
      // Entries are written as type="html" in CDATA: plain text is escaped once (see list-export.ts).
      feed.addItem({ title: escapeHtml(entry.title), id: tagUri('change', e.id), link: base + e.path, date: new Date(e.createdAt), description: escapeHtml(entry.summary), content: entry.content });
    }
    // res.send answers 304 itself when If-Modified-Since is not older than Last-Modified.
    res.type('application/atom+xml; charset=utf-8').send(feed.atom1());
  });

  return router;
}

/** If-None-Match uses the weak comparison (RFC 9110 §13.1.2): `W/` is ignored on both sides. */
function etagMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
  return header.split(',').some((tag) => opaque(tag) === opaque(etag));
}
