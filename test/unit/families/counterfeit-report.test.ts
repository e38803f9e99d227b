import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { route } from '#domain/routing.ts';
import { counterfeitReportHandoffDetails } from '#policy/counterfeit-report/handoff.ts';
import { counterfeitReport } from '#policy/counterfeit-report/index.ts';
import type { CounterfeitReportIntake } from '#policy/counterfeit-report/intake.ts';
import type { TriageFacts } from '#policy/family-policy.ts';
import { contractOf, everyTemplate, issuePathsOf, renderEveryMessage } from '../../support/family-policy.ts';

const sample: unknown = JSON.parse(
  await readFile(new URL('../../../events/intake/counterfeit-report.json', import.meta.url), 'utf8'),
);

const intake = (overrides: Partial<CounterfeitReportIntake> = {}): CounterfeitReportIntake => ({
  family: 'counterfeit-report',
  listingId: 'LST-9',
  reason: 'counterfeit_claim',
  reportedBy: 'buyer',
  claimDetails: 'The wallet has no serial number and the logo is misspelt.',
  region: 'US',
  sellerEmail: 'seller-42@example.com',
  ...overrides,
});

const triage = (i: CounterfeitReportIntake, priorCases365d = 0, priorCases90d = 0): TriageFacts =>
  counterfeitReport.triage(i, { priorCases90d, priorCases365d }, 'standard');

const issuePaths = issuePathsOf(counterfeitReport);

const contractFor = contractOf(counterfeitReport);

describe('counterfeit-report intake', () => {
  it('accepts the sample POST /cases body', () => {
    const parsed = counterfeitReport.intake.safeParse(sample);

    expect(parsed.error?.issues).toBeUndefined();
    expect(parsed.data?.family).toBe('counterfeit-report');
  });

  it('refuses a report without claim details, naming the field', () => {
    const { claimDetails: _, ...body } = intake();

    expect(issuePaths(body)).toEqual(['claimDetails']);
  });

  it('refuses a reason outside the family, naming the field', () => {
    expect(issuePaths({ ...intake(), reason: 'late_shipment' })).toEqual(['reason']);
  });

  it('refuses an unknown reporter and a rights-owner notice that did not come from a rights owner', () => {
    expect(issuePaths({ ...intake(), reportedBy: 'competitor' })).toEqual(['reportedBy']);
    expect(issuePaths(intake({ reason: 'rights_owner_notice', reportedBy: 'buyer' }))).toEqual([
      'reportedBy',
    ]);
    expect(issuePaths(intake({ reason: 'rights_owner_notice', reportedBy: 'rights_owner' }))).toEqual([]);
  });
});

describe('counterfeit-report triage and routing', () => {
  it('sends a first report to trust and safety by the default rule', () => {
    const facts = triage(intake(), 1);

    const routing = route(counterfeitReport.routing, facts);

    expect(routing).toMatchObject({ team: 'trust-and-safety', ruleId: 'cr-default' });
    expect(facts).toMatchObject({ risk: 'low', signals: { priorStrikes: 1, reportedBy: 'buyer' } });
  });

  it('routes a counterfeit report with two prior strikes in a year to senior trust and safety', () => {
    const facts = triage(intake(), 2);

    const routing = route(counterfeitReport.routing, facts);

    expect(routing).toMatchObject({
      team: 'trust-and-safety-senior',
      ruleId: 'cr-senior-repeat-strikes',
      rulesetVersion: counterfeitReport.routing.version,
      matched: { priorStrikes: 2 },
    });
    expect(facts.risk).toBe('high');
  });

  it('rates a fraud allegation high risk even without strikes, and a rights-owner notice urgent', () => {
    expect(triage(intake({ reason: 'fraud_allegation' }))).toMatchObject({ risk: 'high', urgency: 'high' });
    expect(triage(intake({ reason: 'rights_owner_notice', reportedBy: 'rights_owner' }))).toMatchObject({
      risk: 'low',
      urgency: 'high',
    });
  });

  it('ends with a catch-all rule, so no report goes unrouted', () => {
    expect(counterfeitReport.routing.rules.at(-1)).toMatchObject({ id: 'cr-default', when: {} });
  });
});

describe('counterfeit-report evidence', () => {
  const requiredFromSeller = (reason: string) =>
    counterfeitReport.evidence
      .filter((item) => item.provider === 'seller' && item.requiredFor.includes(reason))
      .map((item) => item.kind);

  it('names the seller evidence each reason requires', () => {
    expect(requiredFromSeller('counterfeit_claim')).toEqual([
      'supplier_invoices',
      'authenticity_documents',
      'seller_statement',
    ]);
    expect(requiredFromSeller('rights_owner_notice')).toEqual([
      'supplier_invoices',
      'authenticity_documents',
      'seller_statement',
    ]);
    expect(requiredFromSeller('fraud_allegation')).toEqual(['transaction_records', 'seller_statement']);
  });

  it('counts the claim as provided at intake', () => {
    expect(counterfeitReport.evidenceAtIntake(intake())).toEqual(['claim_details']);
  });

  it('reads invoices, a named authorisation and a statement out of a seller reply', () => {
    const kinds = counterfeitReport.evidenceFromReply(
      {
        text: 'I am an authorised reseller; the brand authorisation letter and invoice are attached.',
        attachments: [{ contentType: 'application/pdf', filename: 'invoice.pdf' }],
      },
      'seller',
    );

    expect(kinds.sort()).toEqual([
      'authenticity_documents',
      'seller_statement',
      'supplier_invoices',
      'transaction_records',
    ]);
  });

  it('reads order numbers or a spreadsheet as transaction records, but not a bare statement', () => {
    const orders = counterfeitReport.evidenceFromReply(
      { text: 'Order #114-3941689 was paid.', attachments: [] },
      'seller',
    );
    const sheet = counterfeitReport.evidenceFromReply(
      { text: '', attachments: [{ contentType: 'text/csv', filename: 'orders.csv' }] },
      'seller',
    );
    const words = counterfeitReport.evidenceFromReply(
      { text: 'These are genuine.', attachments: [] },
      'seller',
    );

    expect(orders.sort()).toEqual(['seller_statement', 'transaction_records']);
    expect(sheet).toEqual(['transaction_records']);
    expect(words).toEqual(['seller_statement']);
  });
});

describe('counterfeit-report handoff', () => {
  it.each([
    ['trust-and-safety', 0],
    ['trust-and-safety-senior', 3],
  ])('gives %s the listing, the claim and the strikes its contract requires', (team, strikes) => {
    const i = intake();
    const details = counterfeitReportHandoffDetails(i, team, triage(i, strikes));

    const parsed = contractFor(team).safeParse(details);

    expect(parsed.error?.issues).toBeUndefined();
    expect(details).toEqual({
      listingId: 'LST-9',
      reason: 'counterfeit_claim',
      reportedBy: 'buyer',
      claimDetails: i.claimDetails,
      priorStrikes: strikes,
    });
  });

  it('refuses a handoff whose strikes are unknown rather than reporting none', () => {
    const parsed = contractFor('trust-and-safety').safeParse(
      counterfeitReport.handoff.details(intake(), 'trust-and-safety'),
    );

    expect(parsed.error?.issues.map((issue) => issue.path.join('.'))).toEqual(['priorStrikes']);
  });

  it('refuses a handoff without the reporter', () => {
    const i = intake();
    const { reportedBy: _, ...details } = counterfeitReportHandoffDetails(
      i,
      'trust-and-safety-senior',
      triage(i, 2),
    );

    const parsed = contractFor('trust-and-safety-senior').safeParse(details);

    expect(parsed.error?.issues.map((issue) => issue.path.join('.'))).toEqual(['reportedBy']);
  });
});

describe('counterfeit-report policy and messages', () => {
  const vars = {
    caseId: 'case_2',
    subject: counterfeitReport.subject(intake()),
    caseUrl: 'http://localhost:3000/cases/case_2',
  };

  it('renders every message after its variables parse, naming the listing and the case', () => {
    const messages = renderEveryMessage(counterfeitReport, vars, {
      reasonLabel: counterfeitReport.reasons.counterfeit_claim!,
      missing: ['Invoices from your supplier'],
      resolution: {
        outcomeLabel: 'Report cleared',
        outcomeSummary: 'No strike.',
        policyRef: 'CR-POL-4.2',
        rationale: 'Invoices match the brand distributor.',
        appealBy: '2027-05-20',
      },
    });
    const text = (id: string) => messages.find(([templateId]) => templateId === id)?.[2];

    expect(messages).toHaveLength(7);
    for (const [, subject, body] of messages) {
      expect(subject).toContain('the report about listing LST-9');
      expect(subject).toContain('[case case_2]');
      expect(body).toContain('case_2');
    }
    expect(text('counterfeit-report.first-response')).toContain('may not be genuine');
    expect(text('counterfeit-report.resolution.eu')).toContain('Statement of reasons');
  });

  it('gives every template an owner address, a 2027 review date and a family policy reference', () => {
    const templates = everyTemplate(counterfeitReport);

    for (const template of templates) {
      expect(template?.owner).toMatch(/^[\w.-]+@[\w.-]+$/);
      expect(template?.reviewBy).toMatch(/^2027-\d\d-\d\d$/);
      expect(template?.policyRef).toMatch(/^CR-POL-/);
    }
  });

  it('names a policy reference for every outcome and keeps every wait within 20 days', () => {
    expect(counterfeitReport.outcomes.map((o) => o.id)).toEqual([
      'cleared',
      'listing_removed',
      'account_restricted',
    ]);
    for (const outcome of counterfeitReport.outcomes) expect(outcome.policyRef).toMatch(/^CR-POL-\d+\.\d+ /);
    for (const seconds of Object.values(counterfeitReport.waits))
      expect(seconds).toBeLessThanOrEqual(20 * 86_400);
    expect(counterfeitReport.workflow).toEqual({ evidenceFrom: ['seller'], mediation: false });
  });
});
