import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { evidenceStatus, missingFrom } from '#domain/evidence.ts';
import { type RenderedMessage, render } from '#domain/templates.ts';
import { accountRecovery } from '#policy/account-recovery/index.ts';
import type { AccountRecoveryIntake } from '#policy/account-recovery/intake.ts';
import { ACCOUNT_RECOVERY_TEAMS } from '#policy/account-recovery/routing.ts';
import { everyTemplate, intakeIssuesOf, NO_HISTORY, routeWith } from '../../support/family-policy.ts';

const sample: unknown = JSON.parse(
  readFileSync(new URL('../../../events/intake/account-recovery.json', import.meta.url), 'utf8'),
);

const intake = (overrides: Partial<AccountRecoveryIntake> = {}): AccountRecoveryIntake => ({
  family: 'account-recovery',
  accountId: 'acct_1',
  reason: 'lost_access',
  contactEmailOnFile: 'Seller-42@Example.com',
  region: 'UK',
  sellerEmail: 'seller-42@example.com',
  statement: 'My phone was replaced and I can no longer sign in.',
  ...overrides,
});

const routeOf = routeWith(accountRecovery, intake);

const issuesOf = intakeIssuesOf(accountRecovery);

describe('account-recovery intake', () => {
  it('accepts the sample request in events/intake', () => {
    const result = accountRecovery.intake.safeParse(sample);

    expect(result.success, JSON.stringify(result.error?.issues)).toBe(true);
    expect(result.data?.sellerEmail).toBe('seller-42@example.com');
  });

  it('refuses a request without the statement, naming the field', () => {
    const { statement: _omitted, ...rest } = intake();

    expect(issuesOf(rest).map((i) => i.path)).toEqual(['statement']);
  });

  it('refuses an unknown reason, naming the field and the reasons it accepts', () => {
    expect(issuesOf({ ...intake(), reason: 'forgot_password' })).toEqual([
      { path: 'reason', reason: 'one of lost_access, compromised_account, identity_verification' },
    ]);
  });

  it('accepts a last sign-in with a time zone offset, and refuses a bare date or a bad address on file', () => {
    expect(issuesOf(intake({ lastSuccessfulLoginAt: '2026-11-24T08:41:00+01:00' }))).toEqual([]);
    expect(issuesOf({ ...intake(), lastSuccessfulLoginAt: '2026-11-24' }).map((i) => i.path)).toEqual([
      'lastSuccessfulLoginAt',
    ]);
    expect(issuesOf({ ...intake(), contactEmailOnFile: 'not-an-address' }).map((i) => i.path)).toEqual([
      'contactEmailOnFile',
    ]);
  });
});

describe('account-recovery triage', () => {
  it('treats a compromised account as high risk and urgent even for a top-rated seller', () => {
    const facts = accountRecovery.triage(intake({ reason: 'compromised_account' }), NO_HISTORY, 'top_rated');

    expect(facts).toMatchObject({ risk: 'high', urgency: 'high' });
    expect(facts).not.toHaveProperty('amount');
  });

  it('records whether the requester writes from the address on file, ignoring case', () => {
    const same = accountRecovery.triage(intake(), NO_HISTORY, 'standard');
    const other = accountRecovery.triage(
      intake({ contactEmailOnFile: 'old@example.org', lastSuccessfulLoginAt: '2026-11-01T10:00:00Z' }),
      NO_HISTORY,
      'standard',
    );

    expect(same).toMatchObject({ risk: 'low', urgency: 'normal' });
    expect(same.signals).toEqual({ requesterIsContactOnFile: true, hasLastSuccessfulLogin: false });
    expect(other.signals).toEqual({ requesterIsContactOnFile: false, hasLastSuccessfulLogin: true });
  });
});

describe('account-recovery routing', () => {
  it('sends a compromised account to trust and safety', () => {
    expect(routeOf({ reason: 'compromised_account' })).toMatchObject({
      team: 'trust-and-safety',
      ruleId: 'ar-compromised',
      matched: { reason: 'compromised_account' },
      rulesetVersion: accountRecovery.routing.version,
    });
  });

  it('sends lost access and identity verification to identity and access by the catch-all rule', () => {
    for (const reason of ['lost_access', 'identity_verification'] as const) {
      expect(routeOf({ reason }), reason).toMatchObject({
        team: 'identity-and-access',
        ruleId: 'ar-default',
      });
    }
    expect(accountRecovery.routing.rules.at(-1)?.when).toEqual({});
  });
});

describe('account-recovery evidence', () => {
  const sellerMissing = (reason: string) =>
    missingFrom(evidenceStatus(accountRecovery.evidence, reason, []), 'seller').map((item) => item.kind);

  it('asks the seller for exactly the items each reason needs', () => {
    expect(sellerMissing('lost_access')).toEqual(['identity_document', 'seller_statement']);
    expect(sellerMissing('compromised_account')).toEqual(['identity_document', 'seller_statement']);
    expect(sellerMissing('identity_verification')).toEqual([
      'identity_document',
      'business_registration',
      'seller_statement',
    ]);
    for (const item of accountRecovery.evidence) expect(item.label.length, item.kind).toBeGreaterThan(10);
  });

  it('marks the identity and business documents protected', () => {
    expect(
      accountRecovery.evidence
        .filter((item) => item.protected)
        .map((item) => item.kind)
        .sort(),
    ).toEqual(['business_registration', 'identity_document']);
  });

  it('has the statement from intake, so only documents are left to ask for', () => {
    const received = accountRecovery.evidenceAtIntake(intake());
    const status = evidenceStatus(accountRecovery.evidence, 'lost_access', [
      {
        evidenceId: 'e',
        kinds: received,
        provider: 'seller',
        source: 'intake',
        receivedAt: '2026-11-24T09:00:00Z',
      },
    ]);

    expect(received).toEqual(['seller_statement']);
    expect(status.missing.map((item) => item.kind)).toEqual(['identity_document']);
  });

  it('reads a named identity document from a file name, and ignores a document that is only mentioned', () => {
    expect(
      accountRecovery
        .evidenceFromReply(
          { text: 'Here you go.', attachments: [{ contentType: 'image/jpeg', filename: 'passport.jpg' }] },
          'seller',
        )
        .sort(),
    ).toEqual(['identity_document', 'seller_statement']);
    expect(
      accountRecovery.evidenceFromReply(
        { text: 'I can send my passport if needed', attachments: [] },
        'seller',
      ),
    ).toEqual(['seller_statement']);
  });
});

describe('account-recovery handoff', () => {
  it('gives both identity teams a contract the details satisfy', () => {
    expect([...ACCOUNT_RECOVERY_TEAMS].sort()).toEqual(['identity-and-access', 'trust-and-safety']);
    for (const team of ACCOUNT_RECOVERY_TEAMS) {
      const details = accountRecovery.handoff.details(
        intake({ lastSuccessfulLoginAt: '2026-11-24T08:41:00Z' }),
        team,
      );

      expect(accountRecovery.handoff.contracts[team]?.safeParse(details).success, team).toBe(true);
    }
  });

  it('refuses details without the account id for every team', () => {
    const { accountId: _omitted, ...rest } = accountRecovery.handoff.details(intake(), 'trust-and-safety');

    for (const team of ACCOUNT_RECOVERY_TEAMS) {
      const result = accountRecovery.handoff.contracts[team]!.safeParse(rest);

      expect(result.success, team).toBe(false);
      expect(result.error?.issues[0]?.path, team).toEqual(['accountId']);
    }
  });
});

describe('account-recovery messages', () => {
  const caseUrl = 'https://sellers.example.com/cases/case_1';
  const base = { caseId: 'case_1', subject: accountRecovery.subject(intake()), caseUrl };
  const { templates } = accountRecovery;
  const messages: RenderedMessage[] = [
    render(templates.firstResponse.default, { ...base, reasonLabel: accountRecovery.reasons.lost_access! }),
    render(templates.evidenceRequest.default, {
      ...base,
      reasonLabel: accountRecovery.reasons.identity_verification!,
      audience: 'seller' as const,
      missing: accountRecovery.evidence.map((item) => item.label),
      dueBy: '2026-12-05',
    }),
    render(templates.reminder.default, {
      ...base,
      missing: accountRecovery.evidence.map((item) => item.label),
      dueBy: '2026-12-05',
    }),
    ...accountRecovery.outcomes.map((outcome) =>
      render(templates.resolution.default, {
        caseId: 'case_1',
        subject: base.subject,
        outcomeLabel: outcome.label,
        outcomeSummary: outcome.sellerSummary,
        policyRef: outcome.policyRef,
        rationale: 'The identity document matches the account holder.',
        appealBy: '2026-12-24',
        appealUrl: `${caseUrl}/appeal`,
      }),
    ),
    render(templates.appealAcknowledgement.default, base),
    render(templates.reopenAcknowledgement.default, base),
  ];

  it('renders every message about the access request for the account', () => {
    expect(messages).toHaveLength(8);
    for (const message of messages) {
      expect(message.subject, message.templateRef).toContain('the access request for account acct_1');
      expect(message.subject, message.templateRef).toMatch(/\[case case_1\]$/);
    }
  });

  it('never asks for a password or a one-time code in any message, evidence label or outcome', () => {
    for (const message of messages) {
      expect(`${message.subject}\n${message.text}`, message.templateRef).not.toMatch(
        /password|passcode|one-time|\bcodes?\b|\bOTP\b/i,
      );
    }
  });

  it('gives every template a team owner, a 2027 review date and an AR policy reference', () => {
    for (const template of everyTemplate(accountRecovery)) {
      expect(template.owner).toBe('identity-policy@sellerworks.example');
      expect(template.reviewBy).toMatch(/^2027-\d\d-\d\d$/);
      expect(template.policyRef).toMatch(/^AR-POL-\d\.\d /);
    }
    for (const outcome of accountRecovery.outcomes) expect(outcome.policyRef).toMatch(/^AR-POL-\d\.\d /);
    expect(accountRecovery.outcomes.map((o) => o.id)).toEqual([
      'recovered',
      'retired',
      'verification_failed',
    ]);
  });
});

describe('account-recovery status labels', () => {
  it('speaks the seller-facing states of account operations', () => {
    expect(accountRecovery.statusLabels).toMatchObject({
      received: 'ready',
      routed: 'ready',
      awaiting_seller: 'waiting for customer action',
      under_review: 'under review',
      handed_off: 'under review',
      'resolved:recovered': 'recovered',
      'resolved:retired': 'retired',
    });
  });
});

describe('account-recovery family', () => {
  it('asks only the seller for evidence, offers no mediation, and waits at most 20 days', () => {
    expect(accountRecovery.id).toBe('account-recovery');
    expect(accountRecovery.workflow).toEqual({ evidenceFrom: ['seller'], mediation: false });
    expect(accountRecovery.waits.evidenceSeconds).toBeLessThanOrEqual(20 * 86_400);
    expect(accountRecovery.waits.decisionSeconds).toBeLessThanOrEqual(20 * 86_400);
  });
});
