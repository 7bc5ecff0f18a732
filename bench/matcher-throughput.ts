import v8 from 'node:v8';
import { loadRules, matchClause, MATCHER_VERSION } from '../src/matcher/index.js';
import type { MatchInput } from '../src/matcher/types.js';
import type { CompiledRules } from '../src/matcher/load-rules.js';
import { matcherVersionOf } from '../src/matcher/version.js';
import { median } from './stats.js';
import { seededRandom } from '../test/support/generate-documents.js';
import { hostileClause } from '../test/support/hostile-clause.js';
import { readDevSet } from '../src/evaluation/evaluate.js';
import { labelledFiles } from '../src/cli/eval-command.js';

export { hostileClause };

export interface MatcherBenchOptions {
  /** Rounds of at least `minMs` each (default 5 × 1000 ms). */
  rounds?: number;
  minMs?: number;
  /** Distinct generated clauses cycled through (default 5000). */
  clauses?: number;
  seed?: number;
  /** Runs of the 50,000-character hostile clause (default 15). */
  hostileRuns?: number;
  /**
   * Another rules folder (for example an older version's data/rules, from `git worktree add`) to measure in
   * rounds interleaved with the current rules, so that a noisy machine's drift falls on both alike. Two rule
   * sets in one process both run slower than either alone (they share the JIT's caches): read the ratio, and
   * take absolute rates from a run without a baseline.
   */
  baselineRulesDir?: string;
}

/** Clauses per second over one round of at least `minMs` (cycling through `inputs`). */
function roundRate(inputs: readonly MatchInput[], rules: CompiledRules, minMs: number, onResult?: (positive: boolean, n: number) => void): number {
  let n = 0;
  const started = performance.now();
  let elapsed = 0;
  do {
    for (let i = 0; i < 500; i++) {
      const positive = matchClause(inputs[n % inputs.length]!, rules).coproduction;
      onResult?.(positive, n);
      n++;
    }
    elapsed = performance.now() - started;
  } while (elapsed < minMs);
  return Math.round((n / elapsed) * 1000);
}

/**
 * Matcher throughput on one core: generated legal / policy clauses (20-150 words, fixed seed; about a fifth
 * co-production positives, a tenth with amounts, a tenth Welsh) through matchClause, in rounds of at least
 * `minMs`. Targets: >= 20,000 clauses/s median and < 50 ms median for a 50,000-character hostile clause.
 */
export async function benchMatcher(options: MatcherBenchOptions = {}) {
  const { rounds = 5, minMs = 1000, clauses = 5000, seed = 20261125, hostileRuns = 15 } = options;
  const rules = loadRules();
  const baseline = options.baselineRulesDir ? loadRules(options.baselineRulesDir) : null;
  const inputs = generateClauses(clauses, seed);
  // Warm-up: one pass over every generated clause, so each regular expression the clauses reach is compiled and
  // tiered up before timing (a one-off cost per process of a few hundred ms, reported as warmUpMs, not a rate).
  const warmUpStarted = performance.now();
  for (const input of inputs) {
    matchClause(input, rules);
    if (baseline) matchClause(input, baseline);
  }
  const warmUpMs = Math.round(performance.now() - warmUpStarted);

  const real = labelledClauses();
  for (const input of real) matchClause(input, rules);

  const perRound: number[] = [];
  const realRounds: number[] = [];
  const baselineRounds: number[] = [];
  let positives = 0;
  for (let r = 0; r < rounds; r++) {
    perRound.push(roundRate(inputs, rules, minMs, (positive, n) => {
      if (positive && r === 0 && n < inputs.length) positives++;
    }));
    if (baseline) baselineRounds.push(roundRate(inputs, baseline, minMs));
    realRounds.push(roundRate(real, rules, minMs));
  }

  const hostile = hostileClause();
  const hostileMs: number[] = [];
  let hostileTagged = true;
  for (let r = 0; r < hostileRuns; r++) {
    const started = performance.now();
    const result = matchClause({ text: hostile, documentKind: 'act' }, rules);
    hostileMs.push(performance.now() - started);
    hostileTagged &&= result.coproduction;
  }

  const words = inputs.map((i) => i.text.split(/\s+/).length);
  const realWords = real.map((i) => i.text.split(/\s+/).length);
  return {
    matcherVersion: MATCHER_VERSION,
    generated: {
      clauses: inputs.length,
      seed,
      wordsMin: Math.min(...words),
      wordsMax: Math.max(...words),
      welsh: inputs.filter((i) => i.language === 'cy').length,
      withAmounts: inputs.filter((i) => /[£€]/.test(i.text)).length,
      positives,
    },
    clausesPerSecond: { target: '>= 20000', median: median(perRound), rounds: perRound, minMsPerRound: minMs, warmUpMs },
    // The same rounds over every labelled real clause (test/data), with their lead-ins and headings: real lengths
    // and vocabulary rather than the generator's.
    realClauses: { clauses: real.length, wordsMedian: median(realWords), wordsMax: Math.max(...realWords), generatedWordsMedian: median(words), median: median(realRounds), rounds: realRounds },
    ...(baseline && {
      baseline: {
        rulesDir: options.baselineRulesDir,
        matcherVersion: matcherVersionOf(baseline.version),
        median: median(baselineRounds),
        rounds: baselineRounds,
        // Each round against the baseline round run just after it; the median of those ratios.
        ratioOfRounds: Math.round(median(perRound.map((rate, i) => rate / baselineRounds[i]!)) * 1000) / 1000,
      },
    }),
    // V8 stops optimising the regular expressions it compiles once executable memory passes 16 MB
    // (src/matcher/one-byte-subject.ts): how much the process holds after the run says how near that is.
    v8CodeSpaceMB: Math.round(v8.getHeapSpaceStatistics().filter((s) => s.space_name.startsWith('code')).reduce((sum, s) => sum + s.space_size, 0) / 1e5) / 10,
    hostileClause: {
      target: '< 50 ms',
      chars: hostile.length,
      medianMs: Math.round(median(hostileMs) * 100) / 100,
      maxMs: Math.round(Math.max(...hostileMs) * 100) / 100,
      runs: hostileRuns,
      taggedCorrectly: hostileTagged,
    },
  };
}

/** Every labelled clause of the development and blind batches, without labels. */
function labelledClauses(): MatchInput[] {
  return labelledFiles()
    .flatMap((file) => readDevSet(file))
    .map(({ text, language, documentKind, jurisdiction, heading, leadIn }) => ({ text, language, documentKind, jurisdiction, heading, leadIn }) as MatchInput);
}

const subjects = ['A local authority', 'The Welsh Ministers', 'Each Local Health Board', 'The Secretary of State', 'A public body', 'The regulator', 'The council', 'Every relevant partner'];
const modals = ['must', 'may', 'should', 'will', 'must have regard to the need to', 'must, so far as reasonably practicable,', 'shall'];
const neutral = [
  'prepare and publish a report on the exercise of its functions under this Part',
  'keep under review the arrangements made under subsection (2) and revise them where appropriate',
  'give notice in writing to the person concerned of the decision and the reasons for it',
  'make regulations about the form and content of the register and the fees payable',
  'consult such persons as it considers appropriate before issuing guidance under this section',
  'co-operate with its relevant partners in the exercise of functions relating to adults with needs for care and support',
  'provide information and advice relating to care and support to people in its area',
  'ensure that the assessment is carried out in accordance with the regulations and within the prescribed period',
  'have regard to any guidance issued by the Welsh Ministers about the exercise of functions under this section',
  'secure that the information provided is accessible to the persons to whom it relates',
  'take such steps as are reasonable to obtain the views of the child and the child’s parents',
];
const positive = [
  'promote the involvement of persons for whom care and support is provided in the design and operation of that provision',
  'co-produce the local strategy with people who use services, their carers and the wider community',
  'work with citizens as equal partners in the design, commissioning and delivery of services',
  'promote social enterprises, co-operatives, user led services and the third sector to provide care and support',
  'collaborate with a person in relation to the assessment of the person’s needs and the provision of support',
  'support peer support networks and time banks led by people with lived experience',
];
const tails = [
  'in accordance with this section',
  'within the period of 28 days beginning with the day on which the request is received',
  'having regard to the well-being of the individual and the desirability of preventing or delaying the development of needs',
  'and publish a statement setting out how it has done so',
  'subject to any direction given by the Welsh Ministers under section 14A',
];
const money = [
  'An additional £2.3m a year will be made available for this purpose.',
  'The programme is supported by £1.2 billion over three years through the Regional Integration Fund.',
  'This will be delivered within existing resources and is expected to be cost-neutral.',
  'We are providing £500,000 in 2026–27 to support participatory budgeting in local communities.',
];
const welsh = [
  'Rhaid i awdurdod lleol hyrwyddo ymglymiad personau y mae gofal a chymorth i’w darparu ar eu cyfer yn y broses o ddylunio a gweithredu’r ddarpariaeth honno',
  'Caiff Gweinidogion Cymru wneud rheoliadau ynghylch y ffurf a’r cynnwys y mae rhaid i’r adroddiad eu cael',
  'Dylai awdurdodau lleol weithio gyda phobl fel partneriaid cyfartal i gydgynhyrchu gwasanaethau',
  'Rhaid i awdurdod lleol roi sylw i unrhyw ganllawiau a roddir gan Weinidogion Cymru o dan yr adran hon',
];
const kinds = ['act', 'act', 'si', 'guidance', 'code', 'statement', 'bill'] as const;

export function generateClauses(count: number, seed: number): MatchInput[] {
  const rand = seededRandom(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;
  const out: MatchInput[] = [];
  for (let i = 0; i < count; i++) {
    const documentKind = pick(kinds);
    if (rand() < 0.1) {
      const parts = [pick(welsh), pick(welsh)];
      out.push({ text: `${parts.join('; ')}.`, language: 'cy', documentKind, jurisdiction: 'wales' });
      continue;
    }
    const targetWords = 20 + Math.floor(rand() * 131);
    const isPositive = rand() < 0.2;
    const parts: string[] = [`(${1 + Math.floor(rand() * 9)}) ${pick(subjects)} ${pick(modals)} ${isPositive ? pick(positive) : pick(neutral)}`];
    let words = parts[0]!.split(' ').length;
    while (words < targetWords) {
      const next = rand() < 0.5 ? pick(tails) : `and ${pick(neutral)}`;
      parts.push(next);
      words += next.split(' ').length;
    }
    let text = `${parts.join(', ')}.`;
    if (rand() < 0.1) text += ` ${pick(money)}`;
    out.push({ text: text.split(' ').slice(0, 150).join(' '), documentKind });
  }
  return out;
}

