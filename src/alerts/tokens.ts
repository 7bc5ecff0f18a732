import { createHash, createHmac, randomBytes } from 'node:crypto';

/** A confirmation link is good for 48 hours, once. */
export const CONFIRM_TOKEN_TTL_MS = 48 * 60 * 60 * 1000;

/** SHA-256 hex of a token: the only form a token is stored in. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export interface ConfirmToken {
  /** 32 random bytes, base64url: goes in the mail, never stored. */
  token: string;
  /** SHA-256 hex: subscriptions.confirm_token_hash. */
  hash: string;
  /** ISO timestamp: subscriptions.confirm_expires_at. */
  expiresAt: string;
}

export function newConfirmToken(now: Date = new Date()): ConfirmToken {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashToken(token), expiresAt: new Date(now.getTime() + CONFIRM_TOKEN_TTL_MS).toISOString() };
}

/**
 * The manage/unsubscribe token of a subscription: HMAC-SHA256(secret, `manage:<id>`), base64url. Derived,
 * not random, so the dispatcher can put the link in every message without storing the token; only its
 * hash is stored (subscriptions.manage_token_hash). Changing the secret breaks the links in old mails.
 */
export function manageTokenFor(secret: string, subscriptionId: number): string {
  return createHmac('sha256', secret).update(`manage:${subscriptionId}`, 'utf8').digest('base64url');
}

/** A token from a URL looks like base64url of 32 bytes (43 characters); anything else is not looked up. */
export function isTokenShaped(value: string): boolean {
  return /^[A-Za-z0-9_-]{43}$/.test(value);
}

let fallbackSecret: string | undefined;

/**
 * The key for manage tokens: SESSION_SECRET (start-command fills it from DATA_DIR/session-secret, and
 * `alerts dispatch` must do the same so its links match the web's). Without it, one random key per
 * process — fine for tests, wrong for production, where web and dispatcher must share the key.
 */
export function alertsSecret(env: NodeJS.ProcessEnv = process.env): string {
  const configured = env.SESSION_SECRET;
  if (configured) return configured;
  return (fallbackSecret ??= randomBytes(32).toString('base64url'));
}
