/** The sentence a hostile clause hides, so a test can check it is still found. */
export const HOSTILE_SENTENCE = 'The local authority must co-produce the plan with people who use care and support and their carers.';

/**
 * 50,000 characters built to hurt regex scanners: runs of "co-" fragments, spaces, hyphens, digits and
 * £ signs, deeply nested parentheses, repeated near-miss words and composition parts split across sentences, with one
 * real sentence inside.
 */
export function hostileClause(length = 50_000): string {
  const parts = [
    'co-'.repeat(4000),
    ' '.repeat(5000),
    '-'.repeat(5000),
    '1234567890'.repeat(500),
    '£'.repeat(3000),
    '('.repeat(2000) + 'co-production' + ')'.repeat(2000),
    HOSTILE_SENTENCE,
    '£1,000,000,'.repeat(300),
    'involve '.repeat(500),
    // Roles, objects and people packed densely but never in one sentence: the worst case for compositions.
    'involve; design; people; '.repeat(400),
    'co co- co-op co-operat '.repeat(150),
  ];
  return (parts.join(' ') + ' x'.repeat(length)).slice(0, length);
}
