import { describe, expect, it } from 'vitest';
import { render, templateFor } from '#domain/templates.ts';
import { buyerDisputeTemplates } from '#policy/buyer-dispute/templates.ts';

const evidenceVars = {
  caseId: 'case_1',
  subject: 'order A-1',
  reasonLabel: 'the buyer reports the item arrived defective',
  audience: 'seller' as const,
  missing: ['Photos of the item as you shipped it', 'Your account of the order'],
  dueBy: '2026-12-01 10:00 UTC',
  caseUrl: 'http://localhost:3000/cases/case_1',
};
const resolutionVars = {
  caseId: 'case_1',
  subject: 'order <b>A-1</b>',
  outcomeLabel: 'Buyer refunded',
  outcomeSummary: 'x',
  policyRef: 'BD-POL',
  rationale: '<script>alert(1)</script>',
  appealBy: '2026-12-01',
  appealUrl: 'http://localhost:3000/cases/case_1/appeal',
};

describe('message templates', () => {
  it('renders the evidence request naming exactly the missing items', () => {
    const message = render(buyerDisputeTemplates.evidenceRequest.default, evidenceVars);

    expect(message.templateRef).toBe('buyer-dispute.evidence-request@1');
    expect(message.text).toContain('  - Photos of the item as you shipped it\n  - Your account of the order');
    expect(message.subject).toContain('[case case_1]');
  });

  it('asks a buyer in words meant for the buyer', () => {
    const message = render(buyerDisputeTemplates.evidenceRequest.default, {
      ...evidenceVars,
      audience: 'buyer' as const,
    });

    expect(message.subject).toMatch(/^Your information is needed/);
    expect(message.text).not.toContain('We have opened case');
  });

  it('escapes seller- or staff-supplied text in the HTML part', () => {
    const message = render(buyerDisputeTemplates.resolution.default, resolutionVars);

    expect(message.html).not.toContain('<script>');
    expect(message.html).toContain('&lt;script&gt;');
    expect(message.html).toContain('&lt;b&gt;A-1&lt;/b&gt;');
  });

  it('uses the EU wording and policy for an EU case, and the default elsewhere', () => {
    const eu = render(templateFor(buyerDisputeTemplates.resolution, 'EU'), resolutionVars);
    const us = render(templateFor(buyerDisputeTemplates.resolution, 'US'), resolutionVars);

    expect(eu.templateRef).toBe('buyer-dispute.resolution.eu@2');
    expect(eu.text).toContain('out-of-court dispute settlement');
    expect(us.templateRef).toBe('buyer-dispute.resolution@1');
    expect(us.text).not.toContain('out-of-court');
  });

  it('refuses variables the template schema does not accept', () => {
    expect(() =>
      render(buyerDisputeTemplates.evidenceRequest.default, {
        ...evidenceVars,
        missing: [],
        caseUrl: 'nope',
      }),
    ).toThrow(/invalid variables/);
  });

  it('keeps line breaks out of subjects so no header can be injected', () => {
    const message = render(buyerDisputeTemplates.evidenceRequest.default, {
      ...evidenceVars,
      subject: 'order A\r\nBcc: victim@example.com',
    });

    expect(message.subject).not.toMatch(/[\r\n]/);
  });
});
