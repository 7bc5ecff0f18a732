import type { ScrapedDocument } from '../../src/domain/scraped-document.js';

/** A small seeded PRNG (mulberry32), so generated corpora are the same on every machine and run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const subjects = ['A local authority', 'The Welsh Ministers', 'A Local Health Board', 'Each public body', 'The regional partnership board', 'A person exercising functions under this Part'];
const modals = ['must', 'may', 'must have regard to the importance of', 'must seek to', 'should', 'is to'];
const objects = [
  'promote the involvement of persons for whom care and support is provided in the design and operation of that provision',
  'promote the development in its area of social enterprises, co-operatives, user-led services and the third sector',
  'ensure that people who need care and support participate as fully as possible in decisions that affect them',
  'publish a statement of the well-being outcomes that people who need care and support should expect to achieve',
  'make arrangements to promote co-operation with its relevant partners in relation to adults with needs for care and support',
  'provide or arrange for the provision of information and advice relating to care and support',
  'carry out an assessment of the extent to which there are needs for care and support in its area',
  'take such steps as are reasonably practicable to secure the provision of preventative services',
  'have regard to guidance issued by the Welsh Ministers under this section when exercising functions',
];
const tails = ['', ' in accordance with regulations', ' so far as reasonably practicable', ' within the period of six months beginning with the day on which this section comes into force', ' and may revise that statement at any time'];

export function sentence(random: () => number): string {
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
  return `${pick(subjects)} ${pick(modals)} ${pick(objects)}${pick(tails)}.`;
}

export interface GenerateOptions {
  seed: number;
  documents: number;
  clausesPerDocument: number;
  source?: string;
}

/** Deterministic documents in the shape the scrapers produce: sections with subsections, legal wording. */
export function generateDocuments(options: GenerateOptions): ScrapedDocument[] {
  const random = seededRandom(options.seed);
  const docs: ScrapedDocument[] = [];
  for (let d = 0; d < options.documents; d++) {
    const clauses = [];
    for (let c = 0; c < options.clausesPerDocument; c++) {
      const section = Math.floor(c / 3) + 1;
      const sub = (c % 3) + 1;
      clauses.push({
        key: `section-${section}-${sub}`,
        number: String(sub),
        heading: `Section ${section}`,
        parentKey: `section-${section}`,
        text: `${sentence(random)} ${random() < 0.5 ? sentence(random) : ''} (${d}.${c})`,
      });
    }
    docs.push({
      source: options.source ?? 'generated',
      nativeId: `anaw/2014/${d + 1}`,
      kind: 'act',
      jurisdiction: 'wales',
      title: `Generated Act ${d + 1}`,
      version: { language: 'en', label: 'enacted', validFrom: '2014-05-01', sourceUrl: `https://example.test/anaw/2014/${d + 1}/enacted`, fetchedAt: '2026-01-01T00:00:00.000Z' },
      clauses,
    });
  }
  return docs;
}
