import { describe, expect, it } from 'vitest';
import type { CaseRecord } from '#domain/case.ts';
import { advanceSla, clockView, startClocks } from '#domain/sla.ts';
import { FAMILIES } from '#policy/families.ts';
import type { BaseIntake } from '#policy/family-policy.ts';

const H = 3_600_000;
const t0 = Date.parse('2026-11-22T00:00:00Z');
const at = (hours: number) => new Date(t0 + hours * H).toISOString();
const intake = {
  family: 'payout-hold',
  reason: 'verification_required',
  region: 'US',
  sellerEmail: 's@x',
} as BaseIntake;
const record = (status: CaseRecord['status'], sla: CaseRecord['sla']) => ({ status, sla }) as CaseRecord;

describe('SLA clocks', () => {
  it('start from the family policy for the seller tier', () => {
    const sla = startClocks(FAMILIES['payout-hold'], 'standard', intake, at(0));
    const targets = FAMILIES['payout-hold'].sla.standard;

    expect(clockView(sla.resolution!, t0).targetHours).toBe(targets.resolutionHours);
    expect(clockView(sla.firstResponse!, t0).targetHours).toBe(targets.firstResponseHours);
  });

  it('take an external deadline minus a buffer when it comes before the policy target', () => {
    const billing = {
      ...intake,
      family: 'billing-dispute',
      evidenceDueBy: '2026-11-24',
    } as unknown as BaseIntake;

    const sla = startClocks(FAMILIES['billing-dispute'], 'standard', billing, at(0));

    expect(sla.resolution?.deadline).toBe('2026-11-24T23:59:59.000Z');
    expect(clockView(sla.resolution!, t0).dueAt).toBe('2026-11-23T23:59:59.000Z');
  });

  it('pause the resolution clock while the case waits on the seller, and resume on their answer', () => {
    const started = startClocks(FAMILIES['payout-hold'], 'standard', intake, at(0));
    const paused = advanceSla(record('routed', started), record('awaiting_seller', started), [], at(2));
    const resumed = advanceSla(record('awaiting_seller', paused), record('under_review', paused), [], at(12));

    expect(clockView(paused!.resolution!, t0 + 7 * H)).toMatchObject({ state: 'paused', usedHours: 2 });
    expect(clockView(resumed!.resolution!, t0 + 13 * H)).toMatchObject({ state: 'running', usedHours: 3 });
    expect(Date.parse(clockView(resumed!.resolution!, t0 + 13 * H).dueAt)).toBe(
      t0 + started.resolution!.targetMs + 10 * H,
    );
  });

  it('meet the first-response target with the first message to the seller, and stop on resolution', () => {
    const started = startClocks(FAMILIES['payout-hold'], 'standard', intake, at(0));
    const message = { audience: 'seller' } as never;

    const answered = advanceSla(record('routed', started), record('routed', started), [message], at(1));
    const resolved = advanceSla(record('handed_off', answered), record('resolved', answered), [], at(30));

    expect(clockView(answered!.firstResponse!, t0 + 50 * H)).toMatchObject({
      state: 'stopped',
      usedHours: 1,
    });
    expect(clockView(resolved!.resolution!, t0 + 99 * H)).toMatchObject({ state: 'stopped', usedHours: 30 });
  });

  it('reports a breach once more than the target is used', () => {
    const started = startClocks(FAMILIES['payout-hold'], 'standard', intake, at(0));
    const target = started.resolution!.targetMs;

    expect(clockView(started.resolution!, t0 + target).breached).toBe(false);
    expect(clockView(started.resolution!, t0 + target + 1).breached).toBe(true);
  });
});
