import { readFileSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../../project-root.js';

export interface PrincipleInfo {
  id: string;
  name: string;
  definition: string;
  sources: string[];
  /** Taxonomy section, e.g. "§4.1". */
  section: string | null;
  /** Matcher weight (§9.5): how much the principle counts towards a co-production decision. */
  weight: number;
}

interface CatalogueEntry {
  id: string;
  kind: 'core' | 'adjacent';
  weight: number;
  description?: string;
}

interface GuideEntry {
  name: string;
  definition: string;
  sources: string[];
}

function readJson<T>(relative: string): T {
  return JSON.parse(readFileSync(path.join(projectRoot, relative), 'utf8')) as T;
}

/** The core principles in catalogue order (data/rules/principles.json), with words from src/web/insight/principle-guide.json. */
export const corePrinciples: readonly PrincipleInfo[] = (() => {
  const catalogue = readJson<{ catalogue: CatalogueEntry[] }>('data/rules/principles.json').catalogue;
  const guide = readJson<{ principles: Record<string, GuideEntry> }>('src/web/insight/principle-guide.json').principles;
  return catalogue
    .filter((c) => c.kind === 'core')
    .map((c) => {
      const words = guide[c.id];
      return {
        id: c.id,
        name: words?.name ?? c.id.replace(/_/g, ' '),
        definition: words?.definition ?? c.description ?? '',
        sources: words?.sources ?? [],
        section: /§\d+(?:\.\d+)?/.exec(c.description ?? '')?.[0] ?? null,
        weight: c.weight,
      };
    });
})();

const byId = new Map(corePrinciples.map((p) => [p.id, p]));

export function corePrinciple(id: string): PrincipleInfo | undefined {
  return byId.get(id);
}

export function isCorePrinciple(id: string): boolean {
  return byId.has(id);
}

/** A name for any principle id, core or adjacent. */
export function principleLabel(id: string): string {
  return byId.get(id)?.name ?? id.replace(/_/g, ' ');
}
