import { ALERT_EVENT_TYPES, type AlertEventType } from '../channel.js';
import type { SubscriptionTarget } from '../subscription-targets.js';
import { canonicalQuery, readTargetQuery, targetParamNames } from '../../web/alert-target-query.js';
import { frequencies, type Frequency } from './subscriber-subscriptions.js';

/**
 * What to follow, from the query string of /alerts and the hidden fields of its form: the target parameters
 * of src/web/alert-target-query.ts (`search=<a /search query string>` or `q=<words>`, `document=`, `clause=`,
 * `principle=[&jurisdiction=]`, optional `types=`), the same as the Atom feed `/alerts/feed.atom?…` takes.
 */
export type TargetChoice =
  | { kind: 'none' }
  | { kind: 'error'; message: string }
  /** `query`: the canonical target parameters (without types), for hidden fields and "sign up again" links. */
  | { kind: 'ok'; target: SubscriptionTarget; eventTypes: AlertEventType[]; query: Record<string, string> };

const one = (value: unknown): string | undefined => (typeof value === 'string' ? value : Array.isArray(value) && typeof value[0] === 'string' ? value[0] : undefined);

/** The parameters that name what is followed (the others refine it). */
const targetNames = ['search', 'q', 'document', 'clause', 'principle'];

export function targetFromParams(params: Record<string, unknown>): TargetChoice {
  const picked: Record<string, unknown> = {};
  for (const name of targetParamNames) if (params[name] !== undefined) picked[name] = params[name];
  if (targetNames.every((name) => typeof picked[name] !== 'string' || picked[name].trim() === '') && !targetNames.some((name) => Array.isArray(picked[name]))) {
    return { kind: 'none' };
  }
  const read = readTargetQuery(picked);
  if (!read.ok) return { kind: 'error', message: read.message };
  const { target, eventTypes } = read.value;
  return { kind: 'ok', target, eventTypes, query: Object.fromEntries(new URLSearchParams(canonicalQuery(target, ALERT_EVENT_TYPES))) };
}

export interface SubscribeChoices {
  email: string;
  eventTypes: AlertEventType[];
  frequency: Frequency;
  language: 'en' | 'cy';
}

export interface FieldError {
  field: string;
  message: string;
}

/** A plain address check: something@something.tld, no spaces or angle brackets, at most 254 characters. */
const emailShape = /^[^\s@<>()",;:\\[\]]+@[^\s@<>()",;:\\[\]]+\.[^\s@<>()",;:\\[\]]+$/;

const list = (value: unknown): string[] => (typeof value === 'string' ? [value] : Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);

/** The kinds of change, frequency and language of a form post (shared by subscribe and manage). */
export function readChoices(body: Record<string, unknown>, errors: FieldError[]): Omit<SubscribeChoices, 'email'> {
  const types = list(body.types);
  const eventTypes = ALERT_EVENT_TYPES.filter((t) => types.includes(t));
  if (eventTypes.length === 0) errors.push({ field: 'types', message: 'Choose at least one kind of change' });
  const frequencyRaw = one(body.frequency);
  const frequency = (frequencies as readonly string[]).includes(frequencyRaw ?? '') ? (frequencyRaw as Frequency) : 'daily';
  if (frequencyRaw !== undefined && frequency !== frequencyRaw) errors.push({ field: 'frequency', message: 'Choose how often: as it happens, daily or weekly' });
  const language = one(body.language) === 'cy' ? 'cy' : 'en';
  return { eventTypes, frequency, language };
}

export function readSubscribeBody(body: Record<string, unknown>): { choices: SubscribeChoices; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const email = (one(body.email) ?? '').trim();
  if (email === '') errors.push({ field: 'email', message: 'Enter your email address' });
  else if (email.length > 254 || !emailShape.test(email)) errors.push({ field: 'email', message: 'Enter an email address in the form name@example.org' });
  return { choices: { email, ...readChoices(body, errors) }, errors };
}
