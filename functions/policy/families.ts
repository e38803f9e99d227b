import { FAMILY_IDS, type FamilyId } from '#state-machines/catalog.ts';
import { accountRecovery } from './account-recovery/index.ts';
import { billingDispute } from './billing-dispute/index.ts';
import { buyerDispute } from './buyer-dispute/index.ts';
import { counterfeitReport } from './counterfeit-report/index.ts';
import type { BaseIntake, Family } from './family-policy.ts';
import { integrationProblem } from './integration-problem/index.ts';
import { listingSuppression } from './listing-suppression/index.ts';
import { payoutHold } from './payout-hold/index.ts';
import { policyAppeal } from './policy-appeal/index.ts';
import { shippingException } from './shipping-exception/index.ts';

/**
 * Every family's policy, by id. Adding a family is adding its folder, its id in the catalog and an entry
 * here; its state machine, routes and CDK resources follow. (Each family is typed against its own intake;
 * the registry sees them through the common base, which is what the domain code needs.)
 */
export const FAMILIES: Readonly<Record<FamilyId, Family<BaseIntake>>> = {
  'payout-hold': payoutHold as unknown as Family<BaseIntake>,
  'buyer-dispute': buyerDispute as unknown as Family<BaseIntake>,
  'billing-dispute': billingDispute as unknown as Family<BaseIntake>,
  'shipping-exception': shippingException as unknown as Family<BaseIntake>,
  'listing-suppression': listingSuppression as unknown as Family<BaseIntake>,
  'counterfeit-report': counterfeitReport as unknown as Family<BaseIntake>,
  'policy-appeal': policyAppeal as unknown as Family<BaseIntake>,
  'account-recovery': accountRecovery as unknown as Family<BaseIntake>,
  'integration-problem': integrationProblem as unknown as Family<BaseIntake>,
};

export const isFamilyId = (value: unknown): value is FamilyId =>
  typeof value === 'string' && (FAMILY_IDS as readonly string[]).includes(value);

export const familyOf = (id: FamilyId): Family<BaseIntake> => FAMILIES[id];

/** Every team some family's routing can choose (a transfer chooses among the same), sorted. */
export const TEAMS: readonly string[] = [
  ...new Set(Object.values(FAMILIES).flatMap((f) => f.routing.rules.map((r) => r.team))),
].sort();
