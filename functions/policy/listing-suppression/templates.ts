import type { FamilyTemplates } from '../family-policy.ts';
import { euResolution, standardTemplates } from '../standard-templates.ts';

const OWNER = 'listing-policy@sellerworks.example';
const REVIEW_BY = '2027-03-31';
const topic = (subject: string) => `the suppression of ${subject}`;

const standard = standardTemplates({
  familyId: 'listing-suppression',
  owner: OWNER,
  reviewBy: REVIEW_BY,
  policy: {
    acknowledgement: 'LS-POL-1.1 Listing suppression: acknowledgement',
    evidence: 'LS-POL-2.3 Listing suppression: evidence by suppression reason',
    decision: 'LS-POL-4.1 Listing suppression: decisions',
    appeal: 'LS-POL-5.1 Listing suppression: appeals',
  },
  topic,
  nextAfterFirstResponse:
    'your explanation and the listing record go to the team that owns this kind of suppression. Nothing more is needed from you for now; we will email you the decision.',
});

/**
 * EU wording of the decision: hiding or removing a listing restricts a business user's content, so the
 * Digital Services Act requires a statement of reasons (Art. 17), an internal complaint route open for
 * at least six months (Art. 20) and out-of-court dispute settlement (Art. 21); the message must say so.
 */
const resolutionEu = euResolution({
  familyId: 'listing-suppression',
  owner: OWNER,
  reviewBy: REVIEW_BY,
  policyRef: 'LS-POL-4.1-EU Listing suppression: decisions (EU, DSA Art. 17, 20–21)',
  topic,
});

export const listingSuppressionTemplates: FamilyTemplates = {
  ...standard,
  resolution: { default: standard.resolution.default, regions: { EU: resolutionEu } },
};
