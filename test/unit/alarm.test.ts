import { describe, expect, it } from 'vitest';
import { alarmAfter, alarmNameOf, followUpAlarm, holdsAlarm } from '../../functions/domain/alarm.ts';

const caseId = 'case_alarm';
const target = 'arn:aws:lambda:us-east-1:000000000000:function:FireTimer';
const now = '2026-12-06T10:00:00.000Z';
const at = (hours: number) => new Date(Date.parse(now) + hours * 3_600_000).toISOString();
const alarm = (hours: number, version = 1) => ({
  at: at(hours),
  name: alarmNameOf(caseId, at(hours), version),
});
const outboxOf = (result: ReturnType<typeof alarmAfter>) =>
  result?.outbox.map((m) =>
    m.channel === 'schedule' ? { creates: m.schedules, deletes: m.deletes } : { creates: [], deletes: [] },
  );

describe('a case alarm', () => {
  it('is created for the first timers a case arms, and invokes the fire-timer function with the case and its name', () => {
    const result = alarmAfter({ caseId }, 4, true, { earliest: at(5), target }, now);
    expect(result?.alarm).toEqual({ at: at(5), name: alarmNameOf(caseId, at(5), 4) });
    expect(outboxOf(result)).toEqual([
      {
        creates: [
          { name: result?.alarm?.name, at: at(5), target, input: { caseId, alarm: result?.alarm?.name } },
        ],
        deletes: undefined,
      },
    ]);
  });

  it('moves earlier for an earlier timer and deletes the schedule it replaces; a later timer leaves it be', () => {
    const current = alarm(5);
    const earlier = alarmAfter({ caseId, alarm: current }, 7, true, { earliest: at(2), target }, now);
    expect(earlier?.alarm?.at).toBe(at(2));
    expect(outboxOf(earlier)?.[0]?.deletes).toEqual([current.name]);
    expect(alarmAfter({ caseId, alarm: current }, 7, true, { earliest: at(9), target }, now)).toBeUndefined();
    expect(alarmAfter({ caseId, alarm: current }, 7, true, undefined, now)).toBeUndefined();
  });

  it('is deleted when the case closes, whatever the change armed', () => {
    const current = alarm(5);
    const closed = alarmAfter({ caseId, alarm: current }, 9, false, { earliest: at(1), target }, now);
    expect(closed?.alarm).toBeNull();
    expect(outboxOf(closed)).toEqual([{ creates: [], deletes: [current.name] }]);
    expect(alarmAfter({ caseId }, 9, false, undefined, now)).toBeUndefined();
  });

  it('once rung, is replaced by one for the next timer, or by none; the rung schedule deleted itself', () => {
    const rung = alarm(-0.01);
    const next = alarmAfter(
      { caseId, alarm: rung },
      3,
      true,
      { fired: rung.name, ringing: true, earliest: at(8), target },
      now,
    );
    expect(next?.alarm?.at).toBe(at(8));
    expect(outboxOf(next)?.[0]?.deletes).toBeUndefined();
    const none = alarmAfter(
      { caseId, alarm: rung },
      3,
      true,
      { fired: rung.name, ringing: true, target },
      now,
    );
    expect(none).toEqual({ alarm: null, outbox: [] });
  });

  it('a stale ring (an alarm already replaced) keeps the current one, even when that one is due now', () => {
    const current = alarm(-0.01, 5);
    const stale = alarmAfter(
      { caseId, alarm: current },
      6,
      true,
      { fired: alarm(-1, 2).name, ringing: true, earliest: at(3), target },
      now,
    );
    expect(stale).toBeUndefined();
  });

  it('past its time, is replaced by one ringing now when the case arms timers, so a lost schedule strands nothing', () => {
    const lost = alarm(-2);
    const repaired = alarmAfter({ caseId, alarm: lost }, 11, true, { earliest: at(6), target }, now);
    expect(repaired?.alarm?.at).toBe(now);
    expect(outboxOf(repaired)?.[0]?.deletes).toEqual([lost.name]);
  });

  it('never rings in the past: a timer already due rings now', () => {
    expect(alarmAfter({ caseId }, 2, true, { earliest: at(-3), target }, now)?.alarm?.at).toBe(now);
  });

  it('has a new name for each version, so re-arming at the same time is a new schedule', () => {
    expect(alarmNameOf(caseId, at(1), 1)).not.toBe(alarmNameOf(caseId, at(1), 2));
    expect(alarmNameOf(caseId, at(1), 1)).toMatch(/^[0-9a-zA-Z_.-]{1,64}$/);
  });
});

describe('which cases hold an alarm', () => {
  const followUp = (status: 'scheduled' | 'asked' | 'answered') => ({
    id: 'follow-up-0',
    status,
    dueAt: at(72),
  });

  it('is every open case, and a resolved one only until its follow-up is asked', () => {
    expect(holdsAlarm(true, 'handed_off', undefined)).toBe(true);
    expect(holdsAlarm(false, 'resolved', followUp('scheduled'))).toBe(true);
    expect(holdsAlarm(false, 'resolved', followUp('asked'))).toBe(false);
    expect(holdsAlarm(false, 'resolved', undefined)).toBe(false);
    // A failed case asks nothing, whatever its follow-up says.
    expect(holdsAlarm(false, 'failed', followUp('scheduled'))).toBe(false);
  });

  it('keeps a resolving case’s alarm for its follow-up, and lets it go once nothing is left to fire', () => {
    const resolving = alarmAfter(
      { caseId },
      9,
      holdsAlarm(false, 'resolved', followUp('scheduled')),
      { earliest: at(72), target },
      now,
    );
    expect(resolving?.alarm).toEqual({ at: at(72), name: alarmNameOf(caseId, at(72), 9) });

    // Its SLA timers are moot once it is resolved: an earlier alarm for one of them moves to the follow-up.
    const moved = alarmAfter(
      { caseId, alarm: alarm(3, 8) },
      9,
      true,
      followUpAlarm({ target }, followUp('scheduled')),
      now,
    );
    expect(moved?.alarm).toEqual({ at: at(72), name: alarmNameOf(caseId, at(72), 9) });
    expect(outboxOf(moved)?.[0]?.deletes).toEqual([alarm(3, 8).name]);
    expect(
      alarmAfter(
        { caseId, alarm: alarm(72, 9) },
        10,
        true,
        followUpAlarm(undefined, followUp('scheduled')),
        now,
      ),
    ).toBeUndefined();

    const asked = alarmAfter(
      { caseId, alarm: alarm(72, 9) },
      10,
      holdsAlarm(false, 'resolved', followUp('asked')),
      undefined,
      at(72),
    );
    expect(asked?.alarm).toBeNull();
  });
});
