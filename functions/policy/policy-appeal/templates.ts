import type { FamilyTemplates } from '../family-policy.ts';
import { euResolution, standardTemplates } from '../standard-templates.ts';

const OWNER = 'policy-appeals@sellerworks.example';
const REVIEW_BY = '2027-04-30';
const topic = (subject: string) => `your appeal against ${subject}`;

const standard = standardTemplates({
  familyId: 'policy-appeal',
  owner: OWNER,
  reviewBy: REVIEW_BY,
  policy: {
    acknowledgement: 'PA-POL-1.1 Policy appeals: acknowledgement',
    evidence: 'PA-POL-2.1 Policy appeals: plan of action and supporting documents',
    decision: 'PA-POL-4.1 Policy appeals: decisions',
    appeal: 'PA-POL-5.1 Policy appeals: second review',
  },
  topic,
  nextAfterFirstResponse:
    'a reviewer who did not take the original decision reads it together with your appeal. Nothing more is needed from you for now; we will email you the outcome.',
});

/**
 * EU wording of the decision: the appeal is the Digital Services Act's internal complaint (Art. 20), so
 * the answer must name its reasons and the out-of-court dispute settlement still open to the seller
 * (Art. 21).
 */
const resolutionEu = euResolution({
  familyId: 'policy-appeal',
  owner: OWNER,
  reviewBy: REVIEW_BY,
  policyRef: 'PA-POL-4.1-EU Policy appeals: decisions (EU, DSA Art. 20–21)',
  topic,
});

export const policyAppealTemplates: FamilyTemplates = {
  ...standard,
  resolution: { default: standard.resolution.default, regions: { EU: resolutionEu } },
};
