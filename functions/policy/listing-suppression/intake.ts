import { z } from 'zod';
import { REGIONS } from '../family-policy.ts';
import { channel, identifier, pastInstant, sellerEmail, statement } from '../intake-fields.ts';

export const LISTING_SUPPRESSION_REASONS = [
  'policy_concern',
  'suspected_infringement',
  'product_data_defect',
] as const;
export type ListingSuppressionReason = (typeof LISTING_SUPPRESSION_REASONS)[number];

/**
 * The reproducible record product ops and engineering need (seed 8.3): which attribute is wrong, what it
 * should be, what the marketplace shows instead, and how to see it happen again.
 */
export const productDataDefect = z
  .object({
    attribute: z.string().trim().min(1).max(100),
    expectedValue: z.string().trim().min(1).max(1000),
    observedValue: z.string().trim().min(1).max(1000),
    stepsToReproduce: z
      .string()
      .trim()
      .min(20, 'steps someone else can follow to see the defect: at least 20 characters')
      .max(5000),
  })
  .strict();
export type ProductDataDefect = z.infer<typeof productDataDefect>;

/**
 * What a seller portal sends to open a listing-suppression case (`POST /cases`). A product data defect
 * must come with its reproducible record, and only a defect may: a policy or rights question carries no
 * defect, so a stray one would send the wrong facts to the policy specialists.
 */
export const listingSuppressionIntake = z
  .object({
    family: z.literal('listing-suppression'),
    listingId: identifier,
    reason: z.enum(LISTING_SUPPRESSION_REASONS, {
      message: `one of ${LISTING_SUPPRESSION_REASONS.join(', ')}`,
    }),
    suppressedAt: pastInstant('an ISO 8601 UTC timestamp such as 2026-11-20T08:15:00Z'),
    affectedListings: z
      .number()
      .int('a whole number of listings')
      .min(1, 'at least the listing this case is about')
      .max(1_000_000),
    explanation: statement,
    defect: productDataDefect.optional(),
    region: z.enum(REGIONS),
    sellerEmail,
    channel,
  })
  .strict()
  .superRefine((intake, ctx) => {
    if (intake.reason === 'product_data_defect' && intake.defect === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['defect'],
        message:
          'a product data defect needs its record: attribute, expectedValue, observedValue, stepsToReproduce',
      });
    }
    if (intake.reason !== 'product_data_defect' && intake.defect !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['defect'],
        message: 'only a product_data_defect carries a defect record',
      });
    }
  });

export type ListingSuppressionIntake = z.infer<typeof listingSuppressionIntake>;
