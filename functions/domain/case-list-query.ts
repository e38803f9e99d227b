import { z } from 'zod';
import { REGIONS, SELLER_TIERS } from '#policy/family-policy.ts';
import { INTAKE_CHANNELS } from '#policy/intake-fields.ts';
import { FAMILY_IDS } from '#state-machines/catalog.ts';
import { CASE_STATUSES } from './case.ts';

/**
 * The ops case list's query (`GET /ops/cases`), kept free of the case store so that reading it has no side
 * effect: the list reads it (case-list.ts), and so does the OpenAPI generator (functions/api/contracts.ts).
 */
export const SLA_RISKS = ['breached', 'at_risk', 'on_track', 'stopped'] as const;
export type SlaRisk = (typeof SLA_RISKS)[number];

const oneOf = <T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { error: `one of ${values.join(', ')}` }).optional();

/** The console's list query: filters, a case-id search, a page size and the cursor of the next page. */
export const caseListQuery = z
  .object({
    family: oneOf(FAMILY_IDS),
    status: oneOf(CASE_STATUSES),
    team: z.string().trim().min(1).max(64).optional(),
    // A seller id as sign-in gives it (the token's subject).
    seller: z
      .string()
      .trim()
      .min(1)
      .max(128)
      .regex(/^\P{Cc}+$/u, 'no control characters')
      .optional(),
    tier: oneOf(SELLER_TIERS),
    region: oneOf(REGIONS),
    channel: oneOf(INTAKE_CHANNELS),
    sla: oneOf(SLA_RISKS),
    q: z.string().trim().max(64).optional(),
    // Digits only: Number() would also read "0x10", "1e2" or " 5".
    limit: z
      .string()
      .regex(/^[0-9]{1,3}$/, 'a whole number from 1 to 200')
      .transform(Number)
      .pipe(z.number().int().min(1).max(200))
      .default(50),
    cursor: z.string().max(1024).optional(),
  })
  .strict();
export type CaseListQuery = z.infer<typeof caseListQuery>;
