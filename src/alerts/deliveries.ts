import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { chunked } from '../pipeline/version-queries.js';
import { windowIsDue, windowKeyOf } from './digest-windows.js';

export interface FormOptions {
  now?: Date;
  /** London hour at which closed daily/weekly windows become digests. Default 7. */
  digestHour?: number;
  /** Most events in one immediate alert; a bigger burst becomes several messages. Default 50. Digests have no cap. */
  maxEventsPerAlert?: number;
  /** Host part of Message-IDs. Default the host of PUBLIC_BASE_URL, else coproduction-tracker.invalid. */
  messageIdHost?: string;
}

/** Host for Message-IDs and webhook ids: the public site's, so ids are globally unique and recognisably ours. */
export function messageIdHost(env: NodeJS.ProcessEnv = process.env): string {
  try {
    if (env.PUBLIC_BASE_URL) return new URL(env.PUBLIC_BASE_URL).hostname || 'coproduction-tracker.invalid';
  } catch {
    // An unparsable PUBLIC_BASE_URL is reported where links are made; ids still need a host.
  }
  return 'coproduction-tracker.invalid';
}

interface WaitingRow {
  id: number;
  subscription_id: number;
  change_event_id: number;
  created_at: string;
  frequency: string;
  channel: 'email' | 'webhook';
}

interface Group {
  subscriptionId: number;
  channel: 'email' | 'webhook';
  windowKey: string;
  rows: WaitingRow[];
}

/**
 * Turns waiting outbox rows into deliveries. Each delivery (one message: an immediate alert or a digest)
 * is written with its Message-ID together with the outbox rows it takes, in one transaction, before
 * anything is sent: a crash leaves either nothing formed (the rows still wait) or a complete delivery
 * that will be sent, with that id, however many times the dispatcher restarts.
 *
 * Immediate subscriptions take everything that waits at this tick (up to maxEventsPerAlert per message);
 * daily and weekly ones take each closed window once it is due (see digest-windows.ts). Rows of paused,
 * suspended or deleted subscriptions, and of disabled webhook endpoints, are left waiting, unsent.
 * Call from one process at a time (the dispatcher holds a lease). Returns the number of deliveries formed.
 */
export async function formDeliveries(db: Kysely<Database>, options: FormOptions = {}): Promise<number> {
  const now = options.now ?? new Date();
  const digestHour = options.digestHour ?? 7;
  const cap = Math.max(1, options.maxEventsPerAlert ?? 50);
  const host = options.messageIdHost ?? messageIdHost();
  const waiting: WaitingRow[] = await db
    .selectFrom('alert_outbox as o')
    .innerJoin('subscriptions as s', 's.id', 'o.subscription_id')
    .leftJoin('webhook_endpoints as w', 'w.id', 's.webhook_id')
    .select(['o.id', 'o.subscription_id', 'o.change_event_id', 'o.created_at', 's.frequency', 's.channel'])
    .where('o.delivery_id', 'is', null)
    .where('s.status', '=', 'active')
    .where((eb) => eb.or([eb('s.channel', '=', 'email'), eb('w.status', '=', 'active')]))
    .orderBy('o.subscription_id')
    .orderBy('o.change_event_id')
    .execute();

  const groups: Group[] = [];
  const bySubscription = new Map<number, WaitingRow[]>();
  for (const r of waiting) pushTo(bySubscription, r.subscription_id, r);
  for (const [subscriptionId, rows] of bySubscription) {
    const { frequency, channel } = rows[0]!;
    if (frequency === 'daily' || frequency === 'weekly') {
      const windows = new Map<string, WaitingRow[]>();
      for (const r of rows) {
        const key = windowKeyOf(frequency, r.created_at);
        pushTo(windows, key, r);
      }
      for (const [windowKey, windowRows] of windows) if (windowIsDue(windowKey, now, digestHour)) groups.push({ subscriptionId, channel, windowKey, rows: windowRows });
    } else {
      for (const part of chunked(rows, cap)) groups.push({ subscriptionId, channel, windowKey: `event:${part[0]!.change_event_id}`, rows: part });
    }
  }

  let formed = 0;
  for (const g of groups) if (await formOne(db, g, now, host)) formed++;
  return formed;
}

async function formOne(db: Kysely<Database>, group: Group, now: Date, host: string): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    // A row that committed after its window's digest was formed (a long import) gets a digest of its own
    // rather than changing a message that may already have gone out under its Message-ID.
    const taken = await trx.selectFrom('alert_deliveries').select('id').where('subscription_id', '=', group.subscriptionId).where('window_key', '=', group.windowKey).executeTakeFirst();
    const windowKey = taken ? `${group.windowKey}:late-${group.rows[0]!.change_event_id}` : group.windowKey;
    const createdAt = now.toISOString();
    const { id } = await trx
      .insertInto('alert_deliveries')
      .values({
        subscription_id: group.subscriptionId,
        channel: group.channel,
        window_key: windowKey,
        message_id: `forming-${randomBytes(12).toString('hex')}@${host}`,
        status: 'pending',
        next_attempt_at: createdAt,
        last_error: null,
        created_at: createdAt,
        sent_at: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    // Chosen once, here; every attempt (and every resend after a crash) carries it.
    const messageId = `alert-${id}-${randomBytes(4).toString('hex')}@${host}`;
    await trx.updateTable('alert_deliveries').set({ message_id: messageId }).where('id', '=', id).execute();
    let updated = 0;
    for (const ids of chunked(
      group.rows.map((r) => r.id),
      400,
    )) {
      const result = await trx.updateTable('alert_outbox').set({ delivery_id: id }).where('id', 'in', ids).where('delivery_id', 'is', null).executeTakeFirst();
      updated += Number(result.numUpdatedRows);
    }
    // Another dispatcher took some of these rows (no lease?): undo, and let the next tick see what is left.
    if (updated !== group.rows.length) throw new DeliveryRaceError();
    return true;
  }).catch((error: unknown) => {
    if (error instanceof DeliveryRaceError) return false;
    throw error;
  });
}

class DeliveryRaceError extends Error {
  constructor() {
    super('outbox rows were taken by another dispatcher');
  }
}

function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
