import type { Context } from 'aws-lambda';
import { loggedInvocation } from '#commons/logging.ts';
import { type SweepResult, sweepOutbox } from '#domain/outbox-dispatch.ts';

/**
 * Sends the outbox records still due: those the fast path after their commit could not send (a throttle,
 * a crash), retries whose time came, and leases that expired. On AWS an EventBridge rule invokes it every
 * minute (its event is not read); locally the runtime invokes it every few seconds, and on start with
 * `{ "reclaimLeases": true }`: every lease then belongs to the process that stopped, so its records are
 * sent now rather than when the lease would have run out.
 */
export const handler = loggedInvocation(
  async (event: unknown, context?: Context): Promise<SweepResult> =>
    sweepOutbox({
      ...(context ? { timeLeftMs: () => context.getRemainingTimeInMillis() } : {}),
      reclaimLeases: (event as { reclaimLeases?: unknown } | null)?.reclaimLeases === true,
    }),
);
