import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { decoyHash, hashPassword, needsRehash, verifyPassword } from './passwords.js';

/** Sessions end 8 hours after the last request, and 7 days after sign-in whatever happens. */
export const SESSION_IDLE_MS = 8 * 60 * 60 * 1000;
export const SESSION_ABSOLUTE_MS = 7 * 24 * 60 * 60 * 1000;
/** last_seen_at is written at most this often, so browsing does not write on every request. */
const TOUCH_INTERVAL_MS = 5 * 60 * 1000;

export const usernamePattern = /^[a-z0-9][a-z0-9._-]{1,63}$/;

export class AccountError extends Error {}

export function normaliseUsername(raw: string): string {
  return raw.trim().toLowerCase();
}

/** Creates a reviewer account (or, with `replace`, sets a new password for an existing one). */
export async function createUser(db: Kysely<Database>, rawUsername: string, password: string, options: { replace?: boolean; now?: Date } = {}): Promise<'created' | 'updated'> {
  const username = normaliseUsername(rawUsername);
  if (!usernamePattern.test(username)) throw new AccountError('a username is 2–64 characters: lower-case letters, digits, dot, dash or underscore, starting with a letter or digit');
  const passwordHash = await hashPassword(password);
  const existing = await db.selectFrom('users').select('id').where('username', '=', username).executeTakeFirst();
  if (existing) {
    if (!options.replace) throw new AccountError(`a user called ${username} already exists`);
    await db.updateTable('users').set({ password_hash: passwordHash, disabled: 0 }).where('id', '=', existing.id).execute();
    await db.deleteFrom('sessions').where('user_id', '=', existing.id).execute();
    return 'updated';
  }
  await db.insertInto('users').values({ username, password_hash: passwordHash, created_at: (options.now ?? new Date()).toISOString() }).execute();
  return 'created';
}

/** The user if the password is right and the account enabled; always spends one password hash of time. */
export async function checkCredentials(db: Kysely<Database>, rawUsername: string, password: string): Promise<{ id: number; username: string } | null> {
  const username = normaliseUsername(rawUsername);
  const user = usernamePattern.test(username)
    ? await db.selectFrom('users').select(['id', 'username', 'password_hash', 'disabled']).where('username', '=', username).executeTakeFirst()
    : undefined;
  const ok = await verifyPassword(password, user?.password_hash ?? (await decoyHash()));
  if (!user || !ok || user.disabled !== 0) return null;
  if (needsRehash(user.password_hash)) {
    await db.updateTable('users').set({ password_hash: await hashPassword(password) }).where('id', '=', user.id).execute();
  }
  return { id: user.id, username: user.username };
}

export const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');

/** A new session: the token goes in the cookie, only its hash in the database. */
export async function createSession(db: Kysely<Database>, userId: number, now = new Date()): Promise<{ token: string; sessionId: string; expiresAt: Date }> {
  const token = randomBytes(32).toString('base64url');
  const sessionId = hashToken(token);
  const expiresAt = new Date(now.getTime() + SESSION_ABSOLUTE_MS);
  // Housekeeping where it is cheap and rare: sign-in.
  await db
    .deleteFrom('sessions')
    .where((eb) => eb.or([eb('expires_at', '<=', now.toISOString()), eb('last_seen_at', '<=', new Date(now.getTime() - SESSION_IDLE_MS).toISOString())]))
    .execute();
  await db.insertInto('sessions').values({ id: sessionId, user_id: userId, created_at: now.toISOString(), expires_at: expiresAt.toISOString(), last_seen_at: now.toISOString() }).execute();
  return { token, sessionId, expiresAt };
}

export interface LoadedSession {
  sessionId: string;
  userId: number;
  username: string;
  expiresAt: Date;
}

const tokenShape = /^[A-Za-z0-9_-]{43}$/;

/** The live session for a cookie token, or null (unknown, expired, idle too long, or the user disabled). */
export async function loadSession(db: Kysely<Database>, token: string, now = new Date()): Promise<LoadedSession | null> {
  if (!tokenShape.test(token)) return null;
  const sessionId = hashToken(token);
  const row = await db
    .selectFrom('sessions as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .select(['s.id', 's.user_id', 's.expires_at', 's.last_seen_at', 'u.username', 'u.disabled'])
    .where('s.id', '=', sessionId)
    .executeTakeFirst();
  if (!row) return null;
  const lastSeen = Date.parse(row.last_seen_at);
  if (row.disabled !== 0 || Date.parse(row.expires_at) <= now.getTime() || lastSeen + SESSION_IDLE_MS <= now.getTime()) {
    await db.deleteFrom('sessions').where('id', '=', sessionId).execute();
    return null;
  }
  if (now.getTime() - lastSeen >= TOUCH_INTERVAL_MS) {
    await db.updateTable('sessions').set({ last_seen_at: now.toISOString() }).where('id', '=', sessionId).execute();
  }
  return { sessionId, userId: row.user_id, username: row.username, expiresAt: new Date(row.expires_at) };
}

export async function deleteSession(db: Kysely<Database>, sessionId: string): Promise<void> {
  await db.deleteFrom('sessions').where('id', '=', sessionId).execute();
}
