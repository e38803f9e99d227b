import { describe, expect, it } from 'vitest';
import type { BuyerDisputeIntake } from '#policy/buyer-dispute/intake.ts';
import { triageBuyerDispute } from '#policy/buyer-dispute/triage.ts';

const intake = (overrides: Partial<BuyerDisputeIntake> = {}): BuyerDisputeIntake => ({
  family: 'buyer-dispute',
  orderId: 'o-1',
  reason: 'item_defective',
  buyerStatement: 'broken',
  amount: 20,
  currency: 'USD',
  region: 'US',
  sellerEmail: 's@example.com',
  buyerEmail: 'b@example.com',
  ...overrides,
});

describe('buyer-dispute triage', () => {
  it('rates a small dispute from an established seller low risk and normal urgency', () => {
    const facts = triageBuyerDispute(intake(), { priorCases90d: 0, priorCases365d: 0 }, 'standard');

    expect(facts).toMatchObject({ risk: 'low', urgency: 'normal', priorCases90d: 0, tier: 'standard' });
  });

  it('rates a mid-sized dispute or a new seller medium risk', () => {
    expect(
      triageBuyerDispute(intake({ amount: 150 }), { priorCases90d: 0, priorCases365d: 0 }, 'standard').risk,
    ).toBe('medium');
    expect(triageBuyerDispute(intake(), { priorCases90d: 0, priorCases365d: 0 }, 'new').risk).toBe('medium');
  });

  it('rates a large amount or a repeat pattern high risk and urgent', () => {
    expect(
      triageBuyerDispute(intake({ amount: 500 }), { priorCases90d: 0, priorCases365d: 0 }, 'top_rated'),
    ).toMatchObject({
      risk: 'high',
      urgency: 'high',
    });
    expect(triageBuyerDispute(intake(), { priorCases90d: 3, priorCases365d: 3 }, 'standard').risk).toBe(
      'high',
    );
  });

  it('treats an item that never arrived as urgent whatever the amount', () => {
    expect(
      triageBuyerDispute(
        intake({ reason: 'not_received' }),
        { priorCases90d: 0, priorCases365d: 0 },
        'standard',
      ).urgency,
    ).toBe('high');
  });
});
