import { describe, expect, it } from 'vitest';
import { alarmAfter, alarmNameOf } from '../../functions/domain/alarm.ts';

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

describe('a resolved case', () => {
  it('lets its alarm go, though its follow-up and SLA timers are still to come', () => {
    const resolving = alarmAfter({ caseId, alarm: alarm(3, 8) }, 9, false, { earliest: at(72), target }, now);
    expect(resolving?.alarm).toBeNull();
    expect(outboxOf(resolving)).toEqual([{ creates: [], deletes: [alarm(3, 8).name] }]);
  });
});
