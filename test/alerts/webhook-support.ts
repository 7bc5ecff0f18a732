/** Shared by the webhook and alert-feed tests: a real HTTP receiver on loopback and a small act that changes. */
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Kysely } from 'kysely';
import type { Database } from '../../src/db/schema.js';
import { importTestVersion } from '../web/documents-support.js';

export interface ReceivedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** What the receiver does with one request: a status (and headers), or hang without answering. */
export type Reply = { status: number; headers?: Record<string, string>; body?: string } | 'hang';

export interface Receiver {
  url: string;
  port: number;
  requests: ReceivedRequest[];
  /** Replies used in order, one per request; after them, `fallback` (default 204). */
  replies: Reply[];
  fallback: Reply;
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const hanging = new Set<ServerResponse>();
  const receiver: Receiver = { url: '', port: 0, requests: [], replies: [], fallback: { status: 204 }, close: async () => undefined };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      receiver.requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      const reply = receiver.replies.shift() ?? receiver.fallback;
      if (reply === 'hang') {
        hanging.add(res);
        return;
      }
      res.writeHead(reply.status, reply.headers ?? {});
      res.end(reply.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  receiver.port = port;
  receiver.url = `http://127.0.0.1:${port}/hooks/tracker`;
  receiver.close = async () => {
    for (const res of hanging) res.destroy();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return receiver;
}

export const act = { nativeId: 'anaw/2099/7', kind: 'act' as const, title: 'Well-being Services (Wales) Act 2099' };

/** The act as introduced: a co-production duty and a commencement section. Events: document_added. */
export async function importIntroduced(db: Kysely<Database>): Promise<void> {
  await importTestVersion(db, {
    ...act,
    label: 'introduced',
    validFrom: '2099-01-01',
    clauses: [
      { key: 'section-1', number: '1', heading: 'Duty to co-produce', text: 'A local authority must co-produce its care and support services with the people who use them and their carers.' },
      { key: 'section-2', number: '2', text: 'This Act comes into force on 1 April 2100.' },
    ],
  });
}

/**
 * Stage 2: the duty becomes a power (clause_reworded + duty_weakened) and a funded co-production clause is
 * added (new_coproduction_clause + funding_announced).
 */
export const stage2Clauses = [
  { key: 'section-1', number: '1', heading: 'Duty to co-produce', text: 'A local authority may co-produce its care and support services with the people who use them and their carers.' },
  { key: 'section-2', number: '2', text: 'This Act comes into force on 1 April 2100.' },
  { key: 'section-3', number: '3', heading: 'Funding', text: 'The Welsh Ministers must pay £2 million a year to local authorities to support co-production with people who use care and support services.' },
];

export async function importStage2(db: Kysely<Database>): Promise<void> {
  await importTestVersion(db, { ...act, label: 'amended-stage-2', validFrom: '2099-03-01', clauses: stage2Clauses });
}

export async function eventIds(db: Kysely<Database>): Promise<number[]> {
  return (await db.selectFrom('change_events').select('id').orderBy('id').execute()).map((r) => r.id);
}
