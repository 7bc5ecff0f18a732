import { describe, expect, it } from 'vitest';
import { loadRules, matchClause, matchDocument } from '../../src/matcher/index.js';
import type { MatchInput } from '../../src/matcher/types.js';

const rules = loadRules();

describe('amounts: every sum is extracted, linked or not (taxonomy §8)', () => {
  it.each([
    { text: 'More than £27bn to support public services has been set out by the Welsh Government.', source: 'wired-gov £27bn draft budget (corpus statements/)', amount: 27e9, period: null, recipient: 'public services', additional: false },
    {
      text: 'We are pleased to confirm continued funding of over £10 million for the social care sector, through the Sustainable Social Services Third Sector and Key Third Sector Organisation Grants, in the 2026–27 financial year.',
      source: 'gov.wales node 73369 (corpus statements/)',
      amount: 10e6,
      period: '2026-27',
      recipient: 'the social care sector',
      additional: false,
    },
    { text: 'Stage 2 of the Draft Budget 2026-2027 sets out more than £800 million of additional funding compared to last year’s budget.', source: 'wired-gov detailed spending plans (corpus statements/)', amount: 800e6, period: null, recipient: null, additional: true },
    { text: 'The authority will provide £2.3m to the peer support network.', source: 'brief: £2.3m', amount: 2.3e6, period: null, recipient: 'the peer support network', additional: false },
    { text: 'Each panel member receives £500,000 a year in total across the programme.', source: 'brief: £500,000 a year', amount: 500000, period: 'per-year', recipient: null, additional: false },
    { text: 'The programme receives £1.2 billion over three years.', source: 'brief: £1.2 billion over three years', amount: 1.2e9, period: 'over three years', recipient: null, additional: false },
    { text: 'Ministers announced an additional £10 million for community-led services.', source: 'brief: an additional £10 million', amount: 10e6, period: null, recipient: 'community-led services', additional: true },
    { text: 'The Commission contributes €5 million to the scheme.', source: 'brief: €5 million', amount: 5e6, period: null, recipient: 'the scheme', additional: false },
    { text: 'Bydd £2 miliwn y flwyddyn ar gael.', source: 'Welsh: £2 miliwn y flwyddyn', amount: 2e6, period: 'per-year', recipient: null, additional: false },
  ])('$source', (row) => {
    const [first] = matchClause({ text: row.text }, rules).amounts;
    expect(first).toMatchObject({ amount: row.amount, period: row.period, recipient: row.recipient, additional: row.additional });
    expect(row.text.slice(first!.span.start, first!.span.end)).toBe(first!.span.text);
  });

  it('reads currencies and several amounts in one clause', () => {
    const result = matchClause({ text: 'Funding rises from £12.5m to £15m, and the EU adds €5 million and $2m.' }, rules);
    expect(result.amounts.map((a) => [a.amount, a.currency])).toEqual([
      [12.5e6, 'GBP'],
      [15e6, 'GBP'],
      [5e6, 'EUR'],
      [2e6, 'USD'],
    ]);
  });

  it('does not read bare numbers of people as money', () => {
    expect(matchClause({ text: 'Around 2 million people provide unpaid care.' }, rules).amounts).toEqual([]);
  });
});

describe('funding: money attached to the co-production content (taxonomy §8)', () => {
  it.each([
    {
      name: 'a sum for participatory budgeting → F3',
      source: 'taxonomy §8 (safercommunitiesscotland: additional funding to support participatory budgeting)',
      input: { text: 'An additional £2 million will support participatory budgeting so that communities decide how money is spent in their area.', documentKind: 'statement' },
      funding: true,
      tier: 3,
    },
    {
      name: 'a named fund for participatory budgeting → F2',
      source: 'taxonomy §8 (Community Choices Fund)',
      input: { text: 'The Community Choices Fund supports communities to use participatory budgeting in their area.', documentKind: 'statement' },
      funding: true,
      tier: 2,
    },
    {
      name: 'involvement payments → F2',
      source: 'taxonomy §8 (NHS England PPV partner involvement payments)',
      input: { text: 'Patient and public voice partners are equal partners in the programme and may claim involvement payments for their time.', documentKind: 'guidance' },
      funding: true,
      tier: 2,
    },
    {
      name: 'a co-production body "receives funding" → F1',
      source: 'taxonomy §8 tier F1 (Co-production Network for Wales funding)',
      input: { text: 'The Co-production Network for Wales receives funding to support public bodies to co-produce services with citizens.', documentKind: 'statement' },
      funding: true,
      tier: 1,
    },
    {
      name: 'public money whose allocation is handed to citizens: "where money goes" → F1',
      source: 'taxonomy §8 ("public money whose allocation is handed to citizens"); Active Belfast PB page (matcher-blind-batch-4, fresh4a-mlbt-active-belfast-directly-involved)',
      input: { text: 'Local people will be directly involved in making decisions about where money goes within their community.', documentKind: 'other' },
      funding: true,
      tier: 1,
    },
    {
      name: '"grant planning permission" is a power, not money',
      source: 'Lexology on neighbourhood plans (matcher-blind-batch-4, fresh4a-lexology-majority-grant)',
      input: { text: "Neighbourhood Plans are intended to become the foundations of the planning system 'where communities have the power to grant planning permission if a local majority are in favour’.", documentKind: 'other' },
      funding: false,
      tier: 0,
    },
    {
      name: 'an award that recognises good practice is a prize, not money',
      source: 'Patient Client Council NI Excellence in Co-Production award (matcher-blind-batch-3, fresh3b-pcc-award)',
      input: { text: 'The Excellence in Co-Production award recognises and celebrates the best examples of Health and Social Care staff and the public working together to plan, design and deliver services.', documentKind: 'other' },
      funding: false,
      tier: 0,
    },
    {
      name: 'within existing resources → near miss',
      source: 'taxonomy §8 near misses',
      input: { text: 'Co-production with people who use services will be funded within existing resources.', documentKind: 'statement' },
      funding: false,
      tier: 0,
    },
    {
      name: '"better use of public money" is a cost-effectiveness claim → near miss',
      source: 'taxonomy §8 near misses ("cost-effectiveness claims"); demo archive, Adult Social Care: Co-production Framework',
      input: { text: 'Services co-produced with the people who use them are more effective and make better use of public money.', documentKind: 'guidance' },
      funding: false,
      tier: 0,
    },
    {
      name: 'savings target → near miss',
      source: 'taxonomy §8 near misses ("we have to save £Xm")',
      input: { text: 'We have to save £5m this year, so services will be co-produced with communities.', documentKind: 'statement' },
      funding: false,
      tier: 0,
    },
    {
      name: 'general third-sector grants are not co-production money',
      source: 'gov.wales node 73369 (corpus statements/)',
      input: { text: 'We are pleased to confirm continued funding of over £10 million for the social care sector, through the Sustainable Social Services Third Sector and Key Third Sector Organisation Grants, in the 2026–27 financial year.', documentKind: 'statement' },
      funding: false,
      tier: 0,
    },
    {
      name: 'pooled budgets between agencies',
      source: 'SSWWA s.167 style (taxonomy §8 near misses)',
      input: { text: 'A local authority and a Local Health Board may establish pooled funds for partnership arrangements to support co-production with carers.', documentKind: 'act' },
      funding: false,
      tier: 0,
    },
  ] satisfies { name: string; source: string; input: MatchInput; funding: boolean; tier: number }[])('$name', (row) => {
    const result = matchClause(row.input, rules);
    expect(result.coproduction, result.reasons.join(' | ')).toBe(row.name.includes('third-sector') ? false : true);
    expect({ funding: result.funding, tier: result.fundingTier }, result.reasons.join(' | ')).toEqual({ funding: row.funding, tier: row.tier });
  });

  it('is false, with the amounts still listed, when the clause is not co-production', () => {
    const result = matchClause({ text: 'More than £27bn to support public services has been set out by the Welsh Government.', documentKind: 'budget' }, rules);
    expect(result).toMatchObject({ coproduction: false, funding: false, fundingTier: 0 });
    expect(result.amounts).toHaveLength(1);
  });
});

describe('matchDocument: funding linked across neighbours', () => {
  const commitment: MatchInput = { text: 'We will co-produce the new carers strategy with carers and the organisations that represent them.', documentKind: 'statement', heading: 'Carers' };
  const money: MatchInput = { text: 'We are providing £1.5 million over three years to support this work.', documentKind: 'statement', heading: 'Carers' };

  it('gives the commitment the funding of the next clause that refers back to it', () => {
    const [a, b] = matchDocument([commitment, money], rules);
    expect(a).toMatchObject({ coproduction: true, funding: true, fundingTier: 3, amounts: [] });
    expect(a!.reasons.join(' | ')).toContain('funding linked from next clause');
    expect(b).toMatchObject({ coproduction: false, funding: false });
    expect(b!.amounts[0]).toMatchObject({ amount: 1.5e6, period: 'over three years' });
  });

  it('links from the previous clause too', () => {
    const [, a] = matchDocument([money, commitment], rules);
    expect(a).toMatchObject({ funding: true, fundingTier: 3 });
  });

  it('does not link across sections, or from money that does not refer back, or from near misses', () => {
    expect(matchDocument([commitment, { ...money, heading: 'Budget' }], rules)[0]!.funding).toBe(false);
    expect(matchDocument([commitment, { ...money, text: 'The health department receives £12.5 million.' }], rules)[0]!.funding).toBe(false);
    expect(matchDocument([commitment, { ...money, text: 'This work will be delivered within existing resources and funding.' }], rules)[0]!.funding).toBe(false);
  });

  it('matches every clause like matchClause otherwise', () => {
    const inputs = [commitment, money, { text: 'A film is an official co-production.' }];
    const viaDocument = matchDocument(inputs, rules);
    inputs.forEach((input, i) => {
      const alone = matchClause(input, rules);
      expect({ ...viaDocument[i], funding: alone.funding, fundingTier: alone.fundingTier, reasons: alone.reasons }).toEqual(alone);
    });
  });
});

describe('a money clause is read with its heading (taxonomy §8, §9.7)', () => {
  it('takes the co-production vehicle from a participatory budgeting heading', () => {
    const result = matchClause({ text: '£1.5 million of the fund is available in two categories of £750,000 each.', heading: 'Community Choices Fund to support participatory budgeting', documentKind: 'guidance' }, rules);
    expect({ coproduction: result.coproduction, funding: result.funding, tier: result.fundingTier }, result.reasons.join(' | ')).toEqual({ coproduction: true, funding: true, tier: 3 });
    expect(result.reasons.join(' | ')).toContain('money clause read with its heading');
  });

  it('does not under a heading without co-production content, nor for a clause without an amount', () => {
    expect(matchClause({ text: '£1.5 million of the fund is available in two categories.', heading: 'Local business fund', documentKind: 'guidance' }, rules).coproduction).toBe(false);
    expect(matchClause({ text: 'The fund is open in two categories.', heading: 'Participatory budgeting', documentKind: 'guidance' }, rules).coproduction).toBe(false);
  });

  it('counts compensation for involvement as a payment scheme (§8 involvement payments)', () => {
    const result = matchClause({ text: 'The policy sets out how we support patients and carers to be involved in the design of services by providing compensation for involvement.', documentKind: 'guidance' }, rules);
    expect({ coproduction: result.coproduction, funding: result.funding, tier: result.fundingTier }, result.reasons.join(' | ')).toEqual({ coproduction: true, funding: true, tier: 2 });
  });
});

