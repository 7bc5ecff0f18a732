import { describe, expect, it } from 'vitest';
import { loadRules, matchClause } from '../../src/matcher/index.js';
import { familyTwins, twins } from './welsh-twins.js';

const rules = loadRules();

describe('Welsh twins get the same decision (issue 4 §3)', () => {
  it.each(twins)('$name', (twin) => {
    const en = matchClause(twin.en, rules);
    const cy = matchClause({ ...twin.cy, language: 'cy' }, rules);
    expect({ coproduction: en.coproduction, strength: en.strength }, `en: ${en.reasons.join(' | ')}`).toEqual({ coproduction: twin.coproduction, strength: twin.strength });
    expect({ coproduction: cy.coproduction, strength: cy.strength }, `cy: ${cy.reasons.join(' | ')}`).toEqual({ coproduction: en.coproduction, strength: en.strength });
  });
});

describe('every English rule family has a Welsh mirror (constructed pairs)', () => {
  it.each(familyTwins)('$name', (twin) => {
    const en = matchClause(twin.en, rules);
    const cy = matchClause({ ...twin.cy, language: 'cy' }, rules);
    expect({ coproduction: en.coproduction, strength: en.strength }, `en: ${en.reasons.join(' | ')}`).toEqual({ coproduction: twin.coproduction, strength: twin.strength });
    expect({ coproduction: cy.coproduction, strength: cy.strength, funding: cy.funding }, `cy: ${cy.reasons.join(' | ')}`).toEqual({ coproduction: en.coproduction, strength: en.strength, funding: en.funding });
  });
});
