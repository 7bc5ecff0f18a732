import { describe, expect, it } from 'vitest';
import type { ScrapedDocument } from '../../src/domain/scraped-document.js';
import { parseClml } from './clml.page.js';
import type { ProvisionFacts, UnappliedEffect } from './clml-provisions.js';
import { readCorpus, readFixture, skipCorpus } from './test-corpus.js';

const fetchedAt = new Date('2026-11-25T12:00:00Z');
const doc = (xml: string, url: string): ScrapedDocument => {
  const [only] = parseClml(xml, url, fetchedAt);
  expect(only).toBeDefined();
  return only as ScrapedDocument;
};
const provisions = (d: ScrapedDocument) => d.metadata?.provisions as Record<string, ProvisionFacts>;
const effects = (d: ScrapedDocument) => d.metadata?.unappliedEffects as UnappliedEffect[];

describe('per-provision metadata on the fixtures', () => {
  const en = () => doc(readFixture('anaw-2099-7-revised-en.xml'), 'https://www.legislation.gov.uk/anaw/2099/7/data.xml');
  const cy = () => doc(readFixture('anaw-2099-7-revised-cy.xml'), 'https://www.legislation.gov.uk/anaw/2099/7/welsh/data.xml');

  it('keeps extent and dates set on a provision, status, and commencement note text', () => {
    expect(provisions(en())).toEqual({
      'section-1': { commencement: ['S. 1 in force at 1.4.2099.'] },
      'section-2': { unappliedEffects: 1 },
      'section-3': { status: 'Prospective' },
      'schedule-1-paragraph-1': { extent: 'W', restrictStartDate: '2100-04-01' },
    });
    expect(provisions(cy())['section-1']).toEqual({ commencement: ['A. 1 mewn grym ar 1.4.2099.'] });
  });

  it('lists unapplied effects with the affecting work, in-force dates and Welsh application', () => {
    expect(effects(en())).toEqual([
      {
        type: 'words substituted',
        affectedProvisions: 's. 2',
        affectedKeys: ['section-2'],
        affectingTitle: 'The Partnership Boards (Grants) (Wales) Regulations 2100',
        affectingUri: 'http://www.legislation.gov.uk/id/wsi/2100/50',
        affectingYear: 2100,
        affectingNumber: '50',
        affectingProvisions: 'reg. 3',
        inForce: [{ date: '2100-05-01', applied: false, welshApplied: false, prospective: false, qualification: 'wholly in force' }],
        requiresApplied: true,
        requiresWelshApplied: true,
        welshPending: true,
      },
    ]);
    expect(en().metadata).toMatchObject({ unappliedEffectCount: 1, welshLags: true, welshLagProvisions: ['section-2'] });
    expect(cy().metadata).toMatchObject({ welshLags: true, welshLagProvisions: ['a. 2'] });
  });

  it('keeps the status marks alongside (repealed, prospective, inserted, omitted)', () => {
    const marks = Object.fromEntries(en().clauses.filter((c) => c.marks).map((c) => [c.key, c.marks]));
    expect(marks).toEqual({
      'section-1-2A': ['inserted'],
      'section-1-3': ['omitted', 'repealed'],
      'section-2': ['amended'],
      'section-3-1': ['prospective'],
    });
  });
});

describe('English and Welsh expressions of the same text', () => {
  it.each([
    ['enacted', 'anaw-2099-7-enacted-en.xml', 'anaw-2099-7-enacted-cy.xml', 'enacted/', 'http://www.legislation.gov.uk/anaw/2099/7/enacted/welsh', 14],
    ['revised', 'anaw-2099-7-revised-en.xml', 'anaw-2099-7-revised-cy.xml', '', 'http://www.legislation.gov.uk/anaw/2099/7/welsh', 15],
  ])('%s: same nativeId, identical key sets, each naming the other language', (label, enFile, cyFile, segment, welshUrl, count) => {
    const en = doc(readFixture(enFile), `https://www.legislation.gov.uk/anaw/2099/7/${segment}data.xml`);
    const cy = doc(readFixture(cyFile), `https://www.legislation.gov.uk/anaw/2099/7/${segment}welsh/data.xml`);
    expect([en.version.label, cy.version.label]).toEqual([label, label]);
    expect([en.version.language, cy.version.language]).toEqual(['en', 'cy']);
    expect(cy.nativeId).toBe(en.nativeId);
    expect(en.clauses).toHaveLength(count);
    expect(new Set(cy.clauses.map((c) => c.key))).toEqual(new Set(en.clauses.map((c) => c.key)));
    expect(en.metadata).toMatchObject({ alternateLanguage: 'cy', alternateLanguageUrl: welshUrl });
    expect(cy.metadata).toMatchObject({ alternateLanguage: 'en' });
  });

  it('the enacted text is the original: no amendment marks, s.1(2A) not yet inserted, s.2 at £2 million', () => {
    const en = doc(readFixture('anaw-2099-7-enacted-en.xml'), 'https://www.legislation.gov.uk/anaw/2099/7/enacted/data.xml');
    expect(en.version).toMatchObject({ label: 'enacted', validFrom: '2099-03-02' });
    expect(en.clauses.every((c) => c.marks === undefined)).toBe(true);
    expect(en.clauses.find((c) => c.key === 'section-2')?.text).toBe('The Welsh Ministers may make grants of up to £2 million a year to partnership boards.');
    expect(en.metadata).toMatchObject({ unappliedEffects: [], welshLags: false });
  });
});

describe.skipIf(skipCorpus)('per-provision metadata on the real corpus', () => {
  it('resolves the commencement note of DPA 2018 s.45 and maps unapplied effects to provisions', () => {
    const d = doc(readCorpus('legislation-xml/www.legislation.gov.uk_ukpga_2018_12_section_45_data.xml'), 'http://www.legislation.gov.uk/ukpga/2018/12/section/45/data.xml');
    expect(provisions(d)['section-45']).toEqual({ commencement: ['S. 45 in force at 25.5.2018 by S.I. 2018/625, reg. 2(1)(c)'] });
    expect(provisions(d)['section-45-2-f']).toEqual({ unappliedEffects: 1 });
    expect(effects(d)).toHaveLength(7);
    expect(effects(d).find((e) => e.affectedProvisions === 's. 45(2)(f)')).toMatchObject({
      type: 'word substituted',
      affectingUri: 'http://www.legislation.gov.uk/id/uksi/2026/386',
      affectingYear: 2026,
      affectingNumber: '386',
      inForce: [{ date: '2026-09-30', applied: false }],
      welshPending: false,
    });
  });

  it('reads both Welsh commencement notes of Renting Homes (Wales) Act 2016 s.1 and its Welsh lags', () => {
    const d = doc(readCorpus('legislation-xml/www.legislation.gov.uk_anaw_2016_1_section_1_welsh_data.xml'), 'http://www.legislation.gov.uk/anaw/2016/1/section/1/welsh/data.xml');
    expect(d.clauses).toHaveLength(9);
    expect(provisions(d)['section-1']?.commencement).toEqual([
      'A. 1 ddim mewn grym ar y Cydsyniad Brenhinol, gweler a. 257(2)',
      'A. 1 mewn grym ar 1.12.2022 gan O.S. 2022/906, ergl. 2',
    ]);
    expect(d.metadata).toMatchObject({ welshLags: true });
    expect(d.metadata?.welshLagProvisions).toContain('section-135-2-ia');
  });
});
