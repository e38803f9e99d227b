import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { evidenceStatus, missingFrom } from '#domain/evidence.ts';
import { render } from '#domain/templates.ts';
import { shippingException } from '#policy/shipping-exception/index.ts';
import type { ShippingExceptionIntake } from '#policy/shipping-exception/intake.ts';
import { SHIPPING_EXCEPTION_TEAMS } from '#policy/shipping-exception/routing.ts';
import { everyTemplate, intakeIssuesOf, NO_HISTORY, routeWith } from '../../support/family-policy.ts';

const sample: unknown = JSON.parse(
  readFileSync(new URL('../../../events/intake/shipping-exception.json', import.meta.url), 'utf8'),
);

/** A shipment without a declared value unless a test adds one. */
const intake = (overrides: Partial<ShippingExceptionIntake> = {}): ShippingExceptionIntake => ({
  family: 'shipping-exception',
  orderId: '114-1',
  reason: 'delayed',
  carrier: 'UPS',
  trackingNumber: '1Z999AA10123456784',
  shippedAt: '2026-11-20',
  region: 'US',
  sellerEmail: 'seller-42@example.com',
  ...overrides,
});

const routeOf = routeWith(shippingException, intake);

const issuesOf = intakeIssuesOf(shippingException);

describe('shipping-exception intake', () => {
  it('accepts the sample request in events/intake', () => {
    const result = shippingException.intake.safeParse(sample);

    expect(result.success, JSON.stringify(result.error?.issues)).toBe(true);
    expect(result.data?.sellerEmail).toBe('seller-42@example.com');
  });

  it('accepts a shipment without a declared value', () => {
    expect(issuesOf(intake())).toEqual([]);
  });

  it('refuses a request without a tracking number, naming the field', () => {
    const { trackingNumber: _omitted, ...rest } = intake();

    expect(issuesOf(rest).map((i) => i.path)).toEqual(['trackingNumber']);
  });

  it('refuses an unknown reason, naming the field and the reasons it accepts', () => {
    expect(issuesOf({ ...intake(), reason: 'stolen' })).toEqual([
      { path: 'reason', reason: 'one of lost_in_transit, damaged_in_transit, delayed, address_problem' },
    ]);
  });

  it('refuses a declared value without its currency, and a currency without a value, at the missing field', () => {
    expect(issuesOf(intake({ amount: 300 }))).toEqual([
      { path: 'currency', reason: 'a declared value (amount) needs its currency' },
    ]);
    expect(issuesOf(intake({ currency: 'USD' }))).toEqual([
      { path: 'amount', reason: 'a currency needs the declared value (amount)' },
    ]);
  });
});

describe('shipping-exception triage', () => {
  it('makes an address problem urgent while the parcel can still be redirected', () => {
    const facts = shippingException.triage(intake({ reason: 'address_problem' }), NO_HISTORY, 'standard');

    expect(facts).toMatchObject({ risk: 'low', urgency: 'high' });
    expect(facts).not.toHaveProperty('amount');
  });

  it('rates a high declared value high risk and records the shipment as signals', () => {
    const facts = shippingException.triage(
      intake({ amount: 1500, currency: 'USD', carrierClaimReference: 'CLM-55812' }),
      NO_HISTORY,
      'standard',
    );

    expect(facts).toMatchObject({ risk: 'high', amount: 1500, currency: 'USD' });
    expect(facts.signals).toEqual({
      carrier: 'UPS',
      shippedAt: '2026-11-20',
      hasDeclaredValue: true,
      hasCarrierClaim: true,
    });
  });
});

describe('shipping-exception routing', () => {
  it('sends a parcel declared at 1000 or more to the claims team, whatever happened to it', () => {
    expect(routeOf({ reason: 'delayed', amount: 1000, currency: 'EUR' })).toMatchObject({
      team: 'shipping-claims',
      ruleId: 'sx-claims-high-value',
      matched: { amount: 1000 },
      rulesetVersion: shippingException.routing.version,
    });
  });

  it('sends a lost or damaged parcel below that value to carrier relations', () => {
    for (const reason of ['lost_in_transit', 'damaged_in_transit'] as const) {
      expect(routeOf({ reason, amount: 999, currency: 'USD' }), reason).toMatchObject({
        team: 'carrier-relations',
        ruleId: 'sx-carrier-lost-or-damaged',
      });
    }
    expect(routeOf({ reason: 'lost_in_transit' }).team).toBe('carrier-relations');
  });

  it('sends a late parcel or an address problem to shipping support by the catch-all rule', () => {
    expect(routeOf({ reason: 'delayed' })).toMatchObject({ team: 'shipping-support', ruleId: 'sx-default' });
    expect(routeOf({ reason: 'address_problem' }).ruleId).toBe('sx-default');
    expect(shippingException.routing.rules.at(-1)?.when).toEqual({});
  });
});

describe('shipping-exception evidence', () => {
  const sellerMissing = (reason: string) =>
    missingFrom(evidenceStatus(shippingException.evidence, reason, []), 'seller').map((item) => item.kind);

  it('asks the seller for exactly the records each reason needs', () => {
    expect(sellerMissing('lost_in_transit')).toEqual(['carrier_receipt', 'carrier_claim_reference']);
    expect(sellerMissing('damaged_in_transit')).toEqual([
      'carrier_receipt',
      'damage_photos',
      'carrier_claim_reference',
    ]);
    expect(sellerMissing('delayed')).toEqual(['carrier_receipt']);
    expect(sellerMissing('address_problem')).toEqual(['carrier_receipt']);
    for (const item of shippingException.evidence) expect(item.label.length, item.kind).toBeGreaterThan(10);
  });

  it('counts a claim reference given at intake as evidence already received', () => {
    expect(shippingException.evidenceAtIntake(intake({ carrierClaimReference: 'CLM-55812' }))).toEqual([
      'carrier_claim_reference',
    ]);
    expect(shippingException.evidenceAtIntake(intake())).toEqual([]);
  });

  it('reads a PDF as the carrier receipt, photos as damage photos and a claim reference from the text', () => {
    const kinds = shippingException.evidenceFromReply(
      {
        text: 'Label attached. Claim reference: CLM-2026-55812',
        attachments: [
          { contentType: 'application/pdf', filename: 'label.pdf' },
          { contentType: 'image/jpeg', filename: 'box.jpg' },
        ],
      },
      'seller',
    );

    expect(kinds.sort()).toEqual(['carrier_claim_reference', 'carrier_receipt', 'damage_photos']);
  });

  it('does not take the word "claim" without a reference for a claim reference', () => {
    expect(
      shippingException.evidenceFromReply(
        { text: 'I will file a claim tomorrow', attachments: [] },
        'seller',
      ),
    ).toEqual([]);
    expect(
      shippingException.evidenceFromReply(
        { text: 'Carrier claim #55812339 filed.', attachments: [] },
        'seller',
      ),
    ).toEqual(['carrier_claim_reference']);
  });
});

describe('shipping-exception handoff', () => {
  it('gives every team routing can choose a contract the details of its cases satisfy', () => {
    const valued = intake({ amount: 1200, currency: 'USD', reason: 'lost_in_transit' });

    expect([...SHIPPING_EXCEPTION_TEAMS].sort()).toEqual([
      'carrier-relations',
      'shipping-claims',
      'shipping-support',
    ]);
    for (const team of SHIPPING_EXCEPTION_TEAMS) {
      const details = shippingException.handoff.details(valued, team);

      expect(shippingException.handoff.contracts[team]?.safeParse(details).success, team).toBe(true);
    }
    expect(
      shippingException.handoff.contracts['carrier-relations']?.safeParse(
        shippingException.handoff.details(intake(), 'carrier-relations'),
      ).success,
    ).toBe(true);
  });

  it('refuses to hand the claims team a parcel without a declared value', () => {
    const result = shippingException.handoff.contracts['shipping-claims']!.safeParse(
      shippingException.handoff.details(intake(), 'shipping-claims'),
    );

    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path.join('.')).sort()).toEqual(['amount', 'currency']);
  });

  it('refuses details without the tracking number for every team', () => {
    const { trackingNumber: _omitted, ...rest } = shippingException.handoff.details(
      intake({ amount: 1200, currency: 'USD' }),
      'shipping-support',
    );

    for (const team of SHIPPING_EXCEPTION_TEAMS) {
      const result = shippingException.handoff.contracts[team]!.safeParse(rest);

      expect(result.success, team).toBe(false);
      expect(result.error?.issues[0]?.path, team).toEqual(['trackingNumber']);
    }
  });
});

describe('shipping-exception templates', () => {
  const caseUrl = 'https://sellers.example.com/cases/case_1';
  const base = { caseId: 'case_1', subject: shippingException.subject(intake()), caseUrl };

  it('renders every message about the shipping problem with the order', () => {
    const { templates } = shippingException;
    const outcome = shippingException.outcomes[0]!;
    const messages = [
      render(templates.firstResponse.default, { ...base, reasonLabel: shippingException.reasons.delayed! }),
      render(templates.evidenceRequest.default, {
        ...base,
        reasonLabel: shippingException.reasons.damaged_in_transit!,
        audience: 'seller' as const,
        missing: ['Photos of the damaged item and of its packaging'],
        dueBy: '2026-12-05',
      }),
      render(templates.reminder.default, { ...base, missing: ['x'], dueBy: '2026-12-05' }),
      render(templates.resolution.default, {
        caseId: 'case_1',
        subject: base.subject,
        outcomeLabel: outcome.label,
        outcomeSummary: outcome.sellerSummary,
        policyRef: outcome.policyRef,
        rationale: 'The carrier confirmed the loss.',
        appealBy: '2026-12-19',
        appealUrl: `${caseUrl}/appeal`,
      }),
      render(templates.appealAcknowledgement.default, base),
      render(templates.reopenAcknowledgement.default, base),
    ];

    for (const message of messages) {
      expect(message.subject, message.templateRef).toContain('the shipping problem with order 114-1');
      expect(message.subject, message.templateRef).toMatch(/\[case case_1\]$/);
    }
    expect(messages[3]?.text).toContain('Policy: SX-POL-3.2 Shipping exceptions: carrier claims');
  });

  it('gives every template a team owner, a 2027 review date and an SX policy reference', () => {
    for (const template of everyTemplate(shippingException)) {
      expect(template.owner).toBe('shipping-policy@sellerworks.example');
      expect(template.reviewBy).toMatch(/^2027-\d\d-\d\d$/);
      expect(template.policyRef).toMatch(/^SX-POL-\d\.\d /);
    }
  });

  it('gives every outcome a seller summary and an SX policy reference', () => {
    expect(shippingException.outcomes.map((o) => o.id)).toEqual([
      'carrier_claim_filed',
      'reshipment_covered',
      'no_action',
    ]);
    for (const outcome of shippingException.outcomes) {
      expect(outcome.sellerSummary.length, outcome.id).toBeGreaterThan(20);
      expect(outcome.policyRef, outcome.id).toMatch(/^SX-POL-\d\.\d /);
    }
  });
});

describe('shipping-exception family', () => {
  it('asks only the seller for evidence, offers no mediation, and waits at most 20 days', () => {
    expect(shippingException.id).toBe('shipping-exception');
    expect(shippingException.workflow).toEqual({ evidenceFrom: ['seller'], mediation: false });
    expect(shippingException.waits.evidenceSeconds).toBeLessThanOrEqual(20 * 86_400);
    expect(shippingException.waits.decisionSeconds).toBeLessThanOrEqual(20 * 86_400);
  });
});
