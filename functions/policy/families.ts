import type { FamilyId } from '#state-machines/catalog.ts';
import { accountRecovery } from './account-recovery/index.ts';
import { billingDispute } from './billing-dispute/index.ts';
import { buyerDispute } from './buyer-dispute/index.ts';
import { counterfeitReport } from './counterfeit-report/index.ts';
import { FamilyDefinitionError } from './define-family.ts';
import type { BaseIntake, Family } from './family-policy.ts';
import { integrationProblem } from './integration-problem/index.ts';
import { listingSuppression } from './listing-suppression/index.ts';
import { payoutHold } from './payout-hold/index.ts';
import { policyAppeal } from './policy-appeal/index.ts';
import { shippingException } from './shipping-exception/index.ts';

/**
 * Every family's policy, by id: the one list of families. `npm run emit` writes its ids to
 * state-machines/family-ids.ts (the catalog, which the rest of the code imports without loading any
 * policy) and a state machine for each; routes, CDK resources and the tests that iterate over families
 * follow. Adding a family: README, "Adding a family". (Each family is typed against its own intake; the
 * registry sees them through the common base, which is what the domain code needs.)
 */
const REGISTRY = {
  'payout-hold': payoutHold,
  'buyer-dispute': buyerDispute,
  'billing-dispute': billingDispute,
  'shipping-exception': shippingException,
  'listing-suppression': listingSuppression,
  'counterfeit-report': counterfeitReport,
  'policy-appeal': policyAppeal,
  'account-recovery': accountRecovery,
  'integration-problem': integrationProblem,
} satisfies Record<FamilyId, { readonly id: FamilyId }>;

/** A registry key and the family's own id must agree: cases, ASL files and templates are named by it. */
const misfiled = Object.entries(REGISTRY).filter(([key, family]) => family.id !== key);
if (misfiled.length > 0) {
  throw new FamilyDefinitionError(
    misfiled.map(([key, family]) => ({
      family: family.id,
      where: 'functions/policy/families.ts',
      what: `registered under "${key}"; the key must be the family's id`,
    })),
  );
}

export const FAMILIES: Readonly<Record<FamilyId, Family<BaseIntake>>> = REGISTRY as unknown as Record<
  FamilyId,
  Family<BaseIntake>
>;

/** The registered ids in registry order: what `npm run emit` writes to the catalog. */
export const REGISTERED_IDS = Object.keys(REGISTRY) as FamilyId[];

export const isFamilyId = (value: unknown): value is FamilyId =>
  typeof value === 'string' && Object.hasOwn(REGISTRY, value);

export const familyOf = (id: FamilyId): Family<BaseIntake> => FAMILIES[id];

/** Every team some family's routing can choose (a transfer chooses among the same), sorted. */
export const TEAMS: readonly string[] = [
  ...new Set(Object.values(FAMILIES).flatMap((f) => f.routing.rules.map((r) => r.team))),
].sort();

/**
 * Every template version a seller's email can carry before a resolution (`id@version`, region variants
 * included; the follow-up comes after and is left out), sorted: the values of the scoreboard's template
 * segment, bounded by policy.
 */
export const SELLER_TEMPLATE_REFS: readonly string[] = [
  ...new Set(
    Object.values(FAMILIES).flatMap((family) => {
      const { snippets, followUp: _, ...sets } = family.templates;
      return [...Object.values(sets), ...snippets.map((s) => s.template)].flatMap((set) =>
        set ? [set.default, ...Object.values(set.regions ?? {})].map((t) => `${t.id}@${t.version}`) : [],
      );
    }),
  ),
].sort();
