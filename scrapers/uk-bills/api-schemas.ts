import { z } from 'zod';

/**
 * The Bills API fields this source reads, from Parliament's OpenAPI spec (Bills API v1, as copied in
 * APIs-guru/openapi-directory `APIs/parliament.uk/bills/v1/openapi.yaml`). Objects are loose: other
 * fields may come and go; only these are required to keep their shape.
 */
const nullableString = z.string().nullish();

export const billSummarySchema = z.looseObject({ billId: z.number().int(), shortTitle: nullableString });

export const billSearchSchema = z.looseObject({
  items: z.array(billSummarySchema),
  totalResults: z.number().int(),
});

const memberSchema = z.looseObject({ name: nullableString, party: nullableString });
const sponsorSchema = z.looseObject({
  member: memberSchema.nullish(),
  organisation: z.looseObject({ name: nullableString }).nullish(),
});

export const billSchema = z.looseObject({
  billId: z.number().int(),
  shortTitle: z.string().min(1),
  longTitle: nullableString,
  originatingHouse: nullableString,
  currentHouse: nullableString,
  sponsors: z.array(sponsorSchema).nullish(),
});

const sittingSchema = z.looseObject({ date: nullableString });
export const stageSchema = z.looseObject({
  id: z.number().int(),
  description: nullableString,
  house: nullableString,
  sortOrder: z.number().int().nullish(),
  stageSittings: z.array(sittingSchema).nullish(),
});
export const stagesSchema = z.looseObject({ items: z.array(stageSchema), totalResults: z.number().int().nullish() });

const linkSchema = z.looseObject({ id: z.number().int().nullish(), title: nullableString, url: nullableString, contentType: nullableString });
const fileSchema = z.looseObject({ id: z.number().int(), filename: nullableString, contentType: nullableString });
export const publicationSchema = z.looseObject({
  id: z.number().int(),
  title: nullableString,
  displayDate: z.string(),
  house: nullableString,
  publicationType: z.looseObject({ name: nullableString }),
  links: z.array(linkSchema).nullish(),
  files: z.array(fileSchema).nullish(),
});
export const publicationListSchema = z.looseObject({ billId: z.number().int().nullish(), publications: z.array(publicationSchema) });

export type BillSummary = z.infer<typeof billSummarySchema>;
export type Bill = z.infer<typeof billSchema>;
export type Stage = z.infer<typeof stageSchema>;
export type Publication = z.infer<typeof publicationSchema>;

export const amendmentSchema = z.looseObject({
  amendmentId: z.number().int(),
  /** The amendment's number on the marshalled list: "7", "NC1", "NS2". */
  marshalledListText: nullableString,
  amendmentType: nullableString,
  decision: nullableString,
  amendmentPosition: nullableString,
  clause: z.number().int().nullish(),
  schedule: z.number().int().nullish(),
  summaryText: z.array(z.string()).nullish(),
  sponsors: z.array(z.looseObject({ name: nullableString, party: nullableString, isLead: z.boolean().nullish() })).nullish(),
});
export const amendmentsSchema = z.looseObject({ items: z.array(amendmentSchema), totalResults: z.number().int() });
export type Amendment = z.infer<typeof amendmentSchema>;
