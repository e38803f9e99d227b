import { z } from 'zod';
import { REGIONS } from '../family-policy.ts';
import { channel, identifier, sellerEmail, statement } from '../intake-fields.ts';

export const ACCOUNT_RECOVERY_REASONS = [
  'lost_access',
  'compromised_account',
  'identity_verification',
] as const;
export type AccountRecoveryReason = (typeof ACCOUNT_RECOVERY_REASONS)[number];

/**
 * What a seller portal (its signed-out recovery form) sends to open an account-recovery case
 * (`POST /cases`). `sellerEmail` is where the requester can be reached now; `contactEmailOnFile` is the
 * address the account has, which the requester may no longer control. The statement is required: how
 * access was lost is the first thing the reviewing team reads. Nothing here, and no message of this
 * family, ever asks for sign-in secrets.
 */
export const accountRecoveryIntake = z
  .object({
    family: z.literal('account-recovery'),
    accountId: identifier,
    reason: z.enum(ACCOUNT_RECOVERY_REASONS, { error: `one of ${ACCOUNT_RECOVERY_REASONS.join(', ')}` }),
    lastSuccessfulLoginAt: z.iso
      .datetime({ offset: true, error: 'the last time you signed in, as an ISO date-time' })
      .optional(),
    contactEmailOnFile: z.email({ error: 'the email address the account has on file' }).max(254),
    region: z.enum(REGIONS, { error: `one of ${REGIONS.join(', ')}` }),
    sellerEmail,
    channel,
    statement,
  })
  .strict();

export type AccountRecoveryIntake = z.infer<typeof accountRecoveryIntake>;
