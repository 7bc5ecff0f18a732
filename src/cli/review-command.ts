import type { Config } from '../config.js';
import type { Strength } from '../domain/strength.js';
import { openServices } from '../services.js';
import { reviewTag, type TagReview } from '../pipeline/tag-reviews.js';
import { twinDisagreements } from '../pipeline/twin-disagreements.js';

export interface ReviewArgs {
  clauseVersionId: string | undefined;
  confirm: boolean;
  reject: boolean;
  strength: string | undefined;
  coproduction: string | undefined;
  note: string | undefined;
  reviewer: string | undefined;
}

/** `review <clause-version-id> (--confirm | --reject | [--coproduction yes|no] [--strength S]) --note … --reviewer …` */
export async function reviewCommand(config: Config, args: ReviewArgs): Promise<number> {
  const id = Number(args.clauseVersionId);
  if (!Number.isInteger(id) || id < 1) throw new Error('review needs a clause version id (a whole number)');
  const corrects = args.strength !== undefined || args.coproduction !== undefined;
  if (Number(args.confirm) + Number(args.reject) + Number(corrects) !== 1) throw new Error('say exactly one of --confirm, --reject, or a correction (--strength and/or --coproduction)');
  if (args.coproduction !== undefined && !['yes', 'no'].includes(args.coproduction)) throw new Error('--coproduction takes yes or no');
  if (!args.reviewer) throw new Error('--reviewer is required (who made the decision)');
  const review: TagReview = {
    clauseVersionId: id,
    action: args.confirm ? 'confirm' : args.reject ? 'reject' : 'correct',
    ...(args.coproduction === undefined ? {} : { coproduction: args.coproduction === 'yes' }),
    ...(args.strength === undefined ? {} : { strength: args.strength as Strength }),
    note: args.note ?? '',
    reviewer: args.reviewer,
  };
  const services = await openServices(config);
  try {
    await reviewTag(services.db, review);
    console.log(`review recorded for clause version ${id}: ${review.action}`);
    return 0;
  } finally {
    await services.close();
  }
}

/** `disagreements`: English/Welsh twins whose tags disagree, one paragraph each, for a reviewer. */
export async function disagreementsCommand(config: Config): Promise<number> {
  const services = await openServices(config);
  try {
    const list = await twinDisagreements(services.db);
    if (list.length === 0) console.log('no English/Welsh disagreements');
    for (const d of list) {
      console.log(`${d.documentId} ${d.label}${d.validFrom ? ` (${d.validFrom})` : ''} ${d.key}`);
      console.log(`  en #${d.en.clauseVersionId}: co-production ${d.en.coproduction ? 'yes' : 'no'}, ${d.en.strength} — ${d.en.text.slice(0, 160)}`);
      console.log(`  cy #${d.cy.clauseVersionId}: co-production ${d.cy.coproduction ? 'yes' : 'no'}, ${d.cy.strength} — ${d.cy.text.slice(0, 160)}`);
    }
    return 0;
  } finally {
    await services.close();
  }
}
