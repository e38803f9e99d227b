import { z } from 'zod';
import { REGIONS } from '../family-policy.ts';
import { channel, identifier, sellerEmail, statement } from '../intake-fields.ts';

export const COUNTERFEIT_REPORT_REASONS = [
  'counterfeit_claim',
  'rights_owner_notice',
  'fraud_allegation',
] as const;
export type CounterfeitReportReason = (typeof COUNTERFEIT_REPORT_REASONS)[number];

/** Who made the report. Only the category: the reporter's identity never reaches the seller. */
export const REPORTERS = ['buyer', 'rights_owner', 'marketplace'] as const;
export type Reporter = (typeof REPORTERS)[number];

/**
 * What opens a counterfeit-report case (`POST /cases`): a counterfeit, rights or fraud allegation against
 * a seller's listing. A rights owner's notice comes from a rights owner by definition, so any other
 * reporter is refused rather than letting the case carry contradictory facts.
 */
export const counterfeitReportIntake = z
  .object({
    family: z.literal('counterfeit-report'),
    listingId: identifier,
    reason: z.enum(COUNTERFEIT_REPORT_REASONS, {
      message: `one of ${COUNTERFEIT_REPORT_REASONS.join(', ')}`,
    }),
    reportedBy: z.enum(REPORTERS, { message: `one of ${REPORTERS.join(', ')}` }),
    claimDetails: statement,
    region: z.enum(REGIONS),
    sellerEmail,
    channel,
  })
  .strict()
  .superRefine((intake, ctx) => {
    if (intake.reason === 'rights_owner_notice' && intake.reportedBy !== 'rights_owner') {
      ctx.addIssue({
        code: 'custom',
        path: ['reportedBy'],
        message: 'a rights_owner_notice is reported by the rights_owner',
      });
    }
  });

export type CounterfeitReportIntake = z.infer<typeof counterfeitReportIntake>;
