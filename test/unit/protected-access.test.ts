import { describe, expect, it } from 'vitest';
import type { EvidenceRecord } from '../../functions/domain/case.ts';
import { mayOpenProtected, protectedKinds } from '../../functions/domain/case-view.ts';
import { FAMILIES } from '../../functions/policy/families.ts';

const evidence = (kinds: string[]): EvidenceRecord => ({
  evidenceId: 'e-1',
  kinds,
  provider: 'seller',
  source: 'portal',
  receivedAt: '2026-11-22T10:00:00.000Z',
});

describe('who may open protected evidence (DESIGN decision 6)', () => {
  const families = Object.values(FAMILIES);

  it.each(families.filter((f) => f.evidence.some((e) => e.protected)).map((f) => [f.id, f]))(
    '%s names the teams that may open its protected evidence, all of them teams its routing can choose',
    (_id, family) => {
      const routedTo = new Set(family.routing.rules.map((r) => r.team));

      expect(family.protectedAccess?.length).toBeGreaterThan(0);
      for (const team of family.protectedAccess ?? []) expect(routedTo).toContain(team);
    },
  );

  it.each(families.filter((f) => f.protectedAccess).map((f) => [f.id, f]))(
    '%s gives access only where it has something protected',
    (_id, family) => {
      expect(family.evidence.some((e) => e.protected)).toBe(true);
    },
  );

  it('lets a payout hold team that asks for documents open them, and payments support not', () => {
    const family = FAMILIES['payout-hold'];

    expect(mayOpenProtected(family, { team: 'verification' })).toBe(true);
    expect(mayOpenProtected(family, { team: 'payments-support' })).toBe(false);
    expect(mayOpenProtected(family, {})).toBe(true);
  });

  it('finds the protected kinds an evidence record carries', () => {
    const family = FAMILIES['payout-hold'];

    expect(protectedKinds(family, evidence(['seller_statement', 'bank_statement']))).toEqual([
      'bank_statement',
    ]);
    expect(protectedKinds(family, evidence(['seller_statement']))).toEqual([]);
  });
});
