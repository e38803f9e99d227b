import { describe, expect, it } from 'vitest';
import type { SlaClock } from '#domain/sla.ts';
import { whenShareUsed } from '#domain/sla.ts';

const H = 3_600_000;
const t0 = Date.parse('2026-11-22T00:00:00Z');
const clock = (over: Partial<SlaClock> = {}): SlaClock => ({
  targetMs: 100 * H,
  startedAt: new Date(t0).toISOString(),
  pausedMs: 0,
  ...over,
});

describe('when an SLA timer is due', () => {
  it('falls at the share of the target from the start of a running clock', () => {
    expect(whenShareUsed(clock(), 0.75, t0)).toBe(new Date(t0 + 75 * H).toISOString());
    expect(whenShareUsed(clock(), 1, t0 + 10 * H)).toBe(new Date(t0 + 100 * H).toISOString());
  });

  it('moves out by the time the clock spent paused', () => {
    const resumed = clock({ pausedMs: 20 * H });

    expect(whenShareUsed(resumed, 1, t0 + 30 * H)).toBe(new Date(t0 + 120 * H).toISOString());
  });

  it('while paused, counts from now only what is left, so a re-armed timer never fires early', () => {
    const paused = clock({ pausedSince: new Date(t0 + 10 * H).toISOString() });

    // 10 h used before the pause; at 50 h (still paused) the breach is 90 h of running time away.
    expect(whenShareUsed(paused, 1, t0 + 50 * H)).toBe(new Date(t0 + 140 * H).toISOString());
  });

  it('is now when the share is already used', () => {
    expect(whenShareUsed(clock(), 0.75, t0 + 80 * H)).toBe(new Date(t0 + 80 * H).toISOString());
  });
});
