import nodemailer from 'nodemailer';
import type { SendMailOptions, Transporter } from 'nodemailer';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { Channel, OutgoingDelivery, SendOutcome } from '../channel.js';
import { alertsSecret } from '../tokens.js';
import { composeAlert, publicBaseUrl } from './compose.js';
import { loadSmtpConfig, type SmtpConfig } from './smtp-config.js';
import { describeTarget, parseStoredTarget } from './target-description.js';
import { wordingFor } from './wording.js';

/** Seconds before an unanswering relay counts as a temporary failure. */
const SMTP_TIMEOUT_MS = 30_000;

export function smtpTransport(config: SmtpConfig): Transporter {
  return nodemailer.createTransport({
    host: config.host,
    port: config.port,
    secure: config.secure,
    ...(config.auth ? { auth: config.auth } : {}),
    connectionTimeout: SMTP_TIMEOUT_MS,
    greetingTimeout: SMTP_TIMEOUT_MS,
    socketTimeout: SMTP_TIMEOUT_MS,
  });
}

interface SmtpError {
  code?: unknown;
  responseCode?: unknown;
  command?: unknown;
  message?: unknown;
  response?: unknown;
}

/** Replies to RCPT TO that say the mailbox does not exist or is not accepted: these count as bounces. */
const BOUNCE_CODES = new Set([550, 551, 553]);

/**
 * What an SMTP failure means for the delivery:
 * - a 4xx reply, no reply at all (connection refused, DNS, timeout) or a rejected login (our settings, not
 *   the recipient) → temporary: the dispatcher retries with backoff;
 * - any other 5xx → permanent; 550/551/553 on RCPT TO is a hard bounce towards suspending the address.
 */
export function classifySmtpError(error: unknown): SendOutcome {
  const e = (error ?? {}) as SmtpError;
  const code = typeof e.responseCode === 'number' ? e.responseCode : undefined;
  const text = String(e.response ?? e.message ?? error).slice(0, 500);
  if (e.code === 'EAUTH') return { status: 'temporary', error: `SMTP login refused: ${text}` };
  if (code === undefined || (code >= 400 && code < 500)) return { status: 'temporary', error: text };
  if (code >= 500) {
    const onRecipient = typeof e.command === 'string' && /^RCPT/i.test(e.command);
    return { status: 'permanent', error: text, ...(onRecipient && BOUNCE_CODES.has(code) ? { bounce: true } : {}) };
  }
  return { status: 'temporary', error: text };
}

export interface EmailChannelOptions {
  db: Kysely<Database>;
  /** Default: from the environment (loadSmtpConfig). */
  smtp?: SmtpConfig;
  /** Default: a transport made from `smtp`. */
  transport?: Transporter;
  /** Default: publicBaseUrl() (PUBLIC_BASE_URL). */
  baseUrl?: string;
  /** Key of the manage tokens; default alertsSecret() (SESSION_SECRET). */
  secret?: string;
}

export interface EmailChannel extends Channel {
  close(): void;
}

/** Sends alerts and digests over SMTP; the address is read from `subscribers` at send time, never cached. */
export function createEmailChannel(options: EmailChannelOptions): EmailChannel {
  const smtp = options.smtp ?? loadSmtpConfig();
  const transport = options.transport ?? smtpTransport(smtp);
  const baseUrl = options.baseUrl ?? publicBaseUrl();
  const secret = options.secret ?? alertsSecret();
  return {
    name: 'email',
    async send(delivery: OutgoingDelivery): Promise<SendOutcome> {
      const subscriberId = delivery.subscription.subscriber_id;
      const subscriber =
        subscriberId === null ? undefined : await options.db.selectFrom('subscribers').select('email').where('id', '=', subscriberId).executeTakeFirst();
      if (!subscriber) return { status: 'permanent', error: 'the subscription has no subscriber address' };
      const wording = wordingFor(delivery.subscription.language);
      const targetText = await describeTarget(options.db, parseStoredTarget(delivery.subscription.target_type, delivery.subscription.target), wording);
      let message: SendMailOptions;
      try {
        message = await composeAlert(delivery, { from: smtp.from, to: subscriber.email, baseUrl, secret, targetText });
      } catch (error) {
        return { status: 'permanent', error: `could not compose the message: ${error instanceof Error ? error.message : String(error)}` };
      }
      try {
        await transport.sendMail(message);
        return { status: 'sent' };
      } catch (error) {
        return classifySmtpError(error);
      }
    },
    close() {
      transport.close();
    },
  };
}
