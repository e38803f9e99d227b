import { afterEach, describe, expect, it } from 'vitest';
import { setClock } from '../../functions/commons/clock.ts';
import { deadlineDay, pastDay, pastInstant } from '../../functions/policy/intake-fields.ts';

const NOW = Date.parse('2026-12-05T12:00:00Z');
let restore: () => void = () => undefined;
afterEach(() => restore());

const ok = (schema: { safeParse: (v: unknown) => { success: boolean } }, value: string) =>
  schema.safeParse(value).success;

describe('intake dates', () => {
  it('takes a day that has happened, from 2000 to today, and refuses the implausible', () => {
    restore = setClock(() => NOW);
    const day = pastDay('a day');
    expect(['2026-12-05', '2026-12-06', '2000-01-01', '2026-11-18'].map((d) => ok(day, d))).toEqual([
      true,
      true,
      true,
      true,
    ]);
    expect(['2026-12-08', '9999-12-31', '1999-12-31', '0001-01-01'].map((d) => ok(day, d))).toEqual([
      false,
      false,
      false,
      false,
    ]);
  });

  it('reports a date that is no date once, as a format error', () => {
    const result = pastDay('the day, as YYYY-MM-DD').safeParse('20/11/2026');
    expect(result.success ? [] : result.error.issues.map((i) => i.message)).toEqual([
      'the day, as YYYY-MM-DD',
    ]);
  });

  it('takes a moment up to now (with five minutes of skew), and a deadline within a year back and two ahead', () => {
    restore = setClock(() => NOW);
    const at = pastInstant('a moment');
    expect(ok(at, '2026-12-05T12:04:00Z')).toBe(true);
    expect(ok(at, '2026-12-05T12:10:00Z')).toBe(false);
    const due = deadlineDay('a deadline');
    expect([ok(due, '2027-06-01'), ok(due, '2028-12-31'), ok(due, '2025-01-01')]).toEqual([
      true,
      false,
      false,
    ]);
  });
});
