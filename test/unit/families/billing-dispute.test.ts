import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { evidenceStatus, missingFrom } from '#domain/evidence.ts';
import { render } from '#domain/templates.ts';
import { billingDispute } from '#policy/billing-dispute/index.ts';
import type { BillingDisputeIntake } from '#policy/billing-dispute/intake.ts';
import { BILLING_DISPUTE_TEAMS } from '#policy/billing-dispute/routing.ts';
import { everyTemplate, intakeIssuesOf, NO_HISTORY, routeWith } from '../../support/family-policy.ts';

const sample: unknown = JSON.parse(
  readFileSync(new URL('../../../events/intake/billing-dispute.json', import.meta.url), 'utf8'),
);

const intake = (overrides: Partial<BillingDisputeIntake> = {}): BillingDisputeIntake => ({
  family: 'billing-dispute',
  paymentReference: 'pi_123',
  reason: 'duplicate_payment',
  amount: 120,
  currency: 'USD',
  chargedAt: '2026-11-02',
  region: 'US',
  sellerEmail: 'seller-42@example.com',
  ...overrides,
});

const routeOf = routeWith(billingDispute, intake);

const issuesOf = intakeIssuesOf(billingDispute);

describe('billing-dispute intake', () => {
  it('accepts the sample request in events/intake', () => {
    const result = billingDispute.intake.safeParse(sample);

    expect(result.success, JSON.stringify(result.error?.issues)).toBe(true);
    expect(result.data?.sellerEmail).toBe('seller-42@example.com');
  });

  it('refuses a request without a payment reference, naming the field', () => {
    const { paymentReference: _omitted, ...rest } = intake();

    expect(issuesOf(rest).map((i) => i.path)).toEqual(['paymentReference']);
  });

  it('refuses an unknown reason, naming the field and the reasons it accepts', () => {
    expect(issuesOf({ ...intake(), reason: 'fraud' })).toEqual([
      {
        path: 'reason',
        reason: 'one of chargeback, duplicate_payment, unrecognised_charge, subscription_charge',
      },
    ]);
  });

  it('refuses a network deadline that is not a date or falls before the charge', () => {
    expect(issuesOf({ ...intake(), evidenceDueBy: '1733702400' }).map((i) => i.path)).toEqual([
      'evidenceDueBy',
    ]);
    expect(issuesOf({ ...intake(), evidenceDueBy: '2026-11-01' })).toEqual([
      { path: 'evidenceDueBy', reason: 'the evidence deadline cannot be before the charge (chargedAt)' },
    ]);
  });
});

describe('billing-dispute triage', () => {
  it('makes a case with a card network deadline urgent whatever the amount', () => {
    const facts = billingDispute.triage(
      intake({ reason: 'chargeback', amount: 20, evidenceDueBy: '2026-12-09' }),
      NO_HISTORY,
      'top_rated',
    );

    expect(facts).toMatchObject({ risk: 'low', urgency: 'high' });
    expect(facts.signals).toMatchObject({ hasNetworkDeadline: true, evidenceDueBy: '2026-12-09' });
  });

  it('keeps a small dispute without a deadline at normal urgency and says there is no deadline', () => {
    const facts = billingDispute.triage(intake(), NO_HISTORY, 'standard');

    expect(facts).toMatchObject({ risk: 'low', urgency: 'normal' });
    expect(facts.signals).toEqual({ hasNetworkDeadline: false, chargedAt: '2026-11-02' });
  });
});

describe('billing-dispute routing', () => {
  it('sends a dispute of 5000 or more to senior finance, even a chargeback', () => {
    const routing = routeOf({ reason: 'chargeback', amount: 5000 });

    expect(routing).toMatchObject({
      team: 'finance-senior',
      ruleId: 'bl-finance-senior-high-value',
      rulesetVersion: billingDispute.routing.version,
      matched: { amount: 5000 },
    });
  });

  it('sends a smaller chargeback to the chargebacks team', () => {
    expect(routeOf({ reason: 'chargeback', amount: 4999.99 })).toMatchObject({
      team: 'finance-chargebacks',
      ruleId: 'bl-chargebacks',
    });
  });

  it('sends every other billing dispute to finance by the catch-all rule', () => {
    for (const reason of ['duplicate_payment', 'unrecognised_charge', 'subscription_charge'] as const) {
      expect(routeOf({ reason }), reason).toMatchObject({ team: 'finance', ruleId: 'bl-default' });
    }
    expect(billingDispute.routing.rules.at(-1)?.when).toEqual({});
  });
});

describe('billing-dispute evidence', () => {
  const sellerMissing = (reason: string) =>
    missingFrom(evidenceStatus(billingDispute.evidence, reason, []), 'seller').map((item) => item.kind);

  it('asks the seller for exactly the documents each reason needs', () => {
    expect(sellerMissing('chargeback')).toEqual([
      'invoice_receipt',
      'proof_of_delivery',
      'customer_communication',
    ]);
    expect(sellerMissing('duplicate_payment')).toEqual(['invoice_receipt', 'bank_statement']);
    expect(sellerMissing('unrecognised_charge')).toEqual(['invoice_receipt']);
    expect(sellerMissing('subscription_charge')).toEqual([
      'invoice_receipt',
      'subscription_terms',
      'cancellation_record',
    ]);
    for (const item of billingDispute.evidence) expect(item.label.length, item.kind).toBeGreaterThan(10);
  });

  it('marks only the bank statement protected', () => {
    expect(billingDispute.evidence.filter((item) => item.protected).map((item) => item.kind)).toEqual([
      'bank_statement',
    ]);
  });

  it('reads named documents and a forwarded customer email out of a reply', () => {
    const kinds = billingDispute.evidenceFromReply(
      {
        text: 'Here is the invoice and the carrier proof of delivery.',
        attachments: [
          { contentType: 'application/pdf', filename: 'INV-4411.pdf' },
          { contentType: 'image/png', filename: 'ups-pod.png' },
          { contentType: 'message/rfc822', filename: 'Re: my order.eml' },
        ],
      },
      'seller',
    );

    expect(kinds.sort()).toEqual(['customer_communication', 'invoice_receipt', 'proof_of_delivery']);
  });

  it('recognises the bank statement by its file name, and nothing without an attachment', () => {
    expect(
      billingDispute.evidenceFromReply(
        {
          text: 'See attached.',
          attachments: [{ contentType: 'application/pdf', filename: 'bank_statement_nov.pdf' }],
        },
        'seller',
      ),
    ).toEqual(['bank_statement']);
    expect(
      billingDispute.evidenceFromReply(
        { text: 'The invoice and bank statement are on the way.', attachments: [] },
        'seller',
      ),
    ).toEqual([]);
  });
});

describe('billing-dispute handoff', () => {
  it('gives every finance team a contract the details satisfy', () => {
    expect([...BILLING_DISPUTE_TEAMS].sort()).toEqual(['finance', 'finance-chargebacks', 'finance-senior']);
    for (const team of BILLING_DISPUTE_TEAMS) {
      const details = billingDispute.handoff.details(intake({ evidenceDueBy: '2026-12-09' }), team);

      expect(billingDispute.handoff.contracts[team]?.safeParse(details).success, team).toBe(true);
    }
  });

  it('refuses details without the payment reference for every finance team', () => {
    const { paymentReference: _omitted, ...rest } = billingDispute.handoff.details(intake(), 'finance');

    for (const team of BILLING_DISPUTE_TEAMS) {
      const result = billingDispute.handoff.contracts[team]!.safeParse(rest);

      expect(result.success, team).toBe(false);
      expect(result.error?.issues[0]?.path, team).toEqual(['paymentReference']);
    }
  });
});

describe('billing-dispute templates', () => {
  const caseUrl = 'https://sellers.example.com/cases/case_1';
  const base = { caseId: 'case_1', subject: billingDispute.subject(intake()), caseUrl };

  it('renders every message about the billing dispute on the payment', () => {
    const { templates } = billingDispute;
    const outcome = billingDispute.outcomes.find((o) => o.id === 'chargeback_contested')!;
    const messages = [
      render(templates.firstResponse.default, { ...base, reasonLabel: billingDispute.reasons.chargeback! }),
      render(templates.evidenceRequest.default, {
        ...base,
        reasonLabel: billingDispute.reasons.duplicate_payment!,
        audience: 'seller' as const,
        missing: ['A bank statement showing both payments'],
        dueBy: '2026-12-05',
      }),
      render(templates.reminder.default, { ...base, missing: ['x'], dueBy: '2026-12-05' }),
      render(templates.resolution.default, {
        caseId: 'case_1',
        subject: base.subject,
        outcomeLabel: outcome.label,
        outcomeSummary: outcome.sellerSummary,
        policyRef: outcome.policyRef,
        rationale: 'Delivery confirmed by the carrier.',
        appealBy: '2026-12-19',
        appealUrl: `${caseUrl}/appeal`,
      }),
      render(templates.appealAcknowledgement.default, base),
      render(templates.reopenAcknowledgement.default, base),
    ];

    for (const message of messages) {
      expect(message.subject, message.templateRef).toContain('the billing dispute about payment pi_123');
      expect(message.subject, message.templateRef).toMatch(/\[case case_1\]$/);
    }
    expect(messages[1]?.text).toContain('  - A bank statement showing both payments');
    expect(messages[3]?.text).toContain('Policy: BL-POL-3.4 Billing disputes: contesting chargebacks');
  });

  it('gives every template a team owner, a 2027 review date and a BL policy reference', () => {
    for (const template of everyTemplate(billingDispute)) {
      expect(template.owner).toBe('finance-policy@sellerworks.example');
      expect(template.reviewBy).toMatch(/^2027-\d\d-\d\d$/);
      expect(template.policyRef).toMatch(/^BL-POL-\d\.\d /);
    }
  });

  it('gives every outcome a seller summary and a BL policy reference', () => {
    expect(billingDispute.outcomes.map((o) => o.id)).toEqual([
      'refunded',
      'charge_upheld',
      'chargeback_contested',
    ]);
    for (const outcome of billingDispute.outcomes) {
      expect(outcome.sellerSummary.length, outcome.id).toBeGreaterThan(20);
      expect(outcome.policyRef, outcome.id).toMatch(/^BL-POL-\d\.\d /);
    }
  });
});

describe('billing-dispute family', () => {
  it('asks only the seller for evidence, offers no mediation, and waits less than a network window', () => {
    expect(billingDispute.id).toBe('billing-dispute');
    expect(billingDispute.workflow).toEqual({ evidenceFrom: ['seller'], mediation: false });
    expect(billingDispute.waits.evidenceSeconds).toBeLessThanOrEqual(7 * 86_400);
    expect(billingDispute.waits.decisionSeconds).toBeLessThanOrEqual(20 * 86_400);
  });
});
