import { describe, expect, it } from 'vitest';
import { render } from '#domain/templates.ts';
import { evidenceRequest, resolution } from '#policy/buyer-dispute/templates.ts';
import { FAMILIES } from '#policy/families.ts';

describe('message templates', () => {
  it('renders the evidence request naming exactly the missing items', () => {
    const message = render(evidenceRequest, {
      caseId: 'case_1',
      orderId: 'A-1',
      reasonLabel: 'the buyer reports the item arrived defective',
      missing: ['Photos of the item as you shipped it', 'Your account of the order'],
      dueBy: '2026-12-01 10:00 UTC',
      caseUrl: 'http://localhost:3000/cases/case_1',
    });

    expect(message.templateRef).toBe('buyer-dispute.evidence-request@2');
    expect(message.text).toContain('  - Photos of the item as you shipped it\n  - Your account of the order');
    expect(message.subject).toContain('[case case_1]');
  });

  it('escapes seller- or staff-supplied text in the HTML part', () => {
    const message = render(resolution, {
      caseId: 'case_1',
      orderId: '<b>A-1</b>',
      outcomeLabel: 'Buyer refunded',
      outcomeSummary: 'x',
      policyRef: 'BD-POL',
      rationale: '<script>alert(1)</script>',
      appealBy: '2026-12-01',
      appealUrl: 'http://localhost:3000/cases/case_1/appeal',
    });

    expect(message.html).not.toContain('<script>');
    expect(message.html).toContain('&lt;script&gt;');
    expect(message.html).toContain('&lt;b&gt;A-1&lt;/b&gt;');
  });

  it('refuses variables the template schema does not accept, naming the field', () => {
    expect(() =>
      render(evidenceRequest, {
        caseId: 'c',
        orderId: 'o',
        reasonLabel: 'r',
        missing: [],
        dueBy: 'd',
        caseUrl: 'not a url',
      }),
    ).toThrow(/invalid variables/);
  });

  it('keeps line breaks out of subjects so no header can be injected', () => {
    const message = render(evidenceRequest, {
      caseId: 'c',
      orderId: 'A\r\nBcc: victim@example.com',
      reasonLabel: 'r',
      missing: ['x'],
      dueBy: 'd',
      caseUrl: 'http://localhost/c',
    });

    expect(message.subject).not.toMatch(/[\r\n]/);
  });

  it('gives every template an owner, a future review date and a policy reference', () => {
    for (const family of Object.values(FAMILIES)) {
      for (const template of family.templates) {
        expect(template.owner, template.id).toMatch(/@/);
        expect(template.policyRef, template.id).not.toBe('');
        expect(Date.parse(template.reviewBy), template.id).toBeGreaterThan(Date.now());
      }
    }
  });
});
