import type { FamilyTemplates } from '../family-policy.ts';
import { euResolution, standardTemplates } from '../standard-templates.ts';

const OWNER = 'trust-safety-policy@sellerworks.example';
const REVIEW_BY = '2027-02-28';
const topic = (subject: string) => `the report about ${subject}`;

const standard = standardTemplates({
  familyId: 'counterfeit-report',
  owner: OWNER,
  reviewBy: REVIEW_BY,
  policy: {
    acknowledgement: 'CR-POL-1.1 Counterfeit and fraud reports: acknowledgement',
    evidence: 'CR-POL-2.2 Counterfeit and fraud reports: proof of authenticity and transactions',
    decision: 'CR-POL-4.1 Counterfeit and fraud reports: decisions and strikes',
    appeal: 'CR-POL-5.1 Counterfeit and fraud reports: appeals',
  },
  topic,
  nextAfterFirstResponse:
    'our trust and safety team reviews the report together with your account history. Nothing more is needed from you for now; we will email you the decision.',
});

/**
 * EU wording of the decision: removing a listing or restricting an account is a restriction under the
 * Digital Services Act, which requires a statement of reasons (Art. 17), an internal complaint route open
 * for at least six months (Art. 20) and out-of-court dispute settlement (Art. 21); the message must say so.
 */
const resolutionEu = euResolution({
  familyId: 'counterfeit-report',
  owner: OWNER,
  reviewBy: REVIEW_BY,
  policyRef: 'CR-POL-4.1-EU Counterfeit and fraud reports: decisions (EU, DSA Art. 17, 20–21)',
  topic,
});

export const counterfeitReportTemplates: FamilyTemplates = {
  ...standard,
  resolution: { default: standard.resolution.default, regions: { EU: resolutionEu } },
};
