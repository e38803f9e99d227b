import { z } from 'zod';
import { REGIONS } from '../family-policy.ts';
import { channel, identifier, sellerEmail, statement } from '../intake-fields.ts';

export const POLICY_APPEAL_REASONS = ['account_suspension', 'listing_removal', 'selling_limit'] as const;
export type PolicyAppealReason = (typeof POLICY_APPEAL_REASONS)[number];

/** The enforcement decision under appeal, as the marketplace recorded it, so the reviewer reads the original. */
export const originalDecision = z
  .object({
    decisionId: identifier,
    decidedAt: z.iso.datetime({ message: 'an ISO 8601 UTC timestamp such as 2026-11-18T14:02:00Z' }),
    policyRef: z.string().trim().min(1).max(200),
  })
  .strict();
export type OriginalDecision = z.infer<typeof originalDecision>;

/** What a seller portal sends to appeal a marketplace enforcement decision (`POST /cases`). */
export const policyAppealIntake = z
  .object({
    family: z.literal('policy-appeal'),
    reason: z.enum(POLICY_APPEAL_REASONS, { message: `one of ${POLICY_APPEAL_REASONS.join(', ')}` }),
    originalDecision,
    appealStatement: statement,
    region: z.enum(REGIONS),
    sellerEmail,
    channel,
  })
  .strict();

export type PolicyAppealIntake = z.infer<typeof policyAppealIntake>;
