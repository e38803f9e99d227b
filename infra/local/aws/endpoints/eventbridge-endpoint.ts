import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { JsonRpcService, jsonRpcOperation } from '../http/json-rpc-protocol.ts';
import type { Outbox, OutboxEntry } from '../outbox.ts';

/** PutEvents takes at most 10 entries a call, each at most 256 KB (the whole request, in fact). */
const MAX_ENTRIES = 10;

const putEventsInput = z.object({
  Entries: z
    .array(
      z.object({
        Source: z.string().min(1).max(256),
        DetailType: z.string().min(1).max(128),
        Detail: z.string().min(1),
        EventBusName: z.string().min(1).max(1600).optional(),
        Resources: z.array(z.string()).optional(),
        Time: z.union([z.number(), z.string()]).optional(),
      }),
    )
    .min(1)
    .max(MAX_ENTRIES),
  EndpointId: z.string().optional(),
});

type PutEventsEntry = z.infer<typeof putEventsInput>['Entries'][number];

/**
 * EventBridge PutEvents over its JSON 1.1 protocol (`X-Amz-Target: AWSEvents.PutEvents`). Each event lands
 * in the outbox (channel `eventbridge`, with its detail type and parsed detail) instead of on a bus. An
 * entry whose Detail is not a JSON object is failed the way EventBridge fails it, in the answer's entry
 * (`MalformedDetail`), not by refusing the call, so the caller's handling of FailedEntryCount is exercised.
 */
export function eventBridgeEndpoint(outbox: Outbox): JsonRpcService {
  return new JsonRpcService({
    service: 'EventBridge',
    targetPrefix: 'AWSEvents',
    jsonVersion: '1.1',
    operations: {
      PutEvents: jsonRpcOperation(putEventsInput, (input) => {
        const results = input.Entries.map((entry) => {
          const detail = detailOf(entry.Detail);
          if (!detail) return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' };
          return { EventId: outbox.append(outboxEntryOf(entry, detail)).messageId };
        });
        return {
          FailedEntryCount: results.filter((r) => 'ErrorCode' in r).length,
          Entries: results,
        };
      }),
    },
  });
}

const detailOf = (text: string): Record<string, unknown> | undefined => {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
};

/** An event as an outbox entry: `to` the bus, `from` the source, `subject` the detail type, `text` the detail. */
const outboxEntryOf = (entry: PutEventsEntry, detail: Record<string, unknown>): OutboxEntry => ({
  channel: 'eventbridge',
  to: entry.EventBusName ?? 'default',
  from: entry.Source,
  replyTo: null,
  subject: entry.DetailType,
  text: JSON.stringify(detail, null, 2),
  html: null,
  caseId: typeof detail.caseId === 'string' ? detail.caseId : null,
  sentAt: new Date().toISOString(),
  messageId: randomUUID(),
  detailType: entry.DetailType,
  detail,
});
