import type { SchedulerClock } from '../../infra/local/aws/index.ts';

/**
 * Case time for scheduler tests: runs `scale` times faster than real time, and can be moved forward at
 * once, as a runtime stopped for that long would find it.
 */
export class TestClock implements SchedulerClock {
  private readonly realStart = Date.now();
  private offset = 0;

  constructor(private readonly scale = 1) {}

  now(): number {
    return this.realStart + (Date.now() - this.realStart) * this.scale + this.offset;
  }

  toRealDelayMs(caseTimeMs: number): number {
    return caseTimeMs / this.scale;
  }

  /** Moves case time forward by `ms`. */
  advance(ms: number): void {
    this.offset += ms;
  }

  /** Moves case time forward (less than a second) so that `now() + ms` is a whole second; returns it. */
  wholeSecondIn(ms: number): number {
    const target = this.now() + ms;
    this.offset += (1000 - (target % 1000)) % 1000;
    return Math.round(this.now() + ms);
  }
}
