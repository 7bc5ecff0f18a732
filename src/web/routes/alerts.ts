import { createHash } from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import { ipKeyGenerator, rateLimit, type Options } from 'express-rate-limit';
import type { Transporter } from 'nodemailer';
import type { Services } from '../app.js';
import { authContext, ensureCsrfToken } from '../auth/authentication.js';
import { ALERT_EVENT_TYPES } from '../../alerts/channel.js';
import { composeConfirmation, publicBaseUrl } from '../../alerts/email/compose.js';
import { smtpTransport } from '../../alerts/email/email-channel.js';
import { loadSmtpConfig, smtpConfigured, type SmtpConfig } from '../../alerts/email/smtp-config.js';
import { readChoices, readSubscribeBody, targetFromParams, type FieldError, type TargetChoice } from '../../alerts/email/subscribe-form.js';
import {
  confirmState,
  confirmSubscription,
  createPendingSubscription,
  deleteSubscription,
  normaliseEmail,
  setPaused,
  subscriptionByManageToken,
  updateSubscription,
  type Subscription,
} from '../../alerts/email/subscriber-subscriptions.js';
import { describeTarget, parseStoredTarget } from '../../alerts/email/target-description.js';
import { wordingFor } from '../../alerts/email/wording.js';
import { eventTypesOfRow, targetJson, targetOfRow, type SubscriptionTarget } from '../../alerts/subscription-targets.js';
import { canonicalQuery } from '../alert-target-query.js';
import { alertsSecret, manageTokenFor } from '../../alerts/tokens.js';
import { previewSubscription } from '../../alerts/preview.js';
import { changeView } from '../../alerts/email/change-view.js';
import { formatDay } from '../documents/labels.js';
import { jurisdictionName } from '../insight/labels.js';
import { jurisdictions } from '../../domain/scraped-document.js';

/** Subscribe attempts allowed per client address, and per email address, in ALERT_RATE_WINDOW_MS. */
export const ALERT_RATE_WINDOW_MS = 60 * 60 * 1000;
export const SUBSCRIBES_PER_CLIENT = 20;
export const SUBSCRIBES_PER_EMAIL = 3;

const english = wordingFor('en');
const eventTypeOptions = ALERT_EVENT_TYPES.map((value) => ({ value, label: english.eventTypes[value] }));
const frequencyOptions = [
  { value: 'immediate', label: 'As it happens', hint: 'one email per change (changes found together come together)' },
  { value: 'daily', label: 'Daily digest', hint: 'one email each morning (about 7:00, UK time) with the previous day’s changes' },
  { value: 'weekly', label: 'Weekly digest', hint: 'one email on Monday morning with the previous week’s changes' },
];
const languageOptions = [
  { value: 'en', label: 'English' },
  { value: 'cy', label: 'Cymraeg (Welsh)' },
];

/** Pages behind a token: never cached, never indexed, never sent on as a Referer. */
function privatePage(res: Response): void {
  res.set({ 'Cache-Control': 'private, no-store', 'Referrer-Policy': 'no-referrer', 'X-Robots-Tag': 'noindex, nofollow' });
}

const tokenOf = (req: Request): string => String(req.params.token ?? '');

/** Subscriber pages (issue 7): subscribe with preview, confirm, manage, unsubscribe. */
export function alertRoutes(services: Services): Router {
  const router = Router();
  const { db, log } = services;
  const context = authContext(services);

  let mailer: { config: SmtpConfig; transport: Transporter } | undefined;
  const mail = () => {
    if (!mailer) {
      const config = loadSmtpConfig();
      mailer = { config, transport: smtpTransport(config) };
    }
    return mailer;
  };

  const tooMany: Options['handler'] = (req, res) => {
    const resetTime = (req as Request & { rateLimit?: { resetTime?: Date } }).rateLimit?.resetTime;
    const seconds = resetTime ? Math.max(1, Math.ceil((resetTime.getTime() - Date.now()) / 1000)) : ALERT_RATE_WINDOW_MS / 1000;
    res.set('Retry-After', String(seconds));
    res.status(429).render('error', { title: 'Too many requests', message: `Too many alert sign-ups from here or for this address. Wait ${Math.ceil(seconds / 60)} minutes and try again.` });
  };
  const common = { windowMs: ALERT_RATE_WINDOW_MS, standardHeaders: 'draft-8', legacyHeaders: false, handler: tooMany } as const;
  const perClient = rateLimit({ ...common, limit: SUBSCRIBES_PER_CLIENT, identifier: 'alerts-client' });
  const perEmail = rateLimit({
    ...common,
    limit: SUBSCRIBES_PER_EMAIL,
    identifier: 'alerts-email',
    // The address itself is not kept, even in memory: its hash is the key.
    keyGenerator: (req) => {
      const email = (req.body as Record<string, unknown> | undefined)?.email;
      return typeof email === 'string' && email.trim() !== '' ? createHash('sha256').update(normaliseEmail(email)).digest('hex') : `client:${ipKeyGenerator(req.ip ?? '')}`;
    },
  });

  /** A target that names a document or clause must name one that exists. */
  async function checkedTarget(choice: TargetChoice): Promise<TargetChoice> {
    if (choice.kind !== 'ok') return choice;
    const t = choice.target;
    if (t.type === 'document' && !(await db.selectFrom('documents').select('id').where('id', '=', t.documentId).executeTakeFirst())) {
      return { kind: 'error', message: 'There is no document with this id.' };
    }
    if (t.type === 'clause' && !(await db.selectFrom('clauses').select('id').where('id', '=', t.clauseId).executeTakeFirst())) {
      return { kind: 'error', message: 'There is no clause with this number.' };
    }
    return choice;
  }

  async function renderSubscribe(req: Request, res: Response, status: number, choice: TargetChoice, values: { types: readonly string[]; frequency: string; language: string }, errors: FieldError[]) {
    const target = choice.kind === 'ok' ? choice.target : null;
    const types = ALERT_EVENT_TYPES.filter((t) => values.types.includes(t));
    const [targetText, preview] = target
      ? await Promise.all([describeTarget(db, storedOf(target), english), previewSubscription(db, target, types.length > 0 ? types : ALERT_EVENT_TYPES)])
      : [null, null];
    const latest = preview?.latest ? { ...changeView(preview.latest, english, '', target?.type === 'search' ? target.q : undefined), createdAt: preview.latest.createdAt } : null;
    const emailEnabled = smtpConfigured();
    if (emailEnabled && target) ensureCsrfToken(context, req, res);
    res.status(status).render('alerts/subscribe', {
      title: target ? `Follow ${targetText}` : 'Alerts',
      choice,
      targetText,
      targetFields: choice.kind === 'ok' ? Object.entries(choice.query) : [],
      feedHref: target ? `/alerts/feed.atom?${canonicalQuery(target, types.length > 0 ? types : ALERT_EVENT_TYPES)}` : null,
      preview,
      latest,
      emailEnabled,
      values,
      errors,
      eventTypeOptions,
      frequencyOptions,
      languageOptions,
      formatDay,
      jurisdictionOptions: jurisdictions.map((value) => ({ value, label: jurisdictionName(value) })),
    });
  }

  router.get('/alerts', async (req, res) => {
    const choice = await checkedTarget(targetFromParams(req.query as Record<string, unknown>));
    const types = choice.kind === 'ok' ? choice.eventTypes : [...ALERT_EVENT_TYPES];
    await renderSubscribe(req, res, choice.kind === 'error' ? 400 : 200, choice, { types, frequency: 'daily', language: 'en' }, []);
  });

  router.post('/alerts', perClient, perEmail, async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const choice = await checkedTarget(targetFromParams(body));
    const { choices, errors } = readSubscribeBody(body);
    if (choice.kind !== 'ok') {
      await renderSubscribe(req, res, 400, choice, { types: choices.eventTypes, frequency: choices.frequency, language: choices.language }, []);
      return;
    }
    let sender: ReturnType<typeof mail> | null = null;
    try {
      if (smtpConfigured()) sender = mail();
    } catch (error) {
      // A typo in the SMTP settings: say so in the log, and to the visitor that email is unavailable.
      log.error({ err: error }, 'SMTP settings are invalid');
    }
    if (!sender) {
      res.status(503).render('error', { title: 'Email alerts are not available', message: 'This site has no mail server set up. The Atom feed on the alerts page works without signing up.' });
      return;
    }
    if (errors.length > 0) {
      // The address typed is not shown again: no page ever carries a subscriber's address.
      await renderSubscribe(req, res, 400, choice, { types: choices.eventTypes, frequency: choices.frequency, language: choices.language }, errors);
      return;
    }
    const target = choice.target;
    // The same page, at the same moment, whether the address is new, known or already following this:
    // everything that depends on the address happens after the response has gone.
    // 'close' (not 'finish'): it also fires when the client hung up before the page arrived.
    res.once('close', () => {
      void (async () => {
        const { config, transport } = sender;
        const secret = alertsSecret();
        const { subscriptionId, confirmToken } = await createPendingSubscription(db, { ...choices, target }, secret);
        const targetText = await describeTarget(db, storedOf(target), wordingFor(choices.language));
        const message = await composeConfirmation({
          from: config.from,
          to: normaliseEmail(choices.email),
          baseUrl: publicBaseUrl(),
          token: confirmToken,
          language: choices.language,
          frequency: choices.frequency,
          targetText,
        });
        await transport.sendMail(message);
        log.info({ subscriptionId }, 'alert confirmation sent');
      })().catch((error: unknown) => {
        // SMTP errors can quote the recipient: log what went wrong, not the message, so no address reaches the logs.
        const e = (error ?? {}) as { code?: unknown; responseCode?: unknown; command?: unknown; name?: unknown };
        const fromSmtp = e.responseCode !== undefined || e.command !== undefined;
        log.error(fromSmtp ? { code: e.code, responseCode: e.responseCode, command: e.command } : { err: error }, 'alert confirmation failed');
      });
    });
    res.render('alerts/check-inbox', { title: 'Check your inbox' });
  });

  router.get('/alerts/confirm/:token', async (req, res) => {
    privatePage(res);
    const { state, subscription } = await confirmState(db, tokenOf(req));
    if (state !== 'ready' || !subscription) return renderConfirmProblem(res, state, subscription);
    ensureCsrfToken(context, req, res);
    const targetText = await describeTarget(db, parseStoredTarget(subscription.target_type, subscription.target), english);
    res.render('alerts/confirm', { title: 'Confirm your alert', targetText, action: `/alerts/confirm/${tokenOf(req)}` });
  });

  router.post('/alerts/confirm/:token', async (req, res) => {
    privatePage(res);
    const { state, subscription, confirmed } = await confirmSubscription(db, tokenOf(req));
    if (!confirmed || !subscription) return renderConfirmProblem(res, state, subscription);
    log.info({ subscriptionId: subscription.id }, 'alert subscription confirmed');
    const targetText = await describeTarget(db, parseStoredTarget(subscription.target_type, subscription.target), english);
    res.render('alerts/confirmed', { title: 'Your alert is on', targetText, manageHref: manageHrefOf(subscription) });
  });

  async function renderConfirmProblem(res: Response, state: string, subscription: Subscription | null) {
    const again = subscription ? againHref(subscription) : '/alerts';
    const pages: Record<string, { status: number; title: string; message: string }> = {
      unknown: { status: 404, title: 'This link is not known', message: 'The confirmation link is not one we sent, or it was copied only in part. Copy the whole link from the email, or sign up again.' },
      expired: { status: 410, title: 'This link has expired', message: 'Confirmation links work for 48 hours. Sign up again to get a new one.' },
      used: { status: 410, title: 'This link has already been used', message: 'This alert was already confirmed. Every alert email has a link to change or stop it.' },
    };
    const page = pages[state] ?? pages.unknown!;
    res.status(page.status).render('alerts/link-problem', { title: page.title, message: page.message, again: state === 'used' ? null : again });
  }

  router.get('/alerts/manage/:token', async (req, res) => {
    privatePage(res);
    const subscription = await subscriptionByManageToken(db, tokenOf(req));
    if (!subscription || subscription.status === 'deleted') return renderManageProblem(res, subscription);
    ensureCsrfToken(context, req, res);
    await renderManage(res, 200, subscription, tokenOf(req), [], req.query.saved === '1' ? 'Your changes are saved.' : null);
  });

  router.post('/alerts/manage/:token', async (req, res) => {
    privatePage(res);
    const token = tokenOf(req);
    const subscription = await subscriptionByManageToken(db, token);
    if (!subscription || subscription.status === 'deleted') return renderManageProblem(res, subscription);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const action = typeof body.action === 'string' ? body.action : '';
    if (action === 'delete') {
      await deleteSubscription(db, subscription.id);
      log.info({ subscriptionId: subscription.id }, 'alert subscription deleted');
      res.render('alerts/unsubscribed', { title: 'Alert deleted', again: againHref(subscription) });
      return;
    }
    if (action === 'pause' || action === 'resume') {
      await setPaused(db, subscription, action === 'pause');
      res.redirect(303, `/alerts/manage/${token}?saved=1`);
      return;
    }
    const errors: FieldError[] = [];
    const choices = readChoices(body, errors);
    if (errors.length > 0) {
      ensureCsrfToken(context, req, res);
      await renderManage(res, 400, { ...subscription, event_types: JSON.stringify(choices.eventTypes), frequency: choices.frequency, language: choices.language }, token, errors, null);
      return;
    }
    await updateSubscription(db, subscription.id, choices);
    res.redirect(303, `/alerts/manage/${token}?saved=1`);
  });

  async function renderManage(res: Response, status: number, subscription: Subscription, token: string, errors: FieldError[], notice: string | null) {
    const targetText = await describeTarget(db, parseStoredTarget(subscription.target_type, subscription.target), english);
    res.status(status).render('alerts/manage', {
      title: 'Manage your alert',
      targetText,
      subscription,
      action: `/alerts/manage/${token}`,
      unsubscribeHref: `/alerts/unsubscribe/${token}`,
      values: { types: eventTypesOfRow(subscription), frequency: subscription.frequency, language: subscription.language },
      errors,
      notice,
      eventTypeOptions,
      frequencyOptions,
      languageOptions,
    });
  }

  function renderManageProblem(res: Response, subscription: Subscription | null) {
    if (subscription) {
      res.status(410).render('alerts/link-problem', { title: 'This alert was deleted', message: 'Nothing more will be sent for it. You can sign up again at any time.', again: againHref(subscription) });
      return;
    }
    res.status(404).render('alerts/link-problem', { title: 'This link is not known', message: 'The link is not one we sent, or it was copied only in part. Copy the whole link from the email.', again: null });
  }

  router.get('/alerts/unsubscribe/:token', async (req, res) => {
    privatePage(res);
    const subscription = await subscriptionByManageToken(db, tokenOf(req));
    if (!subscription) return renderManageProblem(res, null);
    if (subscription.status === 'deleted') {
      res.render('alerts/unsubscribed', { title: 'You are unsubscribed', again: againHref(subscription) });
      return;
    }
    const targetText = await describeTarget(db, parseStoredTarget(subscription.target_type, subscription.target), english);
    // The form needs no CSRF token (the token in the address is the authority, as for RFC 8058 one-click).
    res.render('alerts/unsubscribe', { title: 'Unsubscribe', targetText, action: `/alerts/unsubscribe/${tokenOf(req)}`, manageHref: `/alerts/manage/${tokenOf(req)}` });
  });

  /**
   * RFC 8058 one-click: mail clients POST `List-Unsubscribe=One-Click` here with no cookies and no CSRF
   * token (src/web/auth/authentication.ts exempts this path). Idempotent: unsubscribing twice is fine.
   */
  router.post('/alerts/unsubscribe/:token', async (req, res) => {
    privatePage(res);
    const subscription = await subscriptionByManageToken(db, tokenOf(req));
    if (!subscription) return renderManageProblem(res, null);
    if (subscription.status !== 'deleted') {
      await deleteSubscription(db, subscription.id);
      log.info({ subscriptionId: subscription.id }, 'alert unsubscribed');
    }
    res.render('alerts/unsubscribed', { title: 'You are unsubscribed', again: againHref(subscription) });
  });

  return router;
}

function storedOf(target: SubscriptionTarget) {
  return parseStoredTarget(target.type, targetJson(target));
}

function manageHrefOf(subscription: Subscription): string {
  return `/alerts/manage/${manageTokenFor(alertsSecret(), subscription.id)}`;
}

/** The /alerts address that follows the same thing again (for "sign up again" links). */
function againHref(subscription: Subscription): string {
  try {
    return `/alerts?${canonicalQuery(targetOfRow(subscription), ALERT_EVENT_TYPES)}`;
  } catch {
    return '/alerts';
  }
}
