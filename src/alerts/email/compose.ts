import path from 'node:path';
import ejs from 'ejs';
import type { SendMailOptions } from 'nodemailer';
import type { OutgoingDelivery } from '../channel.js';
import { projectRoot } from '../../project-root.js';
import { manageTokenFor } from '../tokens.js';
import { absoluteUrl, changeView, type ChangeView } from './change-view.js';
import { dayIn, fill, frequencyIn, wordingFor, type Wording } from './wording.js';

const emailViews = path.join(projectRoot, 'views/emails');

/** Base of every link in a mail: PUBLIC_BASE_URL, else this server's own address. */
export function publicBaseUrl(env: NodeJS.ProcessEnv = process.env): string {
  if (env.PUBLIC_BASE_URL) return env.PUBLIC_BASE_URL.replace(/\/+$/, '');
  return `http://${env.HOST ?? '127.0.0.1'}:${env.PORT ?? '3000'}`;
}

export interface SubscriberLinks {
  manageUrl: string;
  unsubscribeUrl: string;
}

export function subscriberLinks(baseUrl: string, secret: string, subscriptionId: number): SubscriberLinks {
  const token = manageTokenFor(secret, subscriptionId);
  return { manageUrl: absoluteUrl(baseUrl, `/alerts/manage/${token}`), unsubscribeUrl: absoluteUrl(baseUrl, `/alerts/unsubscribe/${token}`) };
}

export interface AlertMailContext {
  from: string;
  to: string;
  baseUrl: string;
  /** Key of the manage/unsubscribe tokens (src/alerts/tokens.ts). */
  secret: string;
  /** What the subscription follows, in its language (describeTarget). */
  targetText: string;
}

/** Renders an email template; `text` templates are rendered without HTML escaping (they are plain text). */
async function render(name: string, data: Record<string, unknown>, kind: 'html' | 'text'): Promise<string> {
  const filename = path.join(emailViews, `${name}.${kind}.ejs`);
  const options: ejs.Options & { async: false } = { cache: process.env.NODE_ENV !== 'development', filename, async: false };
  if (kind === 'text') options.escape = (value: unknown) => (value === undefined || value === null ? '' : String(value));
  const template = await ejs.renderFile(filename, data, options);
  return kind === 'text' ? template.replace(/\n{3,}/g, '\n\n') : template;
}

function isDigest(delivery: OutgoingDelivery): boolean {
  return /^(daily|weekly):/.test(delivery.windowKey);
}

function subjectOf(delivery: OutgoingDelivery, views: ChangeView[], wording: Wording, targetText: string): string {
  const count = delivery.events.length;
  const changes = wording.changes(count);
  if (delivery.windowKey.startsWith('daily:')) return fill(wording.dailySubject, { count, changes, target: targetText });
  if (delivery.windowKey.startsWith('weekly:')) return fill(wording.weeklySubject, { count, changes, target: targetText });
  const first = views[0];
  if (!first) return targetText;
  const title = first.provision ? `${first.documentTitle} ${first.provision}` : first.documentTitle;
  return count === 1 ? fill(wording.immediateSubjectOne, { type: first.typeLabels[0] ?? '', title }) : fill(wording.immediateSubjectMany, { count, changes, title });
}

/** Subjects are one line: scraped titles may hold newlines or be very long. */
function oneLine(text: string, max = 180): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/**
 * An alert or digest as a message: text and HTML parts, the Message-ID fixed when the delivery was
 * formed (so a resend after a crash is recognisably the same message), and RFC 8058 one-click
 * unsubscribe headers alongside visible manage and unsubscribe links.
 */
export async function composeAlert(delivery: OutgoingDelivery, context: AlertMailContext): Promise<SendMailOptions> {
  const subscription = delivery.subscription;
  const wording = wordingFor(subscription.language);
  const searchQuery = subscription.target_type === 'search' ? searchQueryOf(subscription.target) : undefined;
  const views = delivery.events.map((event) => changeView(event, wording, context.baseUrl, searchQuery));
  const links = subscriberLinks(context.baseUrl, context.secret, subscription.id);
  const digest = isDigest(delivery);
  const [kind, day = ''] = delivery.windowKey.split(':');
  const intro = digest
    ? fill(kind === 'weekly' ? wording.digestIntroWeekly : wording.digestIntroDaily, { day: dayIn(subscription.language, day), target: context.targetText })
    : fill(wording.immediateIntro, { target: context.targetText });
  const data = {
    lang: subscription.language === 'cy' ? 'cy' : 'en',
    w: wording,
    intro,
    changes: views,
    notices: delivery.notices,
    why: fill(wording.why, { target: context.targetText, frequency: frequencyIn(wording, subscription.frequency) }),
    ...links,
  };
  const subject = oneLine(subjectOf(delivery, views, wording, context.targetText));
  return {
    from: context.from,
    to: context.to,
    subject,
    messageId: `<${delivery.messageId}>`,
    text: await render('alert', { ...data, subject }, 'text'),
    html: await render('alert', { ...data, subject }, 'html'),
    headers: {
      'List-Unsubscribe': `<${links.unsubscribeUrl}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      'Auto-Submitted': 'auto-generated',
    },
  };
}

function searchQueryOf(targetJson: string): string | undefined {
  try {
    const target = JSON.parse(targetJson) as { q?: unknown };
    return typeof target.q === 'string' ? target.q : undefined;
  } catch {
    return undefined;
  }
}

export interface ConfirmationMail {
  from: string;
  to: string;
  baseUrl: string;
  token: string;
  language: string;
  frequency: string;
  targetText: string;
}

/** The double opt-in message: a link to a page with a Confirm button (scanners that fetch links confirm nothing). */
export async function composeConfirmation(mail: ConfirmationMail): Promise<SendMailOptions> {
  const wording = wordingFor(mail.language);
  const confirmUrl = absoluteUrl(mail.baseUrl, `/alerts/confirm/${mail.token}`);
  const subject = oneLine(fill(wording.confirmSubject, { target: mail.targetText }));
  const data = {
    lang: mail.language === 'cy' ? 'cy' : 'en',
    w: wording,
    subject,
    intro: fill(wording.confirmIntro, { target: mail.targetText, frequency: frequencyIn(wording, mail.frequency) }),
    confirmUrl,
  };
  return {
    from: mail.from,
    to: mail.to,
    subject,
    text: await render('confirm', data, 'text'),
    html: await render('confirm', data, 'html'),
    headers: { 'Auto-Submitted': 'auto-generated' },
  };
}
