import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { route } from '#domain/routing.ts';
import { policyAppeal } from '#policy/policy-appeal/index.ts';
import type { PolicyAppealIntake } from '#policy/policy-appeal/intake.ts';
import { contractOf, everyTemplate, issuePathsOf, renderEveryMessage } from '../../support/family-policy.ts';

const sample: unknown = JSON.parse(
  await readFile(new URL('../../../events/intake/policy-appeal.json', import.meta.url), 'utf8'),
);

const plan =
  'Root cause: late tracking uploads. We fixed the carrier sync and, to prevent a repeat, check tracking daily.';

const intake = (overrides: Partial<PolicyAppealIntake> = {}): PolicyAppealIntake => ({
  family: 'policy-appeal',
  reason: 'listing_removal',
  originalDecision: {
    decisionId: 'ENF-1',
    decidedAt: '2026-11-18T14:02:00Z',
    policyRef: 'LP-2.1 Restricted products',
  },
  appealStatement: 'The removed item is a toy kitchen knife made of plastic, not a blade.',
  region: 'US',
  sellerEmail: 'seller-42@example.com',
  ...overrides,
});

const triage = (i: PolicyAppealIntake, priorCases90d = 0) =>
  policyAppeal.triage(i, { priorCases90d, priorCases365d: priorCases90d }, 'standard');

const issuePaths = issuePathsOf(policyAppeal);

const contractFor = contractOf(policyAppeal);

describe('policy-appeal intake', () => {
  it('accepts the sample POST /cases body', () => {
    const parsed = policyAppeal.intake.safeParse(sample);

    expect(parsed.error?.issues).toBeUndefined();
    expect(parsed.data?.family).toBe('policy-appeal');
  });

  it('refuses an appeal whose original decision has no decision id, naming the nested field', () => {
    const { decisionId: _, ...decision } = intake().originalDecision;

    expect(issuePaths({ ...intake(), originalDecision: decision })).toEqual(['originalDecision.decisionId']);
  });

  it('refuses an appeal without a statement, naming the field', () => {
    const { appealStatement: _, ...body } = intake();

    expect(issuePaths(body)).toEqual(['appealStatement']);
  });

  it('refuses a reason outside the family, naming the field', () => {
    expect(issuePaths({ ...intake(), reason: 'payout_hold' })).toEqual(['reason']);
  });

  it('refuses a decision time that is a date only', () => {
    expect(
      issuePaths(intake({ originalDecision: { ...intake().originalDecision, decidedAt: '2026-11-18' } })),
    ).toEqual(['originalDecision.decidedAt']);
  });
});

describe('policy-appeal triage and routing', () => {
  it('sends a suspension appeal to senior reviewers as high risk and urgent', () => {
    const facts = triage(intake({ reason: 'account_suspension' }));

    const routing = route(policyAppeal.routing, facts);

    expect(routing).toMatchObject({
      team: 'policy-appeals-senior',
      ruleId: 'pa-senior-suspension',
      rulesetVersion: policyAppeal.routing.version,
      matched: { reason: 'account_suspension' },
    });
    expect(facts).toMatchObject({ risk: 'high', urgency: 'high', signals: { accountSuspended: true } });
  });

  it.each(['listing_removal', 'selling_limit'] as const)(
    'sends a %s appeal to the policy appeals team',
    (reason) => {
      const facts = triage(intake({ reason }));

      const routing = route(policyAppeal.routing, facts);

      expect(routing).toMatchObject({ team: 'policy-appeals', ruleId: 'pa-default' });
      expect(facts).toMatchObject({ risk: 'low', urgency: 'normal' });
    },
  );

  it('ends with a catch-all rule, so no appeal goes unrouted', () => {
    expect(policyAppeal.routing.rules.at(-1)).toMatchObject({ id: 'pa-default', when: {} });
  });
});

describe('policy-appeal evidence', () => {
  const requiredFromSeller = (reason: string) =>
    policyAppeal.evidence
      .filter((item) => item.provider === 'seller' && item.requiredFor.includes(reason))
      .map((item) => item.kind);

  it('names the seller evidence each reason requires, with a plan of action only for a suspension', () => {
    expect(requiredFromSeller('account_suspension')).toEqual([
      'appeal_statement',
      'plan_of_action',
      'supporting_documents',
    ]);
    expect(requiredFromSeller('listing_removal')).toEqual(['appeal_statement', 'supporting_documents']);
    expect(requiredFromSeller('selling_limit')).toEqual(['appeal_statement', 'supporting_documents']);
  });

  it('counts an appeal statement that names root cause, fixes and prevention as the plan of action', () => {
    expect(policyAppeal.evidenceAtIntake(intake())).toEqual(['appeal_statement']);
    expect(policyAppeal.evidenceAtIntake(intake({ appealStatement: plan }))).toEqual([
      'appeal_statement',
      'plan_of_action',
    ]);
  });

  it('reads a plan of action and documents out of a reply, but not a plan missing its prevention', () => {
    const full = policyAppeal.evidenceFromReply(
      { text: plan, attachments: [{ contentType: 'application/pdf', filename: 'tracking.pdf' }] },
      'seller',
    );
    const partial = policyAppeal.evidenceFromReply(
      { text: 'The root cause was late tracking, which we fixed.', attachments: [] },
      'seller',
    );

    expect(full.sort()).toEqual(['plan_of_action', 'supporting_documents']);
    expect(partial).toEqual([]);
  });
});

describe('policy-appeal handoff', () => {
  it.each(['policy-appeals', 'policy-appeals-senior'])(
    'gives %s the original decision and the appeal statement its contract requires',
    (team) => {
      const details = policyAppeal.handoff.details(intake({ reason: 'account_suspension' }), team);

      const parsed = contractFor(team).safeParse(details);

      expect(parsed.error?.issues).toBeUndefined();
      expect(details).toMatchObject({
        originalDecision: intake().originalDecision,
        appealStatement: intake().appealStatement,
      });
    },
  );

  it('refuses a handoff whose original decision lacks its policy reference', () => {
    const details = policyAppeal.handoff.details(intake(), 'policy-appeals');
    const { policyRef: _, ...decision } = intake().originalDecision;

    const parsed = contractFor('policy-appeals').safeParse({ ...details, originalDecision: decision });

    expect(parsed.error?.issues.map((issue) => issue.path.join('.'))).toEqual(['originalDecision.policyRef']);
  });

  it('refuses a handoff without the appeal statement', () => {
    const { appealStatement: _, ...details } = policyAppeal.handoff.details(
      intake(),
      'policy-appeals-senior',
    );

    const parsed = contractFor('policy-appeals-senior').safeParse(details);

    expect(parsed.error?.issues.map((issue) => issue.path.join('.'))).toEqual(['appealStatement']);
  });
});

describe('policy-appeal policy and messages', () => {
  const vars = {
    caseId: 'case_3',
    subject: policyAppeal.subject(intake()),
    caseUrl: 'http://localhost:3000/cases/case_3',
  };

  it('renders every message after its variables parse, naming the decision and the case', () => {
    const messages = renderEveryMessage(policyAppeal, vars, {
      reasonLabel: policyAppeal.reasons.account_suspension!,
      missing: ['A plan of action'],
      resolution: {
        outcomeLabel: 'Decision reversed',
        outcomeSummary: 'Restored.',
        policyRef: 'PA-POL-4.2',
        rationale: 'The plan addresses the root cause.',
        appealBy: '2026-12-20',
      },
    });
    const text = (id: string) => messages.find(([templateId]) => templateId === id)?.[2];

    expect(messages).toHaveLength(7);
    for (const [, subject, body] of messages) {
      expect(subject).toContain('your appeal against decision ENF-1');
      expect(subject).toContain('[case case_3]');
      expect(body).toContain('case_3');
    }
    expect(text('policy-appeal.first-response')).toContain('suspension of your selling account');
    expect(text('policy-appeal.resolution.eu')).toContain('out-of-court dispute settlement');
  });

  it('gives every template an owner address, a 2027 review date and a family policy reference', () => {
    const templates = everyTemplate(policyAppeal);

    for (const template of templates) {
      expect(template?.owner).toMatch(/^[\w.-]+@[\w.-]+$/);
      expect(template?.reviewBy).toMatch(/^2027-\d\d-\d\d$/);
      expect(template?.policyRef).toMatch(/^PA-POL-/);
    }
  });

  it('names a policy reference for every outcome and keeps every wait within 20 days', () => {
    expect(policyAppeal.outcomes.map((o) => o.id)).toEqual([
      'decision_reversed',
      'decision_upheld',
      'partially_reversed',
    ]);
    for (const outcome of policyAppeal.outcomes) expect(outcome.policyRef).toMatch(/^PA-POL-\d+\.\d+ /);
    for (const seconds of Object.values(policyAppeal.waits)) expect(seconds).toBeLessThanOrEqual(20 * 86_400);
    expect(policyAppeal.workflow).toEqual({ evidenceFrom: ['seller'], mediation: false });
  });
});
