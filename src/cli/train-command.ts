import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../project-root.js';
import { readDevSet } from '../evaluation/evaluate.js';
import { defaultRulesDir } from '../matcher/load-rules.js';
import { trainLearnedModel } from '../matcher/train-learned.js';
import type { LearnedFile } from '../matcher/learned-model.js';
import { developmentFiles } from './eval-command.js';

/** The learned layer trained on every labelled batch except the sealed one (deterministic: the same labels give the same model). */
export function trainOnDevelopmentBatches(): LearnedFile {
  const sets = developmentFiles().map((file) => ({ file, items: readDevSet(file) }));
  // A labelled item is already a LearnedInput (text, language, documentKind, leadIn).
  const items = sets.flatMap((s) => s.items.map((item) => ({ input: item, coproduction: item.label.coproduction })));
  return trainLearnedModel(
    items,
    sets.map((s) => ({ file: path.relative(projectRoot, s.file), items: s.items.length })),
  );
}

/**
 * `npm run train-matcher`: retrain the learned layer and write data/rules/learned.json. Bump data/rules/version.json
 * after.
 */
export function trainMatcherCommand(): number {
  const model = trainOnDevelopmentBatches();
  const out = path.join(defaultRulesDir, 'learned.json');
  writeFileSync(out, `${JSON.stringify(model, null, 1)}\n`);
  const items = model.trainedOn.reduce((sum, s) => sum + s.items, 0);
  console.log(`wrote ${path.relative(projectRoot, out)}: ${Object.keys(model.weights).length} weights from ${items} labelled clauses (${model.trainedOn.map((s) => path.basename(s.file)).join(', ')})`);
  return 0;
}
