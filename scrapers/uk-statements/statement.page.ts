import type { ScrapedDocument } from '../../src/domain/scraped-document.js';
import { ParseError } from '../../src/scraping/errors.js';
import { readApiJson } from '../../src/scraping/read-api-json.js';
import { statementDetailSchema, type Statement } from './api-schemas.js';
import { statementParagraphs } from './statement-paragraphs.js';

/** One written ministerial statement (detail JSON) → one document version. */
export function parseStatement(json: string, url: string, fetchedAt: Date): ScrapedDocument {
  const statement = readApiJson(json, url, statementDetailSchema);
  const clauses = statementParagraphs(statement.text ?? '');
  if (clauses.length === 0) throw new ParseError(`statement ${statement.id} has no text at ${url}`, { url });
  const dateMade = statement.dateMade.slice(0, 10);
  return {
    source: 'uk-statements',
    // UINs (HCWS416) restart every session, so the API's numeric id is the identity.
    nativeId: String(statement.id),
    kind: 'statement',
    jurisdiction: 'uk',
    title: statement.title?.trim() || `Written statement ${statement.uin ?? statement.id}`,
    version: { language: 'en', label: isCorrection(statement) ? 'corrected' : 'made', validFrom: dateMade, sourceUrl: url, fetchedAt: fetchedAt.toISOString() },
    clauses,
    metadata: {
      statementId: statement.id,
      uin: statement.uin ?? null,
      house: statement.house ?? null,
      memberId: statement.memberId ?? null,
      memberName: statement.member?.name ?? null,
      memberParty: statement.member?.party ?? null,
      memberRole: statement.memberRole ?? null,
      answeringBodyId: statement.answeringBodyId ?? null,
      answeringBodyName: statement.answeringBodyName ?? null,
      noticeNumber: statement.noticeNumber ?? null,
      hasAttachments: statement.hasAttachments ?? false,
      attachments: (statement.attachments ?? []).map((a) => ({ title: a.title ?? null, url: a.url ?? null, fileType: a.fileType ?? null })),
      linkedStatements: (statement.linkedStatements ?? []).map((l) => ({ id: l.linkedStatementId, type: l.linkType ?? null, date: l.linkDate?.slice(0, 10) ?? null })),
    },
  };
}

/**
 * A statement and its correction link to each other as `CorrectedStatement`; the link is dated when
 * the correction was made. So a statement whose correction link is dated on or before its own date is
 * the correction; one whose link is dated later is an original that was corrected afterwards.
 */
export function isCorrection(statement: Pick<Statement, 'dateMade' | 'linkedStatements'>): boolean {
  const made = statement.dateMade.slice(0, 10);
  return (statement.linkedStatements ?? []).some((l) => l.linkType === 'CorrectedStatement' && (l.linkDate ?? '').slice(0, 10) <= made && !!l.linkDate);
}
