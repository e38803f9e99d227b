import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { toIssues } from '#commons/validation.ts';
import { evidenceStatus, missingFrom } from '#domain/evidence.ts';
import { render } from '#domain/templates.ts';
import { payoutHold } from '#policy/payout-hold/index.ts';
import type { PayoutHoldIntake } from '#policy/payout-hold/intake.ts';
import { PAYOUT_HOLD_TEAMS } from '#policy/payout-hold/routing.ts';
import { everyTemplate, intakeIssuesOf, NO_HISTORY, routeWith } from '../../support/family-policy.ts';

const sample: unknown = JSON.parse(
  readFileSync(new URL('../../../events/intake/payout-hold.json', import.meta.url), 'utf8'),
);

const intake = (overrides: Partial<PayoutHoldIntake> = {}): PayoutHoldIntake => ({
  family: 'payout-hold',
  payoutId: 'po_1',
  reason: 'verification_required',
  amount: 800,
  currency: 'EUR',
  heldSince: '2026-11-18',
  region: 'EU',
  sellerEmail: 'seller-42@example.com',
  ...overrides,
});

const routeOf = routeWith(payoutHold, intake);

const issuesOf = intakeIssuesOf(payoutHold);
const issuePaths = (input: unknown): string[] => issuesOf(input).map((i) => i.path);

describe('payout-hold intake', () => {
  it('accepts the sample request in events/intake', () => {
    const result = payoutHold.intake.safeParse(sample);

    expect(result.success, JSON.stringify(result.error?.issues)).toBe(true);
    expect(result.data?.sellerEmail).toBe('seller-42@example.com');
  });

  it('refuses a request without a payout id, naming the field', () => {
    const { payoutId: _omitted, ...rest } = intake();

    expect(issuePaths(rest)).toEqual(['payoutId']);
  });

  it('refuses an unknown hold reason, naming the field and the reasons it accepts', () => {
    const result = payoutHold.intake.safeParse({ ...intake(), reason: 'tax_hold' });

    expect(result.success).toBe(false);
    expect(toIssues(result.error!)).toEqual([
      { path: 'reason', reason: 'one of verification_required, risk_review, negative_balance' },
    ]);
  });

  it('refuses a hold date that is not a calendar date, and fields it does not know', () => {
    expect(issuePaths({ ...intake(), heldSince: '2026-02-30' })).toEqual(['heldSince']);
    expect(issuePaths({ ...intake(), bankAccount: 'DE89 3704' })).toEqual(['(root)']);
  });
});

describe('payout-hold triage', () => {
  it('treats a risk review as high risk and urgent even for a small payout', () => {
    const facts = payoutHold.triage(intake({ reason: 'risk_review', amount: 50 }), NO_HISTORY, 'top_rated');

    expect(facts).toMatchObject({ risk: 'high', urgency: 'high', family: 'payout-hold' });
  });

  it('keeps a small verification hold low risk and records the hold facts as signals', () => {
    const facts = payoutHold.triage(intake({ details: 'new address' }), NO_HISTORY, 'standard');

    expect(facts).toMatchObject({ risk: 'low', urgency: 'normal', amount: 800, currency: 'EUR' });
    expect(facts.signals).toEqual({ heldSince: '2026-11-18', hasSellerDetails: true, priorHolds365d: 0 });
  });
});

describe('payout-hold routing', () => {
  it('sends a verification hold to the compliance-aware verification queue', () => {
    expect(routeOf({ reason: 'verification_required' })).toMatchObject({
      team: 'verification',
      ruleId: 'ph-verification',
      rulesetVersion: payoutHold.routing.version,
    });
  });

  it('sends any hold of 10000 or more to senior compliance before the reason rules', () => {
    const routing = routeOf({ reason: 'verification_required', amount: 10_000 });

    expect(routing).toMatchObject({ team: 'compliance-senior', ruleId: 'ph-compliance-senior-high-value' });
    expect(routing.matched).toEqual({ amount: 10_000 });
    expect(routeOf({ reason: 'negative_balance', amount: 25_000 }).team).toBe('compliance-senior');
  });

  it('sends a risk review to risk operations', () => {
    expect(routeOf({ reason: 'risk_review', amount: 9999.99 })).toMatchObject({
      team: 'risk-operations',
      ruleId: 'ph-risk-review',
    });
  });

  it('sends a negative balance to payments support by the catch-all rule', () => {
    const routing = routeOf({ reason: 'negative_balance' });

    expect(routing).toMatchObject({ team: 'payments-support', ruleId: 'ph-default' });
    expect(payoutHold.routing.rules.at(-1)?.when).toEqual({});
  });
});

describe('payout-hold evidence', () => {
  const sellerMissing = (reason: string) =>
    missingFrom(evidenceStatus(payoutHold.evidence, reason, []), 'seller').map((item) => item.kind);

  it('asks the seller for exactly the items each reason needs, each with a label', () => {
    expect(sellerMissing('verification_required')).toEqual(['business_registration', 'identity_document']);
    expect(sellerMissing('risk_review')).toEqual(['bank_statement', 'seller_statement']);
    expect(sellerMissing('negative_balance')).toEqual(['seller_statement']);
    for (const item of payoutHold.evidence) expect(item.label.length, item.kind).toBeGreaterThan(10);
  });

  it('marks identity, business and bank documents protected, and the statement not', () => {
    const protectedKinds = payoutHold.evidence.filter((item) => item.protected).map((item) => item.kind);

    expect(protectedKinds.sort()).toEqual(['bank_statement', 'business_registration', 'identity_document']);
  });

  it('counts the details given at intake as the seller statement', () => {
    expect(payoutHold.evidenceAtIntake(intake({ details: 'We repaid the buyer.' }))).toEqual([
      'seller_statement',
    ]);
    expect(payoutHold.evidenceAtIntake(intake())).toEqual([]);
  });

  it('reads a named document from the reply text or the file name, and the words as a statement', () => {
    const kinds = payoutHold.evidenceFromReply(
      {
        text: 'Company registration certificate attached.',
        attachments: [
          { contentType: 'application/pdf', filename: 'certificate.pdf' },
          { contentType: 'image/jpeg', filename: 'passport-front.jpg' },
        ],
      },
      'seller',
    );

    expect(kinds.sort()).toEqual(['business_registration', 'identity_document', 'seller_statement']);
  });

  it('does not count a document that is named but not attached, nor an unnamed file', () => {
    expect(
      payoutHold.evidenceFromReply(
        { text: 'I will send my bank statement tomorrow', attachments: [] },
        'seller',
      ),
    ).toEqual(['seller_statement']);
    expect(
      payoutHold.evidenceFromReply(
        { text: '', attachments: [{ contentType: 'application/pdf', filename: 'scan001.pdf' }] },
        'seller',
      ),
    ).toEqual([]);
  });
});

describe('payout-hold handoff', () => {
  it('gives every team routing can choose a contract the details satisfy', () => {
    expect([...PAYOUT_HOLD_TEAMS].sort()).toEqual([
      'compliance-senior',
      'payments-support',
      'risk-operations',
      'verification',
    ]);
    for (const team of PAYOUT_HOLD_TEAMS) {
      const contract = payoutHold.handoff.contracts[team];
      const details = payoutHold.handoff.details(intake({ details: 'context' }), team);

      expect(contract, team).toBeDefined();
      expect(contract?.safeParse(details).success, team).toBe(true);
    }
  });

  it('refuses details without the payout id, and details with fields the team did not agree to', () => {
    const contract = payoutHold.handoff.contracts.verification!;
    const { payoutId: _omitted, ...withoutPayout } = payoutHold.handoff.details(intake(), 'verification');

    const missing = contract.safeParse(withoutPayout);
    const extra = contract.safeParse({ ...payoutHold.handoff.details(intake(), 'verification'), iban: 'x' });

    expect(missing.success).toBe(false);
    expect(missing.error?.issues[0]?.path).toEqual(['payoutId']);
    expect(extra.success).toBe(false);
  });
});

describe('payout-hold templates', () => {
  const caseUrl = 'https://sellers.example.com/cases/case_1';
  const base = { caseId: 'case_1', subject: payoutHold.subject(intake()), caseUrl };

  it('renders every message about the hold on the payout, with its own policy reference', () => {
    const { templates } = payoutHold;
    const outcome = payoutHold.outcomes[0]!;
    const messages = [
      render(templates.firstResponse.default, { ...base, reasonLabel: payoutHold.reasons.risk_review! }),
      render(templates.evidenceRequest.default, {
        ...base,
        reasonLabel: payoutHold.reasons.verification_required!,
        audience: 'seller' as const,
        missing: payoutHold.evidence.map((item) => item.label),
        dueBy: '2026-12-05',
      }),
      render(templates.reminder.default, { ...base, missing: ['x'], dueBy: '2026-12-05' }),
      render(templates.resolution.default, {
        caseId: 'case_1',
        subject: base.subject,
        outcomeLabel: outcome.label,
        outcomeSummary: outcome.sellerSummary,
        policyRef: outcome.policyRef,
        rationale: 'Documents verified.',
        appealBy: '2026-12-19',
        appealUrl: `${caseUrl}/appeal`,
      }),
      render(templates.appealAcknowledgement.default, base),
      render(templates.reopenAcknowledgement.default, base),
    ];

    for (const message of messages) {
      expect(message.subject, message.templateRef).toContain('the hold on payout po_1');
      expect(message.subject, message.templateRef).toMatch(/\[case case_1\]$/);
    }
    expect(messages[0]?.templateRef).toBe('payout-hold.first-response@1');
    expect(messages[1]?.text).toContain('  - An identity document of the account holder');
    expect(messages[3]?.text).toContain('Policy: PH-POL-3.2 Payout holds: release');
  });

  it('gives every template a team owner, a 2027 review date and a PH policy reference', () => {
    const templates = everyTemplate(payoutHold);

    // Seven messages (the follow-up after resolution among them) and three reply snippets.
    expect(templates).toHaveLength(10);
    for (const template of templates) {
      expect(template.owner).toBe('payments-policy@sellerworks.example');
      expect(template.reviewBy).toMatch(/^2027-\d\d-\d\d$/);
      expect(template.policyRef).toMatch(/^PH-POL-\d\.\d /);
    }
  });

  it('gives every outcome a seller summary and a PH policy reference', () => {
    expect(payoutHold.outcomes.map((o) => o.id)).toEqual([
      'payout_released',
      'hold_extended',
      'funds_returned',
    ]);
    for (const outcome of payoutHold.outcomes) {
      expect(outcome.sellerSummary.length, outcome.id).toBeGreaterThan(20);
      expect(outcome.policyRef, outcome.id).toMatch(/^PH-POL-\d\.\d /);
    }
  });
});

describe('payout-hold family', () => {
  it('asks only the seller for evidence, offers no mediation, and waits at most 20 days', () => {
    expect(payoutHold.id).toBe('payout-hold');
    expect(payoutHold.workflow).toEqual({ evidenceFrom: ['seller'], mediation: false });
    expect(payoutHold.waits.evidenceSeconds).toBeLessThanOrEqual(20 * 86_400);
    expect(payoutHold.waits.decisionSeconds).toBeLessThanOrEqual(20 * 86_400);
    expect(Object.keys(payoutHold.reasons).sort()).toEqual([
      'negative_balance',
      'risk_review',
      'verification_required',
    ]);
  });
});
