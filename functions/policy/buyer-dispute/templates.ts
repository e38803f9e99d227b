import { z } from 'zod';
import type { MessageTemplate } from '../family-policy.ts';

const OWNER = 'disputes-policy@sellerworks';
const REVIEW_BY = '2027-05-31';

const firstResponseVars = z.object({
  caseId: z.string(),
  orderId: z.string(),
  reasonLabel: z.string(),
  caseUrl: z.url(),
});

export const firstResponse: MessageTemplate<z.infer<typeof firstResponseVars>> = {
  id: 'buyer-dispute.first-response',
  version: 1,
  owner: OWNER,
  reviewBy: REVIEW_BY,
  policyRef: 'BD-POL-1.1 Buyer disputes: acknowledgement',
  variables: firstResponseVars,
  subject: (v) => `We are handling the buyer dispute on order ${v.orderId} [case ${v.caseId}]`,
  text: (v) =>
    [
      'Hello,',
      `A buyer opened a dispute on order ${v.orderId}: ${v.reasonLabel}. We have opened case ${v.caseId} and are handling it for you.`,
      'What happens next: the case already has the evidence its decision needs, so it goes to the team that decides. Nothing is needed from you; we will email you the decision.',
      `You can follow the case at any time: ${v.caseUrl}`,
      'SellerWorks Support',
    ].join('\n\n'),
};

const evidenceRequestVars = z.object({
  caseId: z.string(),
  orderId: z.string(),
  reasonLabel: z.string(),
  missing: z.array(z.string()).min(1),
  dueBy: z.string(),
  caseUrl: z.url(),
});

/** The first response when the seller owes evidence: the acknowledgement and the request in one email. */
export const evidenceRequest: MessageTemplate<z.infer<typeof evidenceRequestVars>> = {
  id: 'buyer-dispute.evidence-request',
  version: 2,
  owner: OWNER,
  reviewBy: REVIEW_BY,
  policyRef: 'BD-POL-2.1 Buyer disputes: seller evidence',
  variables: evidenceRequestVars,
  subject: (v) => `Action needed: evidence for the dispute on order ${v.orderId} [case ${v.caseId}]`,
  text: (v) =>
    [
      'Hello,',
      `A buyer opened a dispute on order ${v.orderId}: ${v.reasonLabel}. We have opened case ${v.caseId} and are handling it for you.`,
      'To decide it fairly, we need the following from you:',
      v.missing.map((item) => `  - ${item}`).join('\n'),
      `Please reply to this email by ${v.dueBy}, attaching photos or documents. Your reply goes straight to case ${v.caseId}.`,
      `If we do not hear from you by then, the disputes team decides on the evidence at hand. Case page: ${v.caseUrl}`,
      'SellerWorks Support',
    ].join('\n\n'),
};

const resolutionVars = z.object({
  caseId: z.string(),
  orderId: z.string(),
  outcomeLabel: z.string(),
  outcomeSummary: z.string(),
  policyRef: z.string(),
  rationale: z.string(),
  appealBy: z.string(),
  appealUrl: z.url(),
});

export const resolution: MessageTemplate<z.infer<typeof resolutionVars>> = {
  id: 'buyer-dispute.resolution',
  version: 1,
  owner: OWNER,
  reviewBy: REVIEW_BY,
  policyRef: 'BD-POL-4.1 Buyer disputes: decisions and appeals',
  variables: resolutionVars,
  subject: (v) => `Decision on the dispute for order ${v.orderId}: ${v.outcomeLabel} [case ${v.caseId}]`,
  text: (v) =>
    [
      'Hello,',
      `The disputes team has decided the buyer dispute on order ${v.orderId}.`,
      `Outcome: ${v.outcomeLabel}. ${v.outcomeSummary}`,
      `Why: ${v.rationale}`,
      `Policy: ${v.policyRef}`,
      `If you disagree, you can appeal until ${v.appealBy}: ${v.appealUrl} . A different reviewer will look at your appeal.`,
      'SellerWorks Support',
    ].join('\n\n'),
};
