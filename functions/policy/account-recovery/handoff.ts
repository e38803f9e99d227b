import { z } from 'zod';
import type { AccountRecoveryIntake } from './intake.ts';
import { requesterIsContactOnFile } from './triage.ts';

/**
 * What the identity teams need beyond the common handoff: which account, which address it trusts and
 * whether the requester writes from it, when it was last used legitimately, and the requester's account
 * of events. Identity documents stay on the case (protected), never in this payload.
 */
export const identityContract = z
  .object({
    accountId: z.string().min(1),
    contactEmailOnFile: z.email(),
    requesterIsContactOnFile: z.boolean(),
    lastSuccessfulLoginAt: z.iso.datetime({ offset: true }).optional(),
    sellerStatement: z.string().min(1),
  })
  .strict();

/** Contract per receiving team (every team account-recovery routing can choose). */
export const accountRecoveryContracts = {
  'trust-and-safety': identityContract,
  'identity-and-access': identityContract,
} as const;

export const accountRecoveryHandoffDetails = (intake: AccountRecoveryIntake) => ({
  accountId: intake.accountId,
  contactEmailOnFile: intake.contactEmailOnFile,
  requesterIsContactOnFile: requesterIsContactOnFile(intake),
  ...(intake.lastSuccessfulLoginAt ? { lastSuccessfulLoginAt: intake.lastSuccessfulLoginAt } : {}),
  sellerStatement: intake.statement,
});
