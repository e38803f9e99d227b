import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { route } from '#domain/routing.ts';
import type { TriageFacts } from '#policy/family-policy.ts';
import { listingSuppressionHandoffDetails } from '#policy/listing-suppression/handoff.ts';
import { listingSuppression } from '#policy/listing-suppression/index.ts';
import type { ListingSuppressionIntake } from '#policy/listing-suppression/intake.ts';
import { contractOf, everyTemplate, issuePathsOf, renderEveryMessage } from '../../support/family-policy.ts';

const sample: unknown = JSON.parse(
  await readFile(new URL('../../../events/intake/listing-suppression.json', import.meta.url), 'utf8'),
);

const defect = {
  attribute: 'item_weight',
  expectedValue: '2.1 kg',
  observedValue: '2100 kg',
  stepsToReproduce: 'Upload a feed with item_weight=2.1 kg, then open the listing page.',
};

const intake = (overrides: Partial<ListingSuppressionIntake> = {}): ListingSuppressionIntake => ({
  family: 'listing-suppression',
  listingId: 'LST-1',
  reason: 'policy_concern',
  suppressedAt: '2026-11-20T08:15:00Z',
  affectedListings: 1,
  explanation: 'The product is a kitchen knife sold to adults only.',
  region: 'US',
  sellerEmail: 'seller-42@example.com',
  ...overrides,
});

const defectIntake = (affectedListings: number) =>
  intake({ reason: 'product_data_defect', defect, affectedListings });

const triage = (
  i: ListingSuppressionIntake,
  priorCases90d = 0,
  priorCases365d = priorCases90d,
): TriageFacts => listingSuppression.triage(i, { priorCases90d, priorCases365d }, 'standard');

const issuePaths = issuePathsOf(listingSuppression);

const contractFor = contractOf(listingSuppression);

describe('listing-suppression intake', () => {
  it('accepts the sample POST /cases body', () => {
    const parsed = listingSuppression.intake.safeParse(sample);

    expect(parsed.error?.issues).toBeUndefined();
    expect(parsed.data?.family).toBe('listing-suppression');
  });

  it('refuses a body without a listing id, naming the field', () => {
    const { listingId: _, ...body } = intake();

    expect(issuePaths(body)).toEqual(['listingId']);
  });

  it('refuses a reason outside the family, naming the field', () => {
    expect(issuePaths({ ...intake(), reason: 'price_too_high' })).toEqual(['reason']);
  });

  it('refuses a product data defect that comes without its reproducible record', () => {
    expect(issuePaths(intake({ reason: 'product_data_defect' }))).toEqual(['defect']);
  });

  it('refuses a defect record on a policy concern', () => {
    expect(issuePaths(intake({ defect }))).toEqual(['defect']);
  });

  it('refuses a defect record whose steps are too short to reproduce, naming the nested field', () => {
    expect(
      issuePaths(
        intake({ reason: 'product_data_defect', defect: { ...defect, stepsToReproduce: 'open it' } }),
      ),
    ).toEqual(['defect.stepsToReproduce']);
  });

  it('refuses a suppression time that is not an ISO timestamp and zero affected listings', () => {
    expect(issuePaths(intake({ suppressedAt: '20/11/2026', affectedListings: 0 })).sort()).toEqual([
      'affectedListings',
      'suppressedAt',
    ]);
  });
});

describe('listing-suppression triage and routing', () => {
  it('sends a policy concern to a policy specialist with its risk signals', () => {
    const facts = triage(intake(), 1, 4);

    const routing = route(listingSuppression.routing, facts);

    expect(routing).toMatchObject({ team: 'policy-specialists', ruleId: 'ls-policy-specialist' });
    expect(facts.signals).toMatchObject({ affectedListings: 1, priorCases365d: 4, systemicDefect: false });
  });

  it('sends suspected infringement to a policy specialist', () => {
    const routing = route(listingSuppression.routing, triage(intake({ reason: 'suspected_infringement' })));

    expect(routing).toMatchObject({ team: 'policy-specialists', ruleId: 'ls-policy-specialist' });
  });

  it('sends a product data defect on a few listings to product ops', () => {
    const routing = route(listingSuppression.routing, triage(defectIntake(49)));

    expect(routing).toMatchObject({ team: 'product-ops', ruleId: 'ls-product-ops-defect' });
  });

  it('sends a defect affecting 50 listings to engineering as systemic, recording the count it matched', () => {
    const facts = triage(defectIntake(50));

    const routing = route(listingSuppression.routing, facts);

    expect(routing).toMatchObject({
      team: 'engineering',
      ruleId: 'ls-engineering-systemic-defect',
      rulesetVersion: listingSuppression.routing.version,
      matched: { reason: 'product_data_defect', affectedListings: 50 },
    });
    expect(facts).toMatchObject({ risk: 'high', urgency: 'high', signals: { systemicDefect: true } });
  });

  it('keeps policy concerns with the specialists however many listings they hide', () => {
    expect(route(listingSuppression.routing, triage(intake({ affectedListings: 500 }))).team).toBe(
      'policy-specialists',
    );
  });

  it('rates repeat suppressions high risk and a single one from an established seller low', () => {
    expect(triage(intake(), 3).risk).toBe('high');
    expect(triage(intake(), 0).risk).toBe('low');
  });

  it('ends with a catch-all rule, so no case goes unrouted', () => {
    expect(listingSuppression.routing.rules.at(-1)).toMatchObject({ id: 'ls-default', when: {} });
  });
});

describe('listing-suppression evidence', () => {
  const requiredFromSeller = (reason: string) =>
    listingSuppression.evidence
      .filter((item) => item.provider === 'seller' && item.requiredFor.includes(reason))
      .map((item) => item.kind);

  it('names the seller evidence each reason requires', () => {
    expect(requiredFromSeller('policy_concern')).toEqual(['seller_explanation', 'compliance_statement']);
    expect(requiredFromSeller('suspected_infringement')).toEqual([
      'seller_explanation',
      'rights_documentation',
    ]);
    expect(requiredFromSeller('product_data_defect')).toEqual([
      'seller_explanation',
      'defect_record',
      'corrected_product_data',
    ]);
  });

  it('counts the explanation, and for a defect its record, as provided at intake', () => {
    expect(listingSuppression.evidenceAtIntake(intake())).toEqual(['seller_explanation']);
    expect(listingSuppression.evidenceAtIntake(defectIntake(3))).toEqual([
      'seller_explanation',
      'defect_record',
    ]);
  });

  it('reads a compliance statement, rights documents and corrected data out of seller replies', () => {
    const compliance = listingSuppression.evidenceFromReply(
      { text: 'The knife complies with the policy: it is now listed as adults only.', attachments: [] },
      'seller',
    );
    const rights = listingSuppression.evidenceFromReply(
      { text: 'Attached.', attachments: [{ contentType: 'image/jpeg', filename: 'authorisation.jpg' }] },
      'seller',
    );
    const feed = listingSuppression.evidenceFromReply(
      { text: '', attachments: [{ contentType: 'text/csv', filename: 'feed.csv' }] },
      'seller',
    );
    const inText = listingSuppression.evidenceFromReply(
      { text: 'The weight should be 2.1 kg.', attachments: [] },
      'seller',
    );

    expect(compliance).toEqual(['compliance_statement']);
    expect(rights).toEqual(['rights_documentation']);
    expect(feed).toEqual(['corrected_product_data']);
    expect(inText).toEqual(['corrected_product_data']);
  });

  it('maps a PDF to both a compliance certificate and rights documentation, and small talk to nothing', () => {
    const pdf = listingSuppression.evidenceFromReply(
      { text: 'Thanks', attachments: [{ contentType: 'application/pdf', filename: 'cert.pdf' }] },
      'seller',
    );

    expect(pdf.sort()).toEqual(['compliance_statement', 'rights_documentation']);
    expect(
      listingSuppression.evidenceFromReply({ text: 'Thanks, waiting.', attachments: [] }, 'seller'),
    ).toEqual([]);
  });
});

describe('listing-suppression handoff', () => {
  it.each(['product-ops', 'engineering'])(
    'gives %s a reproducible record that meets its contract',
    (team) => {
      const details = listingSuppression.handoff.details(defectIntake(60), team);

      const parsed = contractFor(team).safeParse(details);

      expect(parsed.error?.issues).toBeUndefined();
      expect(details).toMatchObject({ listingId: 'LST-1', ...defect });
    },
  );

  it('gives the policy specialists the listing, the reason and the risk signals from triage', () => {
    const i = intake({ reason: 'suspected_infringement' });
    const details = listingSuppressionHandoffDetails(i, 'policy-specialists', triage(i, 2, 5));

    const parsed = contractFor('policy-specialists').safeParse(details);

    expect(parsed.error?.issues).toBeUndefined();
    expect(details).toMatchObject({
      listingId: 'LST-1',
      reason: 'suspected_infringement',
      priorCases90d: 2,
      priorCases365d: 5,
    });
  });

  it('refuses a product-ops handoff without the steps to reproduce', () => {
    const { stepsToReproduce: _, ...details } = listingSuppression.handoff.details(
      defectIntake(3),
      'product-ops',
    );

    const parsed = contractFor('product-ops').safeParse(details);

    expect(parsed.error?.issues.map((issue) => issue.path.join('.'))).toEqual(['stepsToReproduce']);
  });

  it('refuses an engineering handoff for a case that has no defect record', () => {
    const parsed = contractFor('engineering').safeParse(
      listingSuppression.handoff.details(intake(), 'engineering'),
    );

    expect(parsed.success).toBe(false);
  });

  it('refuses a policy-specialist handoff without the risk signals', () => {
    const details = listingSuppression.handoff.details(intake(), 'policy-specialists');

    const parsed = contractFor('policy-specialists').safeParse(details);

    expect(parsed.error?.issues.map((issue) => issue.path.join('.')).sort()).toEqual([
      'priorCases365d',
      'priorCases90d',
      'risk',
    ]);
  });
});

describe('listing-suppression policy and messages', () => {
  const vars = {
    caseId: 'case_1',
    subject: listingSuppression.subject(intake()),
    caseUrl: 'http://localhost:3000/cases/case_1',
  };

  it('renders every message after its variables parse, naming the listing and the case', () => {
    const messages = renderEveryMessage(listingSuppression, vars, {
      reasonLabel: listingSuppression.reasons.policy_concern!,
      missing: ['A compliance statement'],
      resolution: {
        outcomeLabel: 'Listing reinstated',
        outcomeSummary: 'Visible again.',
        policyRef: 'LS-POL-4.2',
        rationale: 'The product meets the policy.',
        appealBy: '2027-05-20',
      },
    });
    const text = (id: string) => messages.find(([templateId]) => templateId === id)?.[2];

    expect(messages).toHaveLength(7);
    for (const [, subject, body] of messages) {
      expect(subject).toContain('the suppression of listing LST-1');
      expect(subject).toContain('[case case_1]');
      expect(body).toContain('case_1');
    }
    expect(text('listing-suppression.first-response')).toContain('it may break a marketplace policy');
    expect(text('listing-suppression.evidence-request')).toContain('  - A compliance statement');
    expect(text('listing-suppression.resolution.eu')).toContain('out-of-court dispute settlement');
  });

  it('gives every template an owner address, a 2027 review date and a family policy reference', () => {
    const templates = everyTemplate(listingSuppression);

    for (const template of templates) {
      expect(template?.owner).toMatch(/^[\w.-]+@[\w.-]+$/);
      expect(template?.reviewBy).toMatch(/^2027-\d\d-\d\d$/);
      expect(template?.policyRef).toMatch(/^LS-POL-/);
    }
  });

  it('names a policy reference for every outcome and keeps every wait within 20 days', () => {
    expect(listingSuppression.outcomes.map((o) => o.id)).toEqual([
      'listing_reinstated',
      'listing_removed',
      'data_corrected',
    ]);
    for (const outcome of listingSuppression.outcomes) expect(outcome.policyRef).toMatch(/^LS-POL-\d+\.\d+ /);
    for (const seconds of Object.values(listingSuppression.waits))
      expect(seconds).toBeLessThanOrEqual(20 * 86_400);
    expect(listingSuppression.workflow).toEqual({ evidenceFrom: ['seller'], mediation: false });
  });
});
