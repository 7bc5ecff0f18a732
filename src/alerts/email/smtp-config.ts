import { z } from 'zod';

/**
 * Outgoing mail settings, from the environment:
 *
 * | variable | meaning | default |
 * |---|---|---|
 * | `SMTP_HOST` | the relay; unset = email alerts are off (the pages say so and offer the Atom feeds) | — |
 * | `SMTP_PORT` | port | 587 (465 when `SMTP_SECURE=1`) |
 * | `SMTP_SECURE` | `1`: TLS from the start (port 465); `0`: plain, upgraded by STARTTLS when offered | 0 |
 * | `SMTP_USER`, `SMTP_PASSWORD` | AUTH credentials, both or neither | none |
 * | `MAIL_FROM` | the From address, e.g. `Co-production tracker <alerts@example.org>` | required with SMTP_HOST |
 */
export interface SmtpConfig {
  host: string;
  port: number;
  secure: boolean;
  auth: { user: string; pass: string } | undefined;
  from: string;
}

const flag = z.enum(['0', '1', 'true', 'false'], { error: 'SMTP_SECURE must be 1 or 0' }).transform((v) => v === '1' || v === 'true');

const schema = z
  .object({
    SMTP_HOST: z.string().trim().min(1, { error: 'SMTP_HOST must be a host name' }),
    SMTP_PORT: z.coerce
      .number({ error: 'SMTP_PORT must be a port number' })
      .int({ error: 'SMTP_PORT must be a port number' })
      .min(1, { error: 'SMTP_PORT must be between 1 and 65535' })
      .max(65535, { error: 'SMTP_PORT must be between 1 and 65535' })
      .optional(),
    SMTP_SECURE: flag.optional(),
    SMTP_USER: z.string().min(1).optional(),
    SMTP_PASSWORD: z.string().min(1).optional(),
    MAIL_FROM: z
      .string({ error: 'MAIL_FROM is required with SMTP_HOST (e.g. "Co-production tracker <alerts@example.org>")' })
      .trim()
      .regex(/^(?:[^<>\r\n]*<[^\s<>@]+@[^\s<>@]+>|[^\s<>@]+@[^\s<>@]+)$/, { error: 'MAIL_FROM must be an address, e.g. "Co-production tracker <alerts@example.org>"' }),
  })
  .refine((v) => (v.SMTP_USER === undefined) === (v.SMTP_PASSWORD === undefined), { error: 'SMTP_USER and SMTP_PASSWORD go together: set both or neither' });

/** Whether email alerts are configured at all (SMTP_HOST set). */
export function smtpConfigured(env: NodeJS.ProcessEnv = process.env): boolean {
  return typeof env.SMTP_HOST === 'string' && env.SMTP_HOST.trim() !== '';
}

/** The settings, or an Error listing every problem ("SMTP settings: SMTP_PORT must be a port number; …"). */
export function loadSmtpConfig(env: NodeJS.ProcessEnv = process.env): SmtpConfig {
  const raw = Object.fromEntries(
    ['SMTP_HOST', 'SMTP_PORT', 'SMTP_SECURE', 'SMTP_USER', 'SMTP_PASSWORD', 'MAIL_FROM'].map((name) => [name, env[name] === '' ? undefined : env[name]]),
  );
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => (i.path.length > 0 && !i.message.includes(String(i.path[0])) ? `${String(i.path[0])}: ${i.message}` : i.message));
    throw new Error(`SMTP settings: ${problems.join('; ')}`);
  }
  const v = parsed.data;
  const secure = v.SMTP_SECURE ?? false;
  return {
    host: v.SMTP_HOST,
    port: v.SMTP_PORT ?? (secure ? 465 : 587),
    secure,
    auth: v.SMTP_USER !== undefined && v.SMTP_PASSWORD !== undefined ? { user: v.SMTP_USER, pass: v.SMTP_PASSWORD } : undefined,
    from: v.MAIL_FROM,
  };
}
