import { describe, expect, it } from 'vitest';
import { alignClauses, type AlignableClause } from '../../src/pipeline/align-clauses.js';
import { sha256 } from '../../src/pipeline/normalise-text.js';

const clause = (key: string, text: string): AlignableClause => ({ key, text, textHash: sha256(text) });

const v1 = [
  clause('section-1', 'This Act is about the well-being of people who need care and support and carers who need support.'),
  clause('section-2', 'A local authority must promote the involvement of persons for whom care and support is to be provided in the design and operation of that provision.'),
  clause('section-3', 'A local authority must promote social enterprises, co-operatives, user-led services and the third sector in its area.'),
  clause('section-4', 'The Welsh Ministers may by regulations make further provision about the assessment of needs.'),
];

function kinds(previous: AlignableClause[], next: AlignableClause[]) {
  return alignClauses(previous, next).map((p) => [p.kind, p.previous === null ? null : previous[p.previous]!.key, p.next === null ? null : next[p.next]!.key]);
}

describe('alignClauses', () => {
  it('pairs identical versions as unchanged', () => {
    expect(kinds(v1, v1).map((k) => k[0])).toEqual(['unchanged', 'unchanged', 'unchanged', 'unchanged']);
  });

  it('records renumbering after an insertion as moves, not removals and additions', () => {
    const inserted = clause('section-2', 'A local authority must publish a statement of how it will co-produce services with people and carers.');
    const v2 = [v1[0]!, inserted, { ...v1[1]!, key: 'section-3' }, { ...v1[2]!, key: 'section-4' }, { ...v1[3]!, key: 'section-5' }];
    expect(kinds(v1, v2)).toEqual([
      ['unchanged', 'section-1', 'section-1'],
      ['added', null, 'section-2'],
      ['moved', 'section-2', 'section-3'],
      ['moved', 'section-3', 'section-4'],
      ['moved', 'section-4', 'section-5'],
    ]);
  });

  it('recognises a clause that is both reworded and renumbered', () => {
    const reworded = clause('section-3', 'A local authority may promote the involvement of persons for whom care and support is to be provided in the design and operation of that provision.');
    const v2 = [v1[0]!, clause('section-2', 'An entirely new duty to report on well-being outcomes every year.'), reworded, { ...v1[2]!, key: 'section-4' }, { ...v1[3]!, key: 'section-5' }];
    const result = kinds(v1, v2);
    expect(result).toContainEqual(['reworded', 'section-2', 'section-3']);
    expect(result).toContainEqual(['added', null, 'section-2']);
    expect(result.filter((r) => r[0] === 'removed')).toEqual([]);
  });

  it('treats a wholly different text under the same key as removed + added', () => {
    const v2 = [v1[0]!, clause('section-2', 'Schedule 3 amends the Mental Health (Wales) Measure 2010 as to advocacy.'), v1[2]!, v1[3]!];
    const result = kinds(v1, v2);
    expect(result).toContainEqual(['added', null, 'section-2']);
    expect(result).toContainEqual(['removed', 'section-2', null]);
  });

  it('prefers the same key when two reworded candidates are equally similar', () => {
    const prev = [clause('a', 'The authority must consult carers about services.'), clause('b', 'The authority must consult carers about services.')];
    const next = [clause('b', 'The authority must consult carers about the services.')];
    expect(kinds(prev, next)).toContainEqual(['reworded', 'b', 'b']);
  });

  it('pairs a provision whose text became an omission under the same key as reworded, not removed + added', () => {
    const repealed = { ...clause('section-3', '. . . . . . .'), marks: '["repealed"]' };
    expect(kinds(v1, [v1[0]!, v1[1]!, repealed, v1[3]!])).toContainEqual(['reworded', 'section-3', 'section-3']);
    const dotsOnly = clause('section-3', '. . . .');
    expect(kinds(v1, [v1[0]!, v1[1]!, dotsOnly, v1[3]!]).map((k) => k[0])).toEqual(['unchanged', 'unchanged', 'reworded', 'unchanged']);
  });

  it('handles empty sides', () => {
    expect(kinds([], v1).every((k) => k[0] === 'added')).toBe(true);
    expect(kinds(v1, []).every((k) => k[0] === 'removed')).toBe(true);
  });
});
