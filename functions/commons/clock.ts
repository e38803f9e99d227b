import { ENV } from './env-names.ts';

/**
 * Case time. On AWS it is the wall clock. Locally `TIME_SCALE=N` makes it run N times faster: at the wall
 * clock's `TIME_ORIGIN` case time was `TIME_CASE_ORIGIN` (the runtime sets all three, so case time runs on
 * across restarts), and a demo or a test sees days of SLA in seconds; tests may also set any clock they
 * like. Every deadline, timestamp and SLA computation reads time here.
 */
const scaledFromEnv = (): (() => number) => {
  const scale = Number(process.env[ENV.timeScale] ?? '1');
  const origin = Number(process.env[ENV.timeOrigin] ?? '0');
  const caseOrigin = Number(process.env[ENV.timeCaseOrigin] ?? origin);
  if (!Number.isFinite(scale) || scale < 1 || !Number.isFinite(origin) || origin <= 0) return Date.now;
  if (!Number.isFinite(caseOrigin) || (scale === 1 && caseOrigin === origin)) return Date.now;
  return () => caseOrigin + (Date.now() - origin) * scale;
};

// Read on first use, not at import: the local runtime sets TIME_SCALE after some modules that reach this one
// are loaded (an import made early froze case time at the wall clock's pace, and no SLA timer came due).
let source: (() => number) | undefined;
const current = (): number => {
  source ??= scaledFromEnv();
  return source();
};

/** The current case time in epoch milliseconds. */
export const nowMs = (): number => current();
/** The current case time. */
export const now = (): Date => new Date(current());
/** The current case time as an ISO string (what the case store records). */
export const nowIso = (): string => now().toISOString();

/**
 * The wall-clock time (epoch ms) at which case time reaches `caseMs`: what an operational wait (the outbox's
 * due times, leases) is set in. The same instant on AWS; locally under TIME_SCALE, that much sooner.
 */
export const wallMsOf = (caseMs: number): number => {
  source ??= scaledFromEnv();
  // Case time is the wall clock (AWS, or no TIME_SCALE): the same instant, exactly.
  if (source === Date.now) return caseMs;
  const scale = Number(process.env[ENV.timeScale] ?? '1');
  return Date.now() + (caseMs - current()) / (Number.isFinite(scale) && scale >= 1 ? scale : 1);
};

/** Replaces the clock (tests). Returns a function that restores the previous one. */
export const setClock = (next: () => number): (() => void) => {
  const previous = source;
  source = next;
  return () => {
    source = previous;
  };
};
