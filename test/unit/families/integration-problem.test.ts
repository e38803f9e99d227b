import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { route } from '#domain/routing.ts';
import { integrationProblem } from '#policy/integration-problem/index.ts';
import type { IntegrationProblemIntake } from '#policy/integration-problem/intake.ts';
import { contractOf, everyTemplate, issuePathsOf, renderEveryMessage } from '../../support/family-policy.ts';

const sample: unknown = JSON.parse(
  await readFile(new URL('../../../events/intake/integration-problem.json', import.meta.url), 'utf8'),
);

const intake = (overrides: Partial<IntegrationProblemIntake> = {}): IntegrationProblemIntake => ({
  family: 'integration-problem',
  reason: 'api_error',
  integrationName: 'ShipBridge',
  errorCode: 'E500',
  occurredAt: '2026-11-21T03:40:00Z',
  affectedOrders: 5,
  reproductionSteps: 'POST a two-package shipment to /v2/orders/1/shipments; it answers 500.',
  region: 'US',
  sellerEmail: 'seller-42@example.com',
  ...overrides,
});

const triage = (i: IntegrationProblemIntake) =>
  integrationProblem.triage(i, { priorCases90d: 0, priorCases365d: 0 }, 'standard');

const issuePaths = issuePathsOf(integrationProblem);

const contractFor = contractOf(integrationProblem);

describe('integration-problem intake', () => {
  it('accepts the sample POST /cases body', () => {
    const parsed = integrationProblem.intake.safeParse(sample);

    expect(parsed.error?.issues).toBeUndefined();
    expect(parsed.data?.family).toBe('integration-problem');
  });

  it('refuses a problem without an error code, naming the field', () => {
    const { errorCode: _, ...body } = intake();

    expect(issuePaths(body)).toEqual(['errorCode']);
  });

  it('refuses reproduction steps too short for engineering to follow', () => {
    const parsed = integrationProblem.intake.safeParse(intake({ reproductionSteps: 'it fails' }));

    expect(parsed.error?.issues).toMatchObject([
      { path: ['reproductionSteps'], message: expect.stringContaining('at least 20 characters') },
    ]);
  });

  it('refuses a reason outside the family, naming the field', () => {
    expect(issuePaths({ ...intake(), reason: 'slow_dashboard' })).toEqual(['reason']);
  });

  it('accepts a problem with no endpoint and no affected orders, but not a fractional count', () => {
    expect(issuePaths(intake({ affectedOrders: 0 }))).toEqual([]);
    expect(issuePaths(intake({ affectedOrders: 2.5 }))).toEqual(['affectedOrders']);
  });
});

describe('integration-problem triage and routing', () => {
  it('sends an API error affecting a few orders to engineering at normal urgency', () => {
    const facts = triage(intake());

    const routing = route(integrationProblem.routing, facts);

    expect(routing).toMatchObject({ team: 'engineering', ruleId: 'ip-default' });
    expect(facts).toMatchObject({ risk: 'low', urgency: 'normal', signals: { affectedOrders: 5 } });
  });

  it('sends a problem affecting 100 orders to on-call engineering as urgent, recording the count', () => {
    const facts = triage(intake({ reason: 'feed_rejected', affectedOrders: 100 }));

    const routing = route(integrationProblem.routing, facts);

    expect(routing).toMatchObject({
      team: 'engineering-oncall',
      ruleId: 'ip-oncall-widespread',
      rulesetVersion: integrationProblem.routing.version,
      matched: { affectedOrders: 100 },
    });
    expect(facts.urgency).toBe('high');
  });

  it('keeps a problem affecting 99 orders with engineering', () => {
    expect(route(integrationProblem.routing, triage(intake({ affectedOrders: 99 }))).team).toBe(
      'engineering',
    );
  });

  it('sends an auth failure to on-call engineering even when no orders are counted', () => {
    const facts = triage(intake({ reason: 'auth_failure', affectedOrders: 0 }));

    const routing = route(integrationProblem.routing, facts);

    expect(routing).toMatchObject({ team: 'engineering-oncall', ruleId: 'ip-oncall-auth' });
    expect(facts.urgency).toBe('high');
  });

  it('ends with a catch-all rule, so no problem goes unrouted', () => {
    expect(integrationProblem.routing.rules.at(-1)).toMatchObject({ id: 'ip-default', when: {} });
  });
});

describe('integration-problem evidence', () => {
  const requiredFromSeller = (reason: string) =>
    integrationProblem.evidence
      .filter((item) => item.provider === 'seller' && item.requiredFor.includes(reason))
      .map((item) => item.kind);

  it('names the seller evidence each reason requires, never screenshots', () => {
    expect(requiredFromSeller('api_error')).toEqual(['reproduction_steps', 'request_response_log']);
    expect(requiredFromSeller('webhook_failure')).toEqual(['reproduction_steps', 'request_response_log']);
    expect(requiredFromSeller('feed_rejected')).toEqual(['reproduction_steps', 'rejected_feed_file']);
    expect(requiredFromSeller('auth_failure')).toEqual(['reproduction_steps']);
    expect(integrationProblem.evidence.find((item) => item.kind === 'screenshots')?.requiredFor).toEqual([]);
  });

  it('counts the reproduction steps as provided at intake', () => {
    expect(integrationProblem.evidenceAtIntake(intake())).toEqual(['reproduction_steps']);
  });

  it('reads a pasted HTTP exchange or a log file as the request/response log', () => {
    const pasted = integrationProblem.evidenceFromReply(
      { text: 'POST /v2/orders/1/shipments\nHTTP/1.1 500 Internal Server Error', attachments: [] },
      'seller',
    );
    const file = integrationProblem.evidenceFromReply(
      { text: '', attachments: [{ contentType: 'application/har+json', filename: 'trace.har' }] },
      'seller',
    );

    expect(pasted).toEqual(['request_response_log']);
    expect(file).toEqual(['request_response_log']);
  });

  it('reads a CSV as the rejected feed, an image as a screenshot, and plain words as nothing', () => {
    const feed = integrationProblem.evidenceFromReply(
      { text: '', attachments: [{ contentType: 'text/csv', filename: 'inventory.csv' }] },
      'seller',
    );
    const screenshot = integrationProblem.evidenceFromReply(
      { text: '', attachments: [{ contentType: 'image/png', filename: 'error.png' }] },
      'seller',
    );

    expect(feed).toEqual(['rejected_feed_file']);
    expect(screenshot).toEqual(['screenshots']);
    expect(
      integrationProblem.evidenceFromReply({ text: 'Still failing.', attachments: [] }, 'seller'),
    ).toEqual([]);
  });
});

describe('integration-problem handoff', () => {
  it.each(['engineering', 'engineering-oncall'])(
    'gives %s the reproducible record its contract requires',
    (team) => {
      const details = integrationProblem.handoff.details(
        intake({ endpoint: 'POST /v2/orders/{id}/shipments' }),
        team,
      );

      const parsed = contractFor(team).safeParse(details);

      expect(parsed.error?.issues).toBeUndefined();
      expect(details).toMatchObject({
        integrationName: 'ShipBridge',
        errorCode: 'E500',
        occurredAt: '2026-11-21T03:40:00Z',
        reproductionSteps: intake().reproductionSteps,
      });
    },
  );

  it('leaves the endpoint out when the seller gave none, and the contract still holds', () => {
    const details = integrationProblem.handoff.details(intake(), 'engineering');

    expect(details).not.toHaveProperty('endpoint');
    expect(contractFor('engineering').safeParse(details).success).toBe(true);
  });

  it.each(['reproductionSteps', 'errorCode', 'occurredAt', 'integrationName'])(
    'refuses an on-call handoff without %s',
    (field) => {
      const details: Record<string, unknown> = {
        ...integrationProblem.handoff.details(intake(), 'engineering-oncall'),
      };
      delete details[field];

      const parsed = contractFor('engineering-oncall').safeParse(details);

      expect(parsed.error?.issues.map((issue) => issue.path.join('.'))).toEqual([field]);
    },
  );
});

describe('integration-problem policy and messages', () => {
  const vars = {
    caseId: 'case_4',
    subject: integrationProblem.subject(intake()),
    caseUrl: 'http://localhost:3000/cases/case_4',
  };

  it('renders every message after its variables parse, naming the integration and the case', () => {
    const messages = renderEveryMessage(integrationProblem, vars, {
      reasonLabel: integrationProblem.reasons.api_error!,
      missing: ['The request and response of a failing call'],
      resolution: {
        outcomeLabel: 'Fixed',
        outcomeSummary: 'Works again.',
        policyRef: 'IP-POL-4.2',
        rationale: 'Multi-package shipments were mis-validated.',
        appealBy: '2026-12-20',
      },
    });
    const text = (id: string) => messages.find(([templateId]) => templateId === id)?.[2];

    expect(messages).toHaveLength(6);
    for (const [, subject, body] of messages) {
      expect(subject).toContain('the integration problem with ShipBridge (error E500)');
      expect(subject).toContain('[case case_4]');
      expect(body).toContain('case_4');
    }
    expect(text('integration-problem.first-response')).toContain('calls to our API return an error');
  });

  it('gives every template an owner address, a 2027 review date and a family policy reference', () => {
    const templates = everyTemplate(integrationProblem);

    for (const template of templates) {
      expect(template.owner).toMatch(/^[\w.-]+@[\w.-]+$/);
      expect(template.reviewBy).toMatch(/^2027-\d\d-\d\d$/);
      expect(template.policyRef).toMatch(/^IP-POL-/);
    }
  });

  it('names a policy reference for every outcome and keeps every wait within 20 days', () => {
    expect(integrationProblem.outcomes.map((o) => o.id)).toEqual([
      'fixed',
      'workaround_provided',
      'not_a_platform_issue',
    ]);
    for (const outcome of integrationProblem.outcomes) expect(outcome.policyRef).toMatch(/^IP-POL-\d+\.\d+ /);
    for (const seconds of Object.values(integrationProblem.waits))
      expect(seconds).toBeLessThanOrEqual(20 * 86_400);
    expect(integrationProblem.workflow).toEqual({ evidenceFrom: ['seller'], mediation: false });
  });
});
