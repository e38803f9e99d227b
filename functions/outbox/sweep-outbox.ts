import type { Context } from 'aws-lambda';
import { type SweepResult, sweepOutbox } from '#domain/outbox-dispatch.ts';

/**
 * Sends the outbox records still due: those the fast path after their commit could not send (a throttle,
 * a crash), retries whose time came, and leases that expired. On AWS an EventBridge rule invokes it every
 * minute; locally the runtime invokes it on start and every few seconds. The event is not read.
 */
export const handler = async (_event: unknown, context?: Context): Promise<SweepResult> =>
  sweepOutbox(context ? { timeLeftMs: () => context.getRemainingTimeInMillis() } : {});
