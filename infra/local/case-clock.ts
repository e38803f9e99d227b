import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ENV } from '../../functions/commons/env-names.ts';
import { writeFileAtomic } from './aws/fs/atomic-write.ts';

/** Case time for the local runtime: the wall clock, or TIME_SCALE times faster. */
export interface CaseClock {
  /** Current case time, epoch ms. */
  now(): number;
  /** The real delay to wait for a case-time delay. */
  toRealDelayMs(caseTimeMs: number): number;
  /** The variables that give the Lambda handlers the same clock (functions/commons/clock.ts). */
  readonly environment: Record<string, string>;
}

interface Anchor {
  real: number;
  case: number;
  scale: number;
}

const isAnchor = (value: unknown): value is Anchor =>
  typeof value === 'object' &&
  value !== null &&
  ['real', 'case', 'scale'].every((key) => Number.isFinite((value as Record<string, unknown>)[key]));

/**
 * Opens the case clock kept in `dataDir/clock.json`. Case time runs on across restarts: it continues from
 * where it was, the time the runtime was down counted at the scale it ran at, so a reminder that came due
 * while it was down is due when it starts again. Without a data folder (tests) it starts at the wall clock.
 */
export function openCaseClock(dataDir: string | undefined, scale: number): CaseClock {
  const real = Date.now();
  const path = dataDir === undefined ? undefined : join(dataDir, 'clock.json');
  let caseNow = real;
  if (path && existsSync(path)) {
    const stored: unknown = JSON.parse(readFileSync(path, 'utf8'));
    if (isAnchor(stored)) caseNow = stored.case + (real - stored.real) * stored.scale;
  }
  const anchor: Anchor = { real, case: Math.round(caseNow), scale };
  if (path) writeFileAtomic(path, `${JSON.stringify(anchor)}\n`);
  const identity = anchor.scale === 1 && anchor.case === anchor.real;
  return {
    now: identity ? Date.now : () => anchor.case + (Date.now() - anchor.real) * anchor.scale,
    toRealDelayMs: (ms) => ms / anchor.scale,
    environment: identity
      ? {}
      : {
          [ENV.timeScale]: String(anchor.scale),
          [ENV.timeOrigin]: String(anchor.real),
          [ENV.timeCaseOrigin]: String(anchor.case),
        },
  };
}
