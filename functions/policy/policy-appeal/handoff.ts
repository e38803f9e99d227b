import { z } from 'zod';
import { originalDecision, POLICY_APPEAL_REASONS, type PolicyAppealIntake } from './intake.ts';

/** What an appeal reviewer needs: the original decision as recorded, and the seller's case against it. */
export const policyAppealsContract = z
  .object({
    reason: z.enum(POLICY_APPEAL_REASONS),
    originalDecision,
    appealStatement: z.string().min(1),
  })
  .strict();

export const policyAppealContracts = {
  'policy-appeals': policyAppealsContract,
  'policy-appeals-senior': policyAppealsContract,
  '*': policyAppealsContract,
} as const;

/** Every team that reviews an appeal gets the same record. */
export const policyAppealHandoffDetails = (intake: PolicyAppealIntake): Record<string, unknown> => ({
  reason: intake.reason,
  originalDecision: { ...intake.originalDecision },
  appealStatement: intake.appealStatement,
});
