import type { BaseIntake, Family, SellerTier } from '#policy/family-policy.ts';
import type { CaseRecord, MessageRecord } from './case.ts';
import { isResolved } from './lifecycle.ts';

/**
 * SLA clocks. Each runs from a start, may pause (the resolution clock pauses while the case waits on the
 * seller and resumes on their answer), and stops when its target is met. Targets come from the family's
 * policy by seller tier; where an external deadline exists (a card network's evidence due date) the target
 * is the earlier of the policy and that deadline minus a buffer.
 */
export interface SlaClock {
  readonly targetMs: number;
  readonly startedAt: string;
  readonly pausedMs: number;
  readonly pausedSince?: string;
  readonly stoppedAt?: string;
  /** Set when an external deadline shortened the policy target. */
  readonly deadline?: string;
}

export interface SlaState {
  readonly firstResponse?: SlaClock;
  readonly resolution?: SlaClock;
  /** Restarts with every message to the seller: how long they have gone without hearing from us. */
  readonly nextUpdate?: SlaClock;
  /** The current handoff's turnaround: from handoff to the team's decision. */
  readonly handoff?: SlaClock;
}

export type SlaClockName = keyof SlaState;

const HOUR = 3_600_000;
/** How long before an external deadline our own target falls, so the team can still act on it. */
export const DEADLINE_BUFFER_MS = 24 * HOUR;
export const DEFAULT_NEXT_UPDATE_HOURS = 48;
export const DEFAULT_TURNAROUND_HOURS = 48;

/** Share of a target used when the owning team gets a pre-breach warning. */
export const WARN_AT = 0.75;
/** Share of a target used at each escalation level: the breach (senior reviewer), then the manager. */
export const ESCALATE_AT = [1, 1.5] as const;

export const startClocks = (
  family: Family<BaseIntake>,
  tier: SellerTier,
  intake: BaseIntake,
  startedAt: string,
): SlaState => {
  const targets = family.sla[tier];
  const start = Date.parse(startedAt);
  const policyMs = targets.resolutionHours * HOUR;
  const external = family.externalDeadline?.(intake);
  const deadlineMs = external ? Date.parse(external) - DEADLINE_BUFFER_MS - start : Number.POSITIVE_INFINITY;
  const resolution: SlaClock =
    deadlineMs < policyMs
      ? {
          targetMs: Math.max(HOUR, deadlineMs),
          startedAt,
          pausedMs: 0,
          ...(external ? { deadline: external } : {}),
        }
      : { targetMs: policyMs, startedAt, pausedMs: 0 };
  const nextUpdateMs = (family.nextUpdateHours ?? DEFAULT_NEXT_UPDATE_HOURS) * HOUR;
  return {
    firstResponse: { targetMs: targets.firstResponseHours * HOUR, startedAt, pausedMs: 0 },
    resolution,
    // Runs from each message to the seller; until the first one it is not owed (the first response is).
    nextUpdate: { targetMs: nextUpdateMs, startedAt, pausedMs: 0, stoppedAt: startedAt },
  };
};

export interface ClockView {
  readonly state: 'running' | 'paused' | 'stopped';
  readonly targetHours: number;
  readonly dueAt: string;
  readonly usedHours: number;
  readonly leftHours: number;
  readonly breached: boolean;
  readonly shareUsed: number;
}

/** Where a clock stands at `at`: time used and left, when it is due (pauses push that out), breached or not. */
/** Running time used by `at`: from the start, less every pause (including one still going on). */
const usedMsAt = (clock: SlaClock, at: number): number => {
  const end = clock.stoppedAt ? Date.parse(clock.stoppedAt) : at;
  const pausing = clock.pausedSince && !clock.stoppedAt ? end - Date.parse(clock.pausedSince) : 0;
  return Math.max(0, end - Date.parse(clock.startedAt) - clock.pausedMs - pausing);
};

export const clockView = (clock: SlaClock, at: number): ClockView => {
  const end = clock.stoppedAt ? Date.parse(clock.stoppedAt) : at;
  const pausing = clock.pausedSince && !clock.stoppedAt ? end - Date.parse(clock.pausedSince) : 0;
  const usedMs = usedMsAt(clock, at);
  const dueMs = Date.parse(clock.startedAt) + clock.targetMs + clock.pausedMs + pausing;
  const round = (ms: number) => Math.round((ms / HOUR) * 10) / 10;
  return {
    state: clock.stoppedAt ? 'stopped' : clock.pausedSince ? 'paused' : 'running',
    targetHours: round(clock.targetMs),
    dueAt: new Date(dueMs).toISOString(),
    usedHours: round(usedMs),
    leftHours: round(clock.targetMs - usedMs),
    breached: usedMs > clock.targetMs,
    shareUsed: Math.round((usedMs / clock.targetMs) * 100) / 100,
  };
};

const pause = (clock: SlaClock, at: string): SlaClock =>
  clock.pausedSince || clock.stoppedAt ? clock : { ...clock, pausedSince: at };
const resume = (clock: SlaClock, at: string): SlaClock => {
  if (!clock.pausedSince || clock.stoppedAt) return clock;
  const { pausedSince, ...rest } = clock;
  return { ...rest, pausedMs: clock.pausedMs + (Date.parse(at) - Date.parse(pausedSince)) };
};
const stop = (clock: SlaClock, at: string): SlaClock =>
  clock.stoppedAt ? clock : { ...resume(clock, at), stoppedAt: at };

/**
 * How a change moves the case's clocks: the first message to the seller meets the first-response target;
 * waiting on the seller pauses the resolution clock and their answer resumes it; resolution stops it; an
 * appeal or a reopen starts a new resolution clock of the same target.
 */
export const advanceSla = (
  current: CaseRecord,
  next: CaseRecord,
  messages: readonly MessageRecord[],
  at: string,
): SlaState | undefined => {
  // A step may have set clocks itself (a handoff starts its turnaround); follow from what it set.
  const sla = next.sla ?? current.sla;
  if (!sla) return undefined;
  let { firstResponse, resolution, nextUpdate, handoff } = sla;
  const waitingOnSeller = (s: CaseRecord['status']) => s === 'awaiting_seller';
  const closing = isResolved(next.status);
  if (messages.some((m) => (m.audience ?? 'seller') === 'seller')) {
    if (firstResponse) firstResponse = stop(firstResponse, at);
    if (nextUpdate && !closing) nextUpdate = { targetMs: nextUpdate.targetMs, startedAt: at, pausedMs: 0 };
  }
  if (resolution) {
    if (next.status === 'appealed' || next.status === 'reopened') {
      resolution = { targetMs: resolution.targetMs, startedAt: at, pausedMs: 0 };
    } else if (closing) {
      resolution = stop(resolution, at);
    } else if (waitingOnSeller(next.status) && !waitingOnSeller(current.status)) {
      resolution = pause(resolution, at);
    } else if (!waitingOnSeller(next.status) && waitingOnSeller(current.status)) {
      resolution = resume(resolution, at);
    }
  }
  if (nextUpdate) {
    // No update is owed while we wait on the seller, nor once the case is closed.
    if (closing) nextUpdate = stop(nextUpdate, at);
    else if (waitingOnSeller(next.status) && !waitingOnSeller(current.status))
      nextUpdate = pause(nextUpdate, at);
    else if (!waitingOnSeller(next.status) && waitingOnSeller(current.status))
      nextUpdate = resume(nextUpdate, at);
  }
  if (handoff && current.status === 'handed_off' && next.status !== 'handed_off') handoff = stop(handoff, at);
  const before = current.sla ?? {};
  if (
    firstResponse === before.firstResponse &&
    resolution === before.resolution &&
    nextUpdate === before.nextUpdate &&
    handoff === before.handoff
  ) {
    return undefined;
  }
  return {
    ...(firstResponse ? { firstResponse } : {}),
    ...(resolution ? { resolution } : {}),
    ...(nextUpdate ? { nextUpdate } : {}),
    ...(handoff ? { handoff } : {}),
  };
};

/** A new turnaround clock for a handoff to `team`. */
export const handoffClock = (family: Family<BaseIntake>, team: string, at: string): SlaClock => ({
  targetMs: (family.turnaroundHours?.[team] ?? DEFAULT_TURNAROUND_HOURS) * HOUR,
  startedAt: at,
  pausedMs: 0,
});

/** When `share` of the clock's target will have been used, if it runs from now without pause. */
export const whenShareUsed = (clock: SlaClock, share: number, at: number): string => {
  const usedMs = usedMsAt(clock, at);
  return new Date(at + Math.max(0, share * clock.targetMs - usedMs)).toISOString();
};

/**
 * When a clock reaches (or reached) `share` of its target: while it runs, the instant it will; paused, the
 * pause's start if it had reached it by then; `undefined` when it never will as it stands (stopped, or
 * paused short of it). It changes only when the clock pauses, resumes, stops or starts again.
 */
export const whenReached = (clock: SlaClock | undefined, share: number): string | undefined => {
  if (!clock || clock.stoppedAt) return undefined;
  if (clock.pausedSince) {
    const pausedAt = Date.parse(clock.pausedSince);
    return usedMsAt(clock, pausedAt) >= share * clock.targetMs ? clock.pausedSince : undefined;
  }
  return new Date(Date.parse(clock.startedAt) + clock.pausedMs + share * clock.targetMs).toISOString();
};

/** The clocks as the case views show them. */
export const slaView = (sla: SlaState | undefined, at: number) =>
  sla
    ? Object.fromEntries(
        (Object.entries(sla) as [SlaClockName, SlaClock][]).map(([name, clock]) => [
          name,
          clockView(clock, at),
        ]),
      )
    : undefined;
