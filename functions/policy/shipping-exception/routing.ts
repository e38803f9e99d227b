import type { RoutingRuleset } from '../family-policy.ts';

/** Declared values at or above this amount (in the declared currency) go to the claims team. */
export const CLAIMS_AMOUNT = 1000;

/**
 * Who handles a shipping exception. A valuable parcel is a claim to be won against the carrier; a parcel
 * lost or damaged on the way is the carrier's responsibility, so carrier relations pursue it; a late
 * parcel or a wrong address is fixed by shipping support. A shipment with no declared value never matches
 * the amount rule. Ordered: the first matching rule wins; the last matches everything. Bump `version` with
 * every change: each case records the version that routed it.
 */
export const shippingExceptionRouting: RoutingRuleset = {
  version: '2026-11-29.1',
  rules: [
    {
      id: 'sx-claims-high-value',
      description: 'Parcels with a high declared value go to the shipping claims team',
      when: { amountAtLeast: CLAIMS_AMOUNT },
      team: 'shipping-claims',
    },
    {
      id: 'sx-carrier-lost-or-damaged',
      description: 'Parcels lost or damaged in transit go to carrier relations',
      when: { reason: ['lost_in_transit', 'damaged_in_transit'] },
      team: 'carrier-relations',
    },
    {
      id: 'sx-default',
      description: 'Every other shipping exception goes to shipping support',
      when: {},
      team: 'shipping-support',
    },
  ],
};

/** Every team the rules can choose: each needs a handoff contract. */
export const SHIPPING_EXCEPTION_TEAMS: readonly string[] = [
  ...new Set(shippingExceptionRouting.rules.map((r) => r.team)),
];
