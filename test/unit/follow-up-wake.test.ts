import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setClock } from '#commons/clock.ts';
import type { CaseRecord } from '#domain/case.ts';
import { isDeferred, mergeSchedules, scheduleRecord } from '#domain/outbox.ts';
import { FAMILIES } from '#policy/families.ts';
import { TEST_ENV } from '../support/api-event.ts';

// The messaging module reads its configuration at import: set it first, then import what uses it.
Object.assign(process.env, TEST_ENV);
const { armFollowUp, FOLLOW_UP_SCHEDULE_LEAD_MS } = await import('#domain/follow-up.ts');

/**
 * The follow-up after a resolution waits in the outbox, not in EventBridge Scheduler: a resolved case holds
 * no schedule for the days until its follow-up, and the schedule that rings it is created minutes before.
 */
const target = 'arn:aws:lambda:us-east-1:000000000000:function:FireTimer';
const DAY = 86_400_000;
const resolvedAt = Date.parse('2026-12-06T10:00:00.000Z');
const record = { caseId: 'case_wake', version: 7, appealCount: 0, reopenCount: 0 } as unknown as CaseRecord;

let restore: (() => void) | undefined;
const saved = { ...process.env };
beforeEach(() => {
  process.env.TIMER_FUNCTION_ARN = target;
});
afterEach(() => {
  restore?.();
  restore = undefined;
  process.env = { ...saved };
});

describe('a follow-up armed with its resolution', () => {
  it('is a deferred outbox record: due minutes before the follow-up, creating the schedule that rings it', () => {
    // Case time is the wall clock (as on AWS).
    const at = Date.now();
    const { followUp, wake } = armFollowUp(record, FAMILIES['payout-hold'], at);

    // payout-hold asks after two days.
    expect(followUp).toEqual({
      id: 'follow-up-0',
      status: 'scheduled',
      dueAt: new Date(at + 2 * DAY).toISOString(),
    });
    expect(isDeferred(wake)).toBe(true);
    const due = Date.parse(String(wake.notBefore)) - (at + 2 * DAY - FOLLOW_UP_SCHEDULE_LEAD_MS);
    expect(Math.abs(due)).toBeLessThan(50);
    expect(wake.channel).toBe('schedule');
    const [schedule, ...others] = wake.channel === 'schedule' ? wake.schedules : [];
    expect(others).toEqual([]);
    expect(schedule).toEqual({
      name: expect.stringMatching(/^sw-[0-9a-f]{40}$/),
      at: followUp.dueAt,
      target,
      // The timer by name: rung a moment early, it still asks (a closed case sets no next alarm).
      input: { caseId: 'case_wake', alarm: schedule?.name, timerId: 'follow-up-0' },
    });
  });

  it('comes due in wall-clock time: under TIME_SCALE, that much sooner', () => {
    // Case time runs 1,000 times faster and is, now, the resolution's time.
    process.env.TIME_SCALE = '1000';
    restore = setClock(() => resolvedAt);
    const wallNow = Date.now();
    const { wake } = armFollowUp(record, FAMILIES['payout-hold'], resolvedAt);
    const due = Date.parse(String(wake.notBefore));
    // Two days of case time are 172.8 s of wall time; the record is due five minutes before that.
    expect(due - wallNow).toBeGreaterThanOrEqual((2 * DAY) / 1000 - FOLLOW_UP_SCHEDULE_LEAD_MS - 50);
    expect(due - Date.now()).toBeLessThanOrEqual((2 * DAY) / 1000 - FOLLOW_UP_SCHEDULE_LEAD_MS);
  });

  it('keeps its own time when a commit also creates schedules that leave at once', () => {
    restore = setClock(() => resolvedAt);
    const { wake } = armFollowUp(record, FAMILIES['payout-hold'], resolvedAt);
    const now = scheduleRecord('case_wake', [{ name: 'a', at: 'x', target, input: {} }], ['old']);
    const later = scheduleRecord('case_wake', [{ name: 'b', at: 'y', target, input: {} }]);

    const merged = mergeSchedules([now, wake, later]);

    // The two immediate records become one; the deferred one stays whole and apart.
    expect(merged).toHaveLength(2);
    expect(merged).toContainEqual(wake);
    const immediate = merged.find((m) => !isDeferred(m));
    expect(immediate?.channel === 'schedule' && immediate.schedules.map((s) => s.name)).toEqual(['a', 'b']);
    expect(immediate?.channel === 'schedule' && immediate.deletes).toEqual(['old']);
  });
});
