import { readFileSync } from 'node:fs';
import path from 'node:path';
import { defaultRulesDir } from './load-rules.js';

/** Bump when the engine's decision procedure changes (the rules carry their own version). */
export const ENGINE_VERSION = '1.6.0';

export function matcherVersionOf(rulesVersion: string): string {
  return `rules-${rulesVersion}+engine-${ENGINE_VERSION}`;
}

const rulesVersion = (JSON.parse(readFileSync(path.join(defaultRulesDir, 'version.json'), 'utf8')) as { version: string }).version;

/** The version of the default rules plus the engine, stored with every result. */
export const MATCHER_VERSION = matcherVersionOf(rulesVersion);
