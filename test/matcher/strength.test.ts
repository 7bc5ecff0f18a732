import { describe, expect, it } from 'vitest';
import { loadRules, matchClause } from '../../src/matcher/index.js';
import type { MatchInput } from '../../src/matcher/types.js';
import type { Strength } from '../../src/domain/strength.js';

const rules = loadRules();

/**
 * Strength (taxonomy §7) on co-production clauses. The co-production content is held fixed (the SSWWA
 * s.16(1)(c) involvement limb, or its Welsh text) and the modal, qualifier, lead-in or document kind varies,
 * so each row pins one precedence rule.
 */
const S16C_EN = 'the involvement of persons for whom care and support or preventative services are to be provided in the design and operation of that provision';
const S16C_CY = 'ymglymiad personau y mae gofal a chymorth neu wasanaethau ataliol i’w darparu ar eu cyfer yn y broses o ddylunio a gweithredu’r ddarpariaeth honno';

const rows: { name: string; source: string; input: MatchInput; strength: Strength; ambiguous?: boolean }[] = [
  { name: 'must (act) → duty', source: 'SSWWA s.16(1)(c) as enacted', input: { text: `A local authority must promote ${S16C_EN}.`, documentKind: 'act' }, strength: 'duty' },
  { name: 'rhaid (Welsh act) → duty', source: 'SSWWA a.16(1)(c), Welsh', input: { text: `Rhaid i awdurdod lleol hyrwyddo ${S16C_CY}.`, documentKind: 'act', language: 'cy' }, strength: 'duty' },
  { name: 'may → power', source: 's.16(1)(c) limb under a power', input: { text: `A local authority may promote ${S16C_EN}.`, documentKind: 'act' }, strength: 'power' },
  { name: 'caiff (Welsh) → power', source: 'a.16(1)(c) limb under caiff', input: { text: `Caiff awdurdod lleol hyrwyddo ${S16C_CY}.`, documentKind: 'act', language: 'cy' }, strength: 'power' },
  { name: 'should in a code → guidance', source: 'Part 2 Code style guideline (taxonomy §2.6: guidelines are "should")', input: { text: `Local authorities should promote ${S16C_EN}.`, documentKind: 'code', jurisdiction: 'wales' }, strength: 'guidance' },
  { name: 'dylai in a Welsh code → guidance', source: 'Part 2 Code style guideline, Welsh', input: { text: `Dylai awdurdodau lleol hyrwyddo ${S16C_CY}.`, documentKind: 'code', language: 'cy' }, strength: 'guidance' },
  { name: 'must in a Welsh code is a requirement → duty', source: 'Part 3 code preamble: requirements are "must" (taxonomy §2.6, §7.3)', input: { text: `Local authorities must promote ${S16C_EN}.`, documentKind: 'code', jurisdiction: 'wales' }, strength: 'duty' },
  { name: 'must in English guidance is capped → guidance', source: 'taxonomy §7.3 guidance cap', input: { text: `Local authorities must promote ${S16C_EN}.`, documentKind: 'guidance', jurisdiction: 'england' }, strength: 'guidance' },
  { name: 'guidance restating a statutory duty → duty, ambiguous', source: 'taxonomy §7.3 exception', input: { text: `Under section 16 of the Act local authorities must promote ${S16C_EN}.`, documentKind: 'guidance' }, strength: 'duty', ambiguous: true },
  { name: 'will in a statement → aspiration', source: 'Welsh Government written statements (corpus statements/)', input: { text: `We will promote ${S16C_EN}.`, documentKind: 'statement' }, strength: 'aspiration' },
  { name: 'byddwn (Welsh statement) → aspiration', source: 'Welsh written statement style', input: { text: `Byddwn yn hyrwyddo ${S16C_CY}.`, documentKind: 'statement', language: 'cy' }, strength: 'aspiration' },
  { name: 'must in a statement is capped → aspiration', source: 'taxonomy §7.3 statement cap', input: { text: `Local authorities must promote ${S16C_EN}.`, documentKind: 'statement' }, strength: 'aspiration' },
  { name: 'must have regard to → qualified_duty', source: 'taxonomy §7.2', input: { text: `A local authority must have regard to ${S16C_EN}.`, documentKind: 'act' }, strength: 'qualified_duty' },
  { name: 'rhoi sylw i (Welsh) → qualified_duty', source: 'taxonomy §7.2, Welsh "rhoi sylw i"', input: { text: `Rhaid i awdurdod lleol roi sylw i ${S16C_CY}.`, documentKind: 'act', language: 'cy' }, strength: 'qualified_duty' },
  { name: 'so far as reasonably practicable → qualified_duty', source: 'taxonomy §7.2', input: { text: `A local authority must, so far as reasonably practicable, promote ${S16C_EN}.`, documentKind: 'act' }, strength: 'qualified_duty' },
  { name: 'list item inherits a "should:" lead-in', source: 'taxonomy §7.4 ("Services should: …")', input: { text: `${S16C_EN};`, leadIn: 'Local authorities should:', documentKind: 'guidance' }, strength: 'guidance' },
  { name: 'list item inherits a qualified lead-in', source: 'Care Act s.1(3) lead-in style (taxonomy §7 qualified_duty note)', input: { text: `(c) ${S16C_EN};`, leadIn: 'A local authority must have regard to the following—', documentKind: 'act' }, strength: 'qualified_duty' },
  { name: 'negated commitment → none', source: 'taxonomy §7.5 (guidance whose principles require no particular action)', input: { text: `Nothing in this guidance requires a local authority to secure ${S16C_EN}.`, documentKind: 'guidance' }, strength: 'none' },
  { name: 'governing modal, not the strongest: "must publish … and may promote"', source: 'taxonomy §7.1 precedence', input: { text: `A local authority must publish its annual report and may promote ${S16C_EN}.`, documentKind: 'act' }, strength: 'power' },
  { name: '"it is of paramount importance that" → aspiration', source: 'taxonomy §7 aspiration ("it is important that")', input: { text: `It is of paramount importance that we secure ${S16C_EN}.`, documentKind: 'other' }, strength: 'aspiration' },
  { name: 'a modal inside a reported principle governs nothing → none', source: 'taxonomy §7 none row (descriptions), §7.1', input: { text: `The programme supports the principle that people should have ${S16C_EN}.`, documentKind: 'other' }, strength: 'none' },
  { name: 'a modal in "as the Ministers may direct" does not govern → duty', source: 'taxonomy §7.1 (governing modal)', input: { text: `A local authority must, by such time as the Welsh Ministers may direct, promote ${S16C_EN}.`, documentKind: 'act' }, strength: 'duty' },
  { name: 'item of a "General principles" section → qualified_duty', source: 'taxonomy §7 qualified_duty note (SDS Act s.1(1) have-regard lead-in)', input: { text: `(b) ${S16C_EN};`, leadIn: 'A local authority must secure—', heading: 'General principles', documentKind: 'act' }, strength: 'qualified_duty' },
  { name: 'statement without a modal or stance → none (a description: no document kind has a default strength)', source: 'taxonomy §7 none row; measured on three labellers\' batches (DESIGN.md)', input: { text: `Welsh Ministers have a clear view: ${S16C_EN}.`, documentKind: 'statement' }, strength: 'none' },
  { name: 'a minister\'s "I believe" is an aspiration', source: 'taxonomy §7 aspiration (ministerial stance)', input: { text: `I believe the Bill secures ${S16C_EN}.`, documentKind: 'statement' }, strength: 'aspiration' },
  { name: 'a third party restating a duty commits no one → none', source: 'taxonomy §7 none row ("section 16 places a duty…"); explainer pages (document kind other)', input: { text: `Local authorities must promote ${S16C_EN}.`, documentKind: 'other' }, strength: 'none' },
  { name: 'a third party predicting what others will do → none', source: 'taxonomy §7 none row (predictive "will" in third-party explainers)', input: { text: `The council will promote ${S16C_EN}.`, documentKind: 'other' }, strength: 'none' },
  { name: 'a third party\'s recommendation → none', source: 'taxonomy §7 none row (recommendations by non-government bodies)', input: { text: `Councils should promote ${S16C_EN}.`, documentKind: 'other' }, strength: 'none' },
  { name: 'a third party\'s own commitment → aspiration', source: 'taxonomy §7 aspiration row ("is committed to"); a trust\'s involvement policy', input: { text: `The trust is committed to promoting ${S16C_EN}.`, documentKind: 'other' }, strength: 'aspiration' },
  { name: 'a third party\'s list item under its own commitment → aspiration', source: 'taxonomy §7.4 with the aspiration row', input: { text: `${S16C_EN};`, leadIn: 'We have made a commitment to:', documentKind: 'other' }, strength: 'aspiration' },
  { name: 'a third party\'s own commitment, disclaimed → none', source: 'taxonomy §7.5 with the aspiration row', input: { text: `We are committed to the principle, but it does not require anyone to secure ${S16C_EN}.`, documentKind: 'other' }, strength: 'none' },
  { name: 'ein huchelgais (Welsh third party\'s own ambition) → aspiration', source: 'taxonomy §7 aspiration row ("our ambition"), Welsh', input: { text: `Ein huchelgais yw ${S16C_CY}.`, documentKind: 'other', language: 'cy' }, strength: 'aspiration' },
  { name: 'a minister\'s "I strongly believe" is an aspiration', source: 'taxonomy §7 aspiration (ministerial stance); Welsh written statement style', input: { text: `I strongly believe that we must secure ${S16C_EN}.`, documentKind: 'statement' }, strength: 'aspiration' },
  { name: '"I want to agree with the Member" moves a debate on and commits to nothing → none', source: 'taxonomy §7.1 (governing modal); Senedd Record of Proceedings style', input: { text: `I want to agree with what the Member has said about ${S16C_EN}.`, documentKind: 'statement' }, strength: 'none' },
  { name: '"our commitments to" in a statement → aspiration', source: 'taxonomy §7 aspiration ("commit to")', input: { text: `The plan contains our commitments to ${S16C_EN}.`, documentKind: 'statement' }, strength: 'aspiration' },
  { name: '"its commitment to", described → none', source: 'taxonomy §7 none row (descriptions)', input: { text: `The policy sets out how the board meets its commitment to ${S16C_EN}.`, documentKind: 'statement' }, strength: 'none' },
  { name: 'explanatory notes create no commitment', source: 'taxonomy §7 none (explanatory notes)', input: { text: `Section 16 requires a local authority to promote ${S16C_EN}.`, documentKind: 'other', heading: 'Explanatory Notes — Part 2' }, strength: 'none' },
];

describe('strength (taxonomy §7)', () => {
  it.each(rows)('$name', (row) => {
    const result = matchClause(row.input, rules);
    expect(result.coproduction, result.reasons.join(' | ')).toBe(true);
    expect(result.strength, result.reasons.join(' | ')).toBe(row.strength);
    if (row.ambiguous !== undefined) expect(result.ambiguous).toBe(row.ambiguous);
  });

  it('is none whenever co-production is false, whatever the modal', () => {
    const result = matchClause({ text: 'The authority must consult such persons as it considers appropriate and have regard to any representations made.', documentKind: 'act' }, rules);
    expect(result).toMatchObject({ coproduction: false, strength: 'none' });
    expect(result.principles.map((p) => p.id)).toEqual(['consultation_engagement']);
  });
});

describe('imperatives (taxonomy §7)', () => {
  it('read an action written as an imperative as an aspiration, as guidance in guidance, and as nothing in a third party\'s words', () => {
    const text = '1. Ensure a local Carers Strategy is co-produced with carers and carried out.';
    expect(matchClause({ text, documentKind: 'statement' }).strength).toBe('aspiration');
    expect(matchClause({ text, documentKind: 'guidance' }).strength).toBe('guidance');
    // A network's or charity's "Value people…" recommends; it commits no one (§7 none row). Six of seven such
    // items in the labelled batches say none.
    expect(matchClause({ text, documentKind: 'other' }).strength).toBe('none');
    // Only at the start of the clause: "we ensure" mid-sentence is a report, not an instruction.
    expect(matchClause({ text: 'In our area we ensure that carers co-produce the strategy.', documentKind: 'other' }).strength).toBe('none');
  });
});
