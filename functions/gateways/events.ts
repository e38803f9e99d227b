import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { TransientError } from '#commons/errors.ts';
import { backoffMs, sleep } from '#commons/retry.ts';
import { traced } from '#commons/tracing.ts';
import type { OutboundEvents } from '#domain/outbox.ts';

/**
 * Built once per container; the endpoint comes from AWS_ENDPOINT_URL_EVENTBRIDGE when set (local runtime).
 * Here rather than in commons/clients/: the one module that needs @aws-sdk/client-eventbridge.
 */
export const eventBridge = traced(new EventBridgeClient({}));

/** Entry error codes EventBridge answers for "not now" (the rest are refusals: malformed, not allowed). */
const TRANSIENT_ENTRY_CODES = new Set(['ThrottlingException', 'InternalFailure', 'InternalException']);
/** Calls made for entries that failed for "not now" before the record is given back to the outbox. */
const ENTRY_ATTEMPTS = 4;

/** A PutEvents call that left some entries unpublished: a refusal unless every code was a "not now". */
export class EventsNotPublished extends Error {
  override name = 'EventsNotPublished';
}

/**
 * The one door to EventBridge: publishes a record's domain events with one PutEvents call. Returns the
 * event ids, in order.
 *
 * PutEvents answers 200 even when some entries failed (FailedEntryCount > 0, an ErrorCode per failed
 * entry). Those entries alone are sent again here, a few times with backoff, so the entries that went out
 * are not published twice. Entries that still fail make the call throw: a TransientError when every code
 * was a throttle or an internal failure (the outbox retries the record for as long as it takes), otherwise
 * {@link EventsNotPublished}, a refusal the outbox retries a few times and then marks failed for an
 * operator. A record sent again publishes all its entries again; consumers deduplicate by case id,
 * version and detail type, which also covers EventBridge's own at-least-once delivery.
 */
export const putEvents = async (events: OutboundEvents): Promise<string[]> => {
  let pending: { readonly index: number; readonly entry: PutEventsRequestEntry }[] = events.entries.map(
    (event, index) => ({
      index,
      entry: {
        EventBusName: events.eventBusName,
        Source: events.source,
        DetailType: event.detailType,
        Detail: JSON.stringify(event.detail),
      },
    }),
  );
  const ids: string[] = [];
  for (let attempt = 1; ; attempt += 1) {
    const out = await eventBridge.send(new PutEventsCommand({ Entries: pending.map((p) => p.entry) }));
    const results = out.Entries ?? [];
    const failed: typeof pending = [];
    const codes = new Set<string>();
    pending.forEach((p, i) => {
      const result = results[i];
      if (result?.EventId && !result.ErrorCode) ids[p.index] = result.EventId;
      else {
        failed.push(p);
        codes.add(result?.ErrorCode ?? 'NoResult');
      }
    });
    if (failed.length === 0) return ids;
    const transient = [...codes].every((code) => TRANSIENT_ENTRY_CODES.has(code));
    const message = `${failed.length} of ${events.entries.length} events not published (${[...codes].join(', ')})`;
    if (!transient) throw new EventsNotPublished(message);
    if (attempt >= ENTRY_ATTEMPTS) throw new TransientError(message);
    pending = failed;
    await sleep(backoffMs(attempt, 100, 1_000));
  }
};
