import type { FamilyTemplates, MessageTemplate } from '../family-policy.ts';
import { euResolution, standardTemplates } from '../standard-templates.ts';
import { type MediationOfferVars, mediationOfferVars } from '../template-vars.ts';

const OWNER = 'disputes-policy@sellerworks.example';
const REVIEW_BY = '2027-05-31';
const topic = (subject: string) => `the buyer dispute on ${subject}`;

const standard = standardTemplates({
  familyId: 'buyer-dispute',
  owner: OWNER,
  reviewBy: REVIEW_BY,
  policy: {
    acknowledgement: 'BD-POL-1.1 Buyer disputes: acknowledgement',
    evidence: 'BD-POL-2.1 Buyer disputes: evidence from both parties',
    decision: 'BD-POL-4.1 Buyer disputes: decisions and appeals',
    appeal: 'BD-POL-5.1 Buyer disputes: appeals',
  },
  topic,
  nextAfterFirstResponse:
    'the case already has the evidence its decision needs, so it goes to the team that decides. Nothing is needed from you; we will email you the decision.',
});

/**
 * EU wording of the decision: the Digital Services Act gives business users an internal complaint route
 * (Art. 20) and out-of-court dispute settlement (Art. 21); the message must say so.
 */
const resolutionEu = euResolution({
  familyId: 'buyer-dispute',
  owner: OWNER,
  reviewBy: REVIEW_BY,
  policyRef: 'BD-POL-4.1-EU Buyer disputes: decisions and appeals (EU, DSA Art. 20–21)',
  topic,
  version: 2,
});

const mediationOffer: MessageTemplate<MediationOfferVars> = {
  id: 'buyer-dispute.mediation-offer',
  version: 1,
  owner: OWNER,
  reviewBy: REVIEW_BY,
  policyRef: 'BD-POL-3.1 Buyer disputes: mediation',
  variables: mediationOfferVars,
  subject: (v) => `A way to settle ${topic(v.subject)} now [case ${v.caseId}]`,
  text: (v) =>
    [
      'Hello,',
      `Before the disputes team decides case ${v.caseId}, we can settle it now: ${v.offer}.`,
      `To accept or decline, answer on the case page by ${v.respondBy}: ${v.caseUrl} . If you decline or do not answer, the disputes team decides on the evidence from both sides.`,
      'SellerWorks Support',
    ].join('\n\n'),
};

export const buyerDisputeTemplates: FamilyTemplates = {
  ...standard,
  resolution: { default: standard.resolution.default, regions: { EU: resolutionEu } },
  mediationOffer: { default: mediationOffer },
};
