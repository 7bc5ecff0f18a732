import { z } from 'zod';

/**
 * Written Questions Service API fields this source reads, from its OpenAPI spec (v1, as copied in
 * APIs-guru/openapi-directory `APIs/parliament.uk/writtenquestions/v1/openapi.yaml`). Loose objects:
 * other fields may come and go; only these must keep their shape.
 */
const nullableString = z.string().nullish();

export const statementSchema = z.looseObject({
  id: z.number().int(),
  uin: nullableString,
  title: nullableString,
  text: nullableString,
  dateMade: z.string().regex(/^\d{4}-\d{2}-\d{2}/),
  house: nullableString,
  memberId: z.number().int().nullish(),
  member: z.looseObject({ name: nullableString, party: nullableString, memberFrom: nullableString }).nullish(),
  memberRole: nullableString,
  answeringBodyId: z.number().int().nullish(),
  answeringBodyName: nullableString,
  noticeNumber: z.number().int().nullish(),
  hasAttachments: z.boolean().nullish(),
  attachments: z.array(z.looseObject({ title: nullableString, url: nullableString, fileType: nullableString })).nullish(),
  linkedStatements: z
    .array(z.looseObject({ linkedStatementId: z.number().int(), linkType: nullableString, linkDate: nullableString }))
    .nullish(),
});

const itemSchema = z.looseObject({ value: statementSchema });

export const statementSearchSchema = z.looseObject({ results: z.array(itemSchema), totalResults: z.number().int() });

/**
 * `/writtenstatements/statements/{id}`: the spec declares a search result (`{results, totalResults}`)
 * but a single item (`{value, links}`) is what an id lookup naturally returns; accept both.
 */
export const statementDetailSchema = z
  .union([itemSchema, z.looseObject({ results: z.array(itemSchema).length(1) })])
  .transform((detail): Statement => ('results' in detail && Array.isArray(detail.results) ? detail.results[0]!.value : (detail as z.infer<typeof itemSchema>).value));

export type Statement = z.infer<typeof statementSchema>;
