import type { EvidenceItemSpec } from '../family-policy.ts';
import { DOCUMENT, replyEvidence } from '../standard-policy.ts';
import type { PolicyAppealIntake } from './intake.ts';

const ALL_REASONS = ['account_suspension', 'listing_removal', 'selling_limit'];

/** What an appeal decision rests on: the seller's case, with a plan of action when the account is suspended. */
export const policyAppealEvidence: readonly EvidenceItemSpec[] = [
  {
    kind: 'appeal_statement',
    label: 'Your appeal: why you think the decision should change',
    provider: 'seller',
    requiredFor: ALL_REASONS,
  },
  {
    kind: 'plan_of_action',
    label:
      'A plan of action written in your reply: the root cause of the problem, what you have fixed, and how you will prevent it from happening again',
    provider: 'seller',
    requiredFor: ['account_suspension'],
  },
  {
    kind: 'supporting_documents',
    label: 'Documents that support your appeal, such as invoices, correspondence or screenshots',
    provider: 'seller',
    requiredFor: ALL_REASONS,
  },
];

/**
 * A plan of action names all three parts — root cause, fixes, prevention — in any order. It is read from
 * the seller's words, never assumed from an attachment, so a suspension is not reviewed without one.
 */
export const PLAN_OF_ACTION =
  /^(?=[\s\S]*\broot[- ]cause)(?=[\s\S]*\b(fix|fixed|fixes|corrected|resolved|changed)\b)(?=[\s\S]*\bprevent)/i;

/** The appeal statement arrives with the intake, and counts as the plan of action when it is one. */
export const policyAppealEvidenceAtIntake = (intake: PolicyAppealIntake): string[] => [
  'appeal_statement',
  ...(PLAN_OF_ACTION.test(intake.appealStatement) ? ['plan_of_action'] : []),
];

/** Which evidence kinds a seller's reply provides. */
export const evidenceFromReply = replyEvidence([
  { kind: 'plan_of_action', party: 'seller', textMatches: PLAN_OF_ACTION },
  { kind: 'supporting_documents', party: 'seller', attachment: DOCUMENT },
]);
