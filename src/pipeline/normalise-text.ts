import { createHash } from 'node:crypto';

/**
 * The text we store and hash. Sources re-wrap lines, swap non-breaking spaces and insert zero-width
 * characters between republications; none of that is a change in the law, so none of it may change a hash.
 */
export function normaliseText(text: string): string {
  return text
    .normalize('NFC')
    .replace(/[\u200B-\u200D\uFEFF\u00AD]/g, '')
    .replace(/[\s\u00A0\u2000-\u200A\u202F\u205F\u3000]+/g, ' ')
    .trim();
}

export function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
