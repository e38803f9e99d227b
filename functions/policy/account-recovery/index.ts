import { defineFamily } from '../define-family.ts';
import { days } from '../standard-policy.ts';
import { accountRecoveryEvidence, evidenceFromReply } from './evidence.ts';
import { accountRecoveryContracts, accountRecoveryHandoffDetails } from './handoff.ts';
import { type AccountRecoveryIntake, accountRecoveryIntake } from './intake.ts';
import { accountRecoveryOutcomes } from './outcomes.ts';
import { accountRecoveryRouting } from './routing.ts';
import { accountRecoveryTemplates } from './templates.ts';
import { triageAccountRecovery } from './triage.ts';

/**
 * A seller who cannot get into their account, thinks someone else has, or must prove who they are. The
 * requester proves identity with documents, then an identity team restores access, retires the account
 * or records that verification failed. Sellers know these cases by the states of seed 001 (ready,
 * waiting for customer action, under review, recovered, retired), so `statusLabels` uses them.
 */
export const accountRecovery = defineFamily<AccountRecoveryIntake>({
  id: 'account-recovery',
  name: 'Account recovery',
  description: 'Recovering access to a seller account, securing a compromised one, or verifying identity.',
  intake: accountRecoveryIntake,
  reasons: {
    lost_access: 'you cannot sign in to your account',
    compromised_account: 'someone else may have access to your account',
    identity_verification: 'we need to verify who you are and your business',
  },
  triage: triageAccountRecovery,
  routing: accountRecoveryRouting,
  evidence: accountRecoveryEvidence,
  protectedAccess: ['trust-and-safety', 'identity-and-access'],
  evidenceAtIntake: () => ['seller_statement'],
  evidenceFromReply,
  outcomes: accountRecoveryOutcomes,
  windows: { appealDays: 30, reopenDays: 30 },
  // Quality reviews: the decision touches the seller's money, account or standing: a larger sample.
  review: { sampleShare: 0.2 },
  // Asked once the outcome has had time to show: the seller knows the next day whether they can sign in.
  followUp: { after: 'P1D' },
  waits: { evidenceSeconds: days(7), decisionSeconds: days(5) },
  sla: {
    new: { firstResponseHours: 12, resolutionHours: 72 },
    standard: { firstResponseHours: 12, resolutionHours: 72 },
    top_rated: { firstResponseHours: 4, resolutionHours: 48 },
  },
  handoff: {
    details: accountRecoveryHandoffDetails,
    contracts: accountRecoveryContracts,
  },
  templates: accountRecoveryTemplates,
  subject: (intake) => `account ${intake.accountId}`,
  statement: (intake) => intake.statement,
  // Without identity documents nobody can safely hand an account back: the case closes, and says why.
  evidenceTimeout: {
    action: 'close',
    outcome: 'verification_failed',
    rationale:
      'We did not receive the documents we asked for in time, so we could not verify that the account is yours. You can open a new recovery case at any time.',
  },
  statusLabels: {
    received: 'ready',
    routed: 'ready',
    awaiting_seller: 'waiting for customer action',
    under_review: 'under review',
    handed_off: 'under review',
    appealed: 'under review',
    reopened: 'under review',
    'resolved:recovered': 'recovered',
    'resolved:retired': 'retired',
  },
});
