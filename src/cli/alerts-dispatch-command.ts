import type { Kysely } from 'kysely';
import type { Config } from '../config.js';
import type { Database } from '../db/schema.js';
import { logger, type Logger } from '../logger.js';
import { openServices } from '../services.js';
import { loadOrCreateSessionSecret } from '../web/auth/session-secret.js';
import type { Channel } from '../alerts/channel.js';
import { dispatchOnce, startDispatcher, type Dispatcher, type DispatcherOptions } from '../alerts/dispatcher.js';
import { createEmailChannel } from '../alerts/email/email-channel.js';
import { smtpConfigured } from '../alerts/email/smtp-config.js';
import { webhookChannel } from '../alerts/webhooks/webhook-channel.js';

export interface AlertsDispatchOptions {
  /** One pass (form, send what is due) and exit, instead of running until SIGINT/SIGTERM. */
  once?: boolean;
  /** Dispatcher settings beyond the defaults (tests use a short poll and a high rate). */
  tuning?: Partial<Omit<DispatcherOptions, 'db' | 'channels'>>;
}

export interface AlertChannels {
  channels: DispatcherOptions['channels'];
  close(): Promise<void>;
}

/** Email when SMTP_HOST is set (settings are checked now, so a typo fails at start), webhooks always. */
export function alertChannels(db: Kysely<Database>): AlertChannels {
  const email = smtpConfigured() ? createEmailChannel({ db }) : undefined;
  const webhook = webhookChannel({ db });
  const channels: Partial<Record<'email' | 'webhook', Channel>> = { webhook, ...(email && { email }) };
  return {
    channels,
    async close() {
      email?.close();
      await webhook.close();
    },
  };
}

/** The registered sources, for stale-source notices in digests (loaded on demand: it pulls in every scraper). */
export async function scheduledSources(): Promise<DispatcherOptions['sources']> {
  const { sources } = await import('../../scrapers/registry.js');
  return sources.map((s) => ({ id: s.id, name: s.name, schedule: s.schedule }));
}

/**
 * Starts the long-running dispatcher beside the web server (`start`, unless SCHEDULER=off). The caller
 * stops it before closing the database.
 */
export async function startAlertsDispatcher(db: Kysely<Database>, log: Logger, tuning: AlertsDispatchOptions['tuning'] = {}): Promise<{ dispatcher: Dispatcher; close(): Promise<void> }> {
  const channels = alertChannels(db);
  if (!channels.channels.email) log.warn('SMTP_HOST is not set: email alerts wait in the outbox until it is');
  const dispatcher = startDispatcher({ db, channels: channels.channels, log, sources: tuning.sources ?? (await scheduledSources()), ...tuning });
  return {
    dispatcher,
    async close() {
      await dispatcher.stop();
      await channels.close();
    },
  };
}

/** `alerts dispatch [--once]`: send queued alerts and digests. */
export async function alertsDispatchCommand(config: Config, options: AlertsDispatchOptions = {}): Promise<number> {
  const services = await openServices(config);
  // Manage and unsubscribe links are keyed like the web's: the same secret.
  process.env.SESSION_SECRET ??= await loadOrCreateSessionSecret(config.dataDir);
  try {
    if (options.once) {
      const channels = alertChannels(services.db);
      try {
        const report = await dispatchOnce({ db: services.db, channels: channels.channels, log: logger, sources: options.tuning?.sources ?? (await scheduledSources()), ...options.tuning });
        if (!report.ran) console.log('another process is dispatching alerts; nothing done');
        else console.log(`formed ${report.formed}, sent ${report.sent}, retrying ${report.retrying}, failed ${report.failed}, dropped ${report.dropped}`);
        return 0;
      } finally {
        await channels.close();
      }
    }
    const running = await startAlertsDispatcher(services.db, logger, options.tuning);
    console.log('alerts dispatcher running');
    await new Promise<void>((resolve) => {
      process.once('SIGINT', () => resolve());
      process.once('SIGTERM', () => resolve());
    });
    await running.close();
    return 0;
  } finally {
    await services.close();
  }
}
