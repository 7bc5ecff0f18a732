import { requireReviewer } from '../auth/require-reviewer.js';
import { frequencies } from '../../alerts/email/subscriber-subscriptions.js';
import { Router, type Response } from 'express';
import { ALERT_EVENT_TYPES } from '../../alerts/channel.js';
import { alertEventTypeNames } from '../../alerts/event-types.js';
import { targetOfRow, eventTypesOfRow } from '../../alerts/subscription-targets.js';
import { addressPolicyFromEnv, UnsafeWebhookAddressError } from '../../alerts/webhooks/address-guard.js';
import {
  createWebhookEndpoint,
  createWebhookSubscription,
  disableWebhookEndpoint,
  enableWebhookEndpoint,
  LABEL_MAX,
  rotateWebhookSecret,
  setWebhookSubscriptionStatus,
  type WebhookEndpoint,
} from '../../alerts/webhooks/webhook-endpoints.js';
import { jurisdictions } from '../../domain/scraped-document.js';
import type { Services } from '../app.js';
import { canonicalQuery, readTargetQuery } from '../alert-target-query.js';
import { feedSubject } from '../alert-feed.js';
import type { FieldError } from '../auth/login-routes.js';
import { jurisdictionName } from '../insight/labels.js';


const reviewersOnly = requireReviewer({ title: 'Sign in to manage webhooks', message: 'Only signed-in reviewers can manage webhooks. Sign in, then try again.' });
const RECENT_DELIVERIES = 10;

/** What the forms send back when they are shown again after an error. */
interface FormValues {
  url: string;
  label: string;
  endpointId: number | null;
  follow: string;
  search: string;
  document: string;
  clause: string;
  principle: string;
  jurisdiction: string;
  types: string[];
  frequency: string;
}

const emptyValues: FormValues = { url: '', label: '', endpointId: null, follow: 'search', search: '', document: '', clause: '', principle: '', jurisdiction: '', types: [...ALERT_EVENT_TYPES], frequency: 'immediate' };

const text = (v: unknown, max: number) => (typeof v === 'string' ? v.slice(0, max) : '');
const idParam = (value: unknown) => (typeof value === 'string' && /^[1-9]\d{0,9}$/.test(value) ? Number(value) : null);

/**
 * `/admin/webhooks`: organisations' endpoints and what each follows (issue 7). Registering an endpoint
 * checks its URL (address-guard.ts) and shows its signing secret once; subscriptions made here are active
 * at once (the admin is trusted, so there is no confirmation mail). Signed-in reviewers only; every form
 * carries the CSRF token (checked by the authentication middleware before these routes run).
 */
export function adminWebhookRoutes(services: Services): Router {
  const router = Router();
  const { db } = services;

  const renderPage = async (res: Response, status: number, extra: { errors?: FieldError[]; values?: FormValues; created?: { endpoint: WebhookEndpoint; secret: string } | null; notice?: string } = {}) => {
    const endpoints = await db.selectFrom('webhook_endpoints').selectAll().orderBy('id').execute();
    const subscriptions = endpoints.length === 0 ? [] : await db.selectFrom('subscriptions').selectAll().where('channel', '=', 'webhook').where('status', '!=', 'deleted').orderBy('id').execute();
    const recent =
      endpoints.length === 0
        ? []
        : await db
            .selectFrom('alert_deliveries as ad')
            .innerJoin('subscriptions as s', 's.id', 'ad.subscription_id')
            .select(['ad.id', 'ad.message_id', 'ad.status', 'ad.attempts', 'ad.last_error', 'ad.created_at', 'ad.sent_at', 'ad.next_attempt_at', 's.webhook_id'])
            .where('ad.channel', '=', 'webhook')
            .orderBy('ad.id', 'desc')
            .limit(RECENT_DELIVERIES * Math.max(1, endpoints.length))
            .execute();
    const view = [];
    for (const e of endpoints) {
      const subs = [];
      for (const s of subscriptions.filter((s) => s.webhook_id === e.id)) {
        let follows = `${s.target_type} (unreadable target)`;
        let feed: string | null = null;
        try {
          const target = targetOfRow(s);
          const types = eventTypesOfRow(s);
          follows = `${target.type}: ${(await feedSubject(db, target)) ?? 'no longer exists'}`;
          feed = `/alerts/feed.atom?${canonicalQuery(target, types)}`;
        } catch {
          // Shown as unreadable; the admin can delete it.
        }
        subs.push({ id: s.id, follows, feed, types: eventTypesOfRow(s).map((t) => alertEventTypeNames[t].en), frequency: s.frequency, status: s.status, createdAt: s.created_at });
      }
      view.push({ ...e, secret: undefined, subscriptions: subs, deliveries: recent.filter((d) => d.webhook_id === e.id).slice(0, RECENT_DELIVERIES) });
    }
    res.status(status).render('admin/webhooks', {
      title: 'Webhooks',
      endpoints: view,
      errors: extra.errors ?? [],
      values: extra.values ?? emptyValues,
      created: extra.created ?? null,
      notice: extra.notice ?? null,
      eventTypes: ALERT_EVENT_TYPES.map((t) => ({ value: t, label: alertEventTypeNames[t].en })),
      frequencies,
      jurisdictions: jurisdictions.map((j) => ({ value: j, label: jurisdictionName(j) })),
      labelMax: LABEL_MAX,
    });
  };

  router.get('/admin/webhooks', reviewersOnly, async (_req, res) => {
    await renderPage(res, 200);
  });

  router.post('/admin/webhooks', reviewersOnly, async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const values: FormValues = { ...emptyValues, url: text(body.url, 2000), label: text(body.label, LABEL_MAX) };
    if (values.url.trim() === '') return renderPage(res, 400, { errors: [{ field: 'url', message: 'Give the address the alerts should be posted to' }], values });
    // One endpoint per address: also what stops a reload of the "secret shown once" page from making a second.
    const href = URL.canParse(values.url.trim()) ? new URL(values.url.trim()).href : null;
    const same = href === null ? undefined : await db.selectFrom('webhook_endpoints').select(['id', 'label']).where('url', '=', href).where('status', '=', 'active').executeTakeFirst();
    if (same) {
      return renderPage(res, 400, { errors: [{ field: 'url', message: `This address already has an endpoint (${same.label}); use its "new secret" button if the secret was lost` }], values });
    }
    try {
      const endpoint = await createWebhookEndpoint(db, { url: values.url, label: values.label }, addressPolicyFromEnv());
      services.log.info({ webhookId: endpoint.id, host: new URL(endpoint.url).host, reviewer: (res.locals.reviewer as { username: string }).username }, 'webhook endpoint registered');
      // The secret is on this response only: never redirected to, never shown again.
      await renderPage(res, 201, { created: { endpoint, secret: endpoint.secret } });
    } catch (error) {
      const message = error instanceof UnsafeWebhookAddressError ? error.message : dnsMessage(error);
      if (message === null) throw error;
      await renderPage(res, 400, { errors: [{ field: 'url', message }], values });
    }
  });

  router.post('/admin/webhooks/:id/:action', reviewersOnly, async (req, res, next) => {
    const id = idParam(req.params.id);
    const action = String(req.params.action);
    const endpoint = id === null ? undefined : await db.selectFrom('webhook_endpoints').selectAll().where('id', '=', id).executeTakeFirst();
    if (!endpoint) return next();
    const body = (req.body ?? {}) as Record<string, unknown>;
    const who = (res.locals.reviewer as { username: string }).username;
    switch (action) {
      case 'disable':
        await disableWebhookEndpoint(db, endpoint.id, `disabled by ${who}`);
        return res.redirect(303, '/admin/webhooks');
      case 'enable':
        try {
          await enableWebhookEndpoint(db, endpoint.id, addressPolicyFromEnv());
        } catch (error) {
          const message = error instanceof UnsafeWebhookAddressError ? error.message : dnsMessage(error);
          if (message === null) throw error;
          return renderPage(res, 400, { errors: [{ field: `endpoint-${endpoint.id}`, message: `${endpoint.label} was not turned back on: ${message}` }] });
        }
        return res.redirect(303, '/admin/webhooks');
      case 'rotate-secret': {
        const secret = await rotateWebhookSecret(db, endpoint.id);
        services.log.info({ webhookId: endpoint.id, reviewer: who }, 'webhook secret rotated');
        return renderPage(res, 200, { created: { endpoint: { ...endpoint, secret }, secret }, notice: 'A new secret: messages from now on are signed with it.' });
      }
      case 'subscriptions': {
        const follow = text(body.follow, 20);
        const rawTypes = Array.isArray(body.types) ? body.types : body.types === undefined ? [] : [body.types];
        const values: FormValues = {
          ...emptyValues,
          endpointId: endpoint.id,
          follow,
          search: text(body.search, 2000),
          document: text(body.document, 300),
          clause: text(body.clause, 20),
          principle: text(body.principle, 60),
          jurisdiction: text(body.jurisdiction, 40),
          types: rawTypes.filter((t): t is string => typeof t === 'string'),
          frequency: text(body.frequency, 20),
        };
        const errors: FieldError[] = [];
        const field = `sub-${endpoint.id}`;
        if (!['search', 'document', 'clause', 'principle'].includes(follow)) errors.push({ field: `${field}-follow`, message: 'Choose what to follow' });
        if (values.types.length === 0) errors.push({ field: `${field}-types`, message: 'Choose at least one kind of change' });
        if (!(frequencies as readonly string[]).includes(values.frequency)) errors.push({ field: `${field}-frequency`, message: 'Choose how often to send' });
        const query: Record<string, unknown> = { [follow]: values[follow as 'search'] ?? '', types: values.types };
        if (follow === 'principle' && values.jurisdiction) query.jurisdiction = values.jurisdiction;
        const read = errors.length === 0 ? readTargetQuery(query) : null;
        if (read && !read.ok) errors.push({ field: `${field}-${follow}`, message: read.message });
        if (read?.ok && (await feedSubject(db, read.value.target)) === null) errors.push({ field: `${field}-${follow}`, message: `There is no ${follow} with this id` });
        if (errors.length > 0 || !read?.ok) return renderPage(res, 400, { errors, values });
        const target = read.value.target;
        const { type: targetType, ...targetValue } = target;
        const subscription = await createWebhookSubscription(db, { webhookId: endpoint.id, targetType, target: targetValue, eventTypes: read.value.eventTypes, frequency: values.frequency as (typeof frequencies)[number] });
        services.log.info({ webhookId: endpoint.id, subscriptionId: subscription.id, reviewer: who }, 'webhook subscription added');
        return res.redirect(303, `/admin/webhooks#endpoint-${endpoint.id}`);
      }
      default:
        return next();
    }
  });

  router.post('/admin/webhooks/:id/subscriptions/:sid/:action', reviewersOnly, async (req, res, next) => {
    const id = idParam(req.params.id);
    const sid = idParam(req.params.sid);
    const status = ({ pause: 'paused', resume: 'active', delete: 'deleted' } as const)[String(req.params.action) as 'pause'];
    if (id === null || sid === null || !status) return next();
    if (!(await setWebhookSubscriptionStatus(db, id, sid, status))) return next();
    res.redirect(303, `/admin/webhooks#endpoint-${id}`);
  });

  return router;
}

/** A DNS failure when saving, in words; null for anything else (a real error). */
function dnsMessage(error: unknown): string | null {
  const code = (error as { code?: unknown })?.code;
  if (code === 'ENOTFOUND' || code === 'ENODATA') return 'That host name does not exist (DNS found no address for it).';
  if (code === 'EAI_AGAIN' || code === 'ETIMEOUT' || code === 'ESERVFAIL') return 'The host name could not be looked up just now; try again in a minute.';
  return null;
}
