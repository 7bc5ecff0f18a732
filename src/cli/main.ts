import { parseArgs } from 'node:util';
import { loadConfig } from '../config.js';
import { logger } from '../logger.js';
import { scrapeCommand } from './scrape-command.js';
import { startCommand } from './start-command.js';
import { healthCommand } from './health-command.js';
import { matchCommand } from './match-command.js';
import { evalCommand } from './eval-command.js';
import { disagreementsCommand, reviewCommand } from './review-command.js';
import { migrateCommand, withdrawCommand } from './database-commands.js';
import { reindexCommand } from './reindex-command.js';
import { createAdminCommand } from './admin-command.js';

const usage = `Usage: npm run <script> -- [options]   (or: tsx src/cli/main.ts <command> [options])

Commands:
  start                          migrate, then serve the web app and run the scheduler
  migrate                        bring the database schema up to date
  scrape <source|all> [--mirror DIR] [--limit N]
                                 scrape now, from the network or from a mirror folder
  withdraw <document-id> --reason TEXT
                                 mark a document withdrawn (scrapes never do this themselves)
  sources                        list the registered sources and their schedules
  demo [--corpus DIR]            migrate, then load the demo data offline (source fixtures, the corpus at DIR
                                 or ../shared/corpus and its text captures) and print what the database holds
  health                         source health: last success, failures, counts, data-quality problems
  match [--all] [--jsonl]        tag clause versions the current rules have not tagged (--all: every one);
                                 --jsonl: tag JSON lines from standard input, write JSON lines
  review <clause-version-id> (--confirm | --reject | [--coproduction yes|no] [--strength S])
         --note TEXT --reviewer NAME
                                 record a reviewer's decision; it wins over the machine tag
  disagreements                  English/Welsh twins whose tags disagree, for review
  reindex                        rebuild the search index (safe while the server runs)
  alerts dispatch [--once]       send queued alerts and digests (until stopped; --once: one pass)
  alerts add-webhook <url> [--label TEXT] [--follow QUERY] [--frequency immediate|daily|weekly]
                                 register a webhook endpoint (prints its signing secret once)
  create-admin <username>        make a reviewer account; password from ADMIN_PASSWORD or standard input
  eval [--split dev|holdout|all|fresh|blind2-dev|blind2-sealed|blind2|blind3|blind4|blind5|blind6|blind7] [--errors] [--set FILE] [--json] | eval --agreement
                                 score the matcher against the labelled development set
  train-matcher                  retrain the learned layer (data/rules/learned.json) on the development batches

Environment: DATABASE_URL (postgres://… for PostgreSQL; default SQLite at DATA_DIR/tracker.sqlite),
DATA_DIR (default ./data), PORT (3000), HOST (127.0.0.1), MIRROR_DIR, SCHEDULER=off, LOG_LEVEL;
alerts: SMTP_HOST, SMTP_PORT, SMTP_SECURE, SMTP_USER, SMTP_PASSWORD, MAIL_FROM, PUBLIC_BASE_URL (see README).`;

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      mirror: { type: 'string' },
      corpus: { type: 'string' },
      limit: { type: 'string' },
      reason: { type: 'string' },
      all: { type: 'boolean' },
      jsonl: { type: 'boolean' },
      set: { type: 'string' },
      json: { type: 'boolean' },
      split: { type: 'string' },
      errors: { type: 'boolean' },
      agreement: { type: 'boolean' },
      confirm: { type: 'boolean' },
      reject: { type: 'boolean' },
      strength: { type: 'string' },
      coproduction: { type: 'string' },
      note: { type: 'string' },
      reviewer: { type: 'string' },
      once: { type: 'boolean' },
      label: { type: 'string' },
      follow: { type: 'string' },
      frequency: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command, ...rest] = positionals;
  if (values.help || !command) {
    console.log(usage);
    return command || values.help ? 0 : 2;
  }
  const config = loadConfig();
  switch (command) {
    case 'start':
      return startCommand(config);
    case 'migrate':
      return migrateCommand(config);
    case 'scrape': {
      const limit = values.limit === undefined ? undefined : Number(values.limit);
      if (limit !== undefined && (!Number.isInteger(limit) || limit < 1)) throw new UsageError('--limit takes a whole number of documents');
      if (!rest[0]) throw new UsageError('scrape needs a source id, or "all"');
      return scrapeCommand(config, { sourceId: rest[0], mirrorDir: values.mirror ?? config.mirrorDir, limit });
    }
    case 'withdraw':
      if (!rest[0] || !values.reason) throw new UsageError('withdraw needs a document id and --reason');
      return withdrawCommand(config, rest[0], values.reason);
    case 'match':
      return matchCommand(config, { all: values.all ?? false, jsonl: values.jsonl ?? false });
    case 'review':
      return reviewCommand(config, {
        clauseVersionId: rest[0],
        confirm: values.confirm ?? false,
        reject: values.reject ?? false,
        strength: values.strength,
        coproduction: values.coproduction,
        note: values.note,
        reviewer: values.reviewer,
      });
    case 'disagreements':
      return disagreementsCommand(config);
    case 'create-admin':
      return createAdminCommand(config, rest[0]);
    case 'eval':
      return evalCommand({ set: values.set, json: values.json ?? false, split: values.split, errors: values.errors ?? false, agreement: values.agreement ?? false });
    case 'train-matcher': {
      const { trainMatcherCommand } = await import('./train-command.js');
      return trainMatcherCommand();
    }
    case 'demo': {
      // Loaded on demand: it pulls in every source and the matcher rules.
      const { demoCommand } = await import('./demo-command.js');
      return demoCommand(config, { corpusDir: values.corpus });
    }
    case 'reindex':
      return reindexCommand(config);
    case 'alerts': {
      if (rest[0] === 'dispatch') {
        const { alertsDispatchCommand } = await import('./alerts-dispatch-command.js');
        return alertsDispatchCommand(config, { once: values.once ?? false });
      }
      if (rest[0] === 'add-webhook') {
        if (!rest[1]) throw new UsageError('alerts add-webhook needs the endpoint URL');
        const { addWebhookCommand } = await import('./alerts-webhook-command.js');
        return addWebhookCommand(config, { url: rest[1], label: values.label, follow: values.follow, frequency: values.frequency });
      }
      throw new UsageError('alerts takes "dispatch" or "add-webhook"');
    }
    case 'health':
      return healthCommand(config);
    case 'sources': {
      const { sources } = await import('../../scrapers/registry.js');
      for (const s of sources) console.log(`${s.id}\t${s.schedule}\t${s.scheduleReason}`);
      return 0;
    }
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

class UsageError extends Error {}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof UsageError || (error instanceof Error && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS'))) {
      console.error(`${error.message}\n\n${usage}`);
      process.exitCode = 2;
      return;
    }
    logger.fatal({ err: error }, 'command failed');
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  },
);
