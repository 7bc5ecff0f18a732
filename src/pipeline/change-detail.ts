/**
 * change_events.detail, as written by the importer (fromKey, toKey, similarity, reasons), a re-tag
 * (clauseVersionId) or a withdrawal (reason), and document_added (title, clauses). Read defensively:
 * a malformed row reads as no detail, never as an error on a page or in an alert.
 */
export interface ChangeDetail {
  reasons?: unknown;
  fromKey?: unknown;
  toKey?: unknown;
  clauseVersionId?: unknown;
  reason?: unknown;
  title?: unknown;
  clauses?: unknown;
}

export function parseChangeDetail(text: string): ChangeDetail {
  try {
    const value = JSON.parse(text) as unknown;
    return value && typeof value === 'object' ? (value as ChangeDetail) : {};
  } catch {
    return {};
  }
}
