import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultRulesDir, loadRules, MATCHER_VERSION } from '../../src/matcher/index.js';
import { LayeredScanner, MAX_ALTERNATION_CHARS, RuleSet, startsAtWordBoundary, type Scanner } from '../../src/matcher/rule-set.js';

function copyRules(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'rules-'));
  cpSync(defaultRulesDir, dir, { recursive: true });
  return dir;
}

function edit(dir: string, file: string, change: (json: any) => void): void {
  const full = path.join(dir, file);
  const json = JSON.parse(readFileSync(full, 'utf8'));
  change(json);
  writeFileSync(full, JSON.stringify(json));
}

describe('loadRules', () => {
  it('compiles the default rules once and caches them', () => {
    expect(loadRules()).toBe(loadRules(defaultRulesDir));
  });

  it('carries the rules version into MATCHER_VERSION', () => {
    const { version } = JSON.parse(readFileSync(path.join(defaultRulesDir, 'version.json'), 'utf8'));
    expect(loadRules().version).toBe(version);
    expect(MATCHER_VERSION).toContain(version);
  });

  it('gives every rule a unique id and a readable description header per file', () => {
    const ids = loadRules().allRules.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const file of ['principles', 'near-misses', 'counterparties', 'mechanisms', 'strength', 'funding', 'welsh', 'version']) {
      expect(JSON.parse(readFileSync(path.join(defaultRulesDir, `${file}.json`), 'utf8')).$comment.length).toBeGreaterThan(40);
    }
  });

  it.each([
    ['a nested quantifier', (j: any) => j.rules.push({ id: 'principle:assets/bad', principles: ['assets'], pattern: '(?:a+)+b' }), /nested quantifier/],
    ['a capturing group', (j: any) => j.rules.push({ id: 'principle:assets/bad', principles: ['assets'], pattern: '(co)-op' }), /capturing group/],
    ['an unknown principle', (j: any) => j.rules.push({ id: 'principle:nope/x', principles: ['nope'], pattern: 'nope' }), /unknown principle/],
    ['an invalid regex', (j: any) => j.rules.push({ id: 'principle:assets/bad', principles: ['assets'], pattern: '[a-' }), /invalid regex|unbalanced/],
    ['a pattern matching the empty string', (j: any) => j.rules.push({ id: 'principle:assets/bad', principles: ['assets'], pattern: 'a?' }), /empty string/],
    ['a duplicate id', (j: any) => j.rules.push({ ...j.rules[0] }), /duplicate rule id/],
    ['a missing field', (j: any) => delete j.catalogue, /catalogue/],
  ])('rejects %s, naming the file or rule', (_name, change, message) => {
    const dir = copyRules();
    edit(dir, 'principles.json', change);
    expect(() => loadRules(dir)).toThrow(message);
  });

  it('rejects a learned.json whose threshold is not a probability, naming the file', () => {
    const dir = copyRules();
    edit(dir, 'learned.json', (j) => (j.threshold = 1.5));
    expect(() => loadRules(dir)).toThrow(/learned\.json: threshold/);
  });

  it('loads a rules folder without learned.json as the rules alone', () => {
    const dir = copyRules();
    rmSync(path.join(dir, 'learned.json'));
    expect(loadRules(dir).learned).toBeNull();
    expect(loadRules().learned).not.toBeNull();
  });

  it('stamps results with the version of the rules folder used', async () => {
    const dir = copyRules();
    edit(dir, 'version.json', (j) => (j.version = '2099.01.01-7'));
    const { matchClause } = await import('../../src/matcher/index.js');
    expect(matchClause({ text: 'co-production' }, loadRules(dir)).matcherVersion).toContain('2099.01.01-7');
  });
});

describe('RuleSet word-boundary prefix (a scan-speed optimisation that must not change hits)', () => {
  it.each([
    ['\\bco-?design\\b', true],
    ['\\bfoo\\b|\\bbar (?:x|y)\\b', true],
    ['\\bfoo|bar', false],
    ['(?:\\bfoo|\\bbar)', false],
    ['[£€$]\\d', false],
    ['\\b[a|b]x|\\by', true],
  ])('startsAtWordBoundary(%s) is %s', (pattern, expected) => {
    expect(startsAtWordBoundary(pattern)).toBe(expected);
  });

  it('finds the same hits as the same alternation without the prefix', () => {
    const rules = loadRules();
    const text = 'Local authorities must promote co-production: people who use services are involved in the design and delivery of services, as equal partners; we will consult on how public money is spent through participatory budgeting (PB).';
    const matches = (re: RegExp) => {
      const found: string[] = [];
      re.lastIndex = 0;
      let m: RegExpExecArray | null;
      while ((m = re.exec(text)) !== null) {
        found.push(`${m.index}:${m[0]}:${m.findIndex((g, i) => i > 0 && g !== undefined)}`);
        re.lastIndex = m.index + 1;
      }
      return found;
    };
    for (const set of [rules.en.principles, rules.en.consultation, rules.en.roles, rules.en.people] as RuleSet[]) {
      for (const chunk of set.chunks) {
        expect(chunk.regex.source.startsWith('\\b(?:')).toBe(true);
        const plain = new RegExp(chunk.rules.map((r) => `(${r.pattern})`).join('|'), 'gi');
        expect(matches(chunk.regex)).toEqual(matches(plain));
      }
      expect(set.scan(text).length).toBeGreaterThan(0);
    }
  });

  it('keeps every compiled alternation under the size V8 still optimises (20 KB)', () => {
    const rules = loadRules();
    const parts = (s: Scanner): RuleSet[] => (s instanceof LayeredScanner ? s.parts.flatMap(parts) : [s as RuleSet]);
    const sets = [rules.en, rules.cy].flatMap((l) => [l.principles, l.people, l.institutions, l.consultation, l.roles, l.modals, l.qualifiers, l.denials]).flatMap(parts);
    for (const set of [...sets, rules.masks, rules.domainGuards, rules.definitions, rules.funding.instruments]) {
      expect(set).toBeInstanceOf(RuleSet);
      for (const chunk of set.chunks) expect(chunk.regex.source.length).toBeLessThan(MAX_ALTERNATION_CHARS + 100);
    }
    // Welsh lists are the Welsh rules then the English RuleSet itself, not a second compiled copy of it.
    const cyPrinciples = rules.cy.principles as unknown as LayeredScanner;
    expect(cyPrinciples.parts[1]).toBe(rules.en.principles);
    expect(cyPrinciples.rules.slice(-rules.en.principles.rules.length)).toEqual(rules.en.principles.rules);
  });
});
