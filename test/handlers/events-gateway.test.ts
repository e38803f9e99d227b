import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { isTransient } from '../../functions/commons/retry.ts';
import { putEvents } from '../../functions/gateways/events.ts';

const eventBridge = mockClient(EventBridgeClient);
const events = {
  eventBusName: 'sellerworks-cases-test',
  source: 'sellerworks.cases',
  entries: [
    { detailType: 'Case Decided', detail: { caseId: 'case-1', version: 7 } },
    { detailType: 'Case Resolved', detail: { caseId: 'case-1', version: 7 } },
  ],
};
const failure = (refusal: string) => async () => {
  throw Object.assign(new Error('expected a refusal'), { name: refusal });
};

beforeEach(() => eventBridge.reset());

describe('the EventBridge gateway', () => {
  it('publishes a record’s events in one PutEvents call on its bus, as its source, and answers their ids', async () => {
    eventBridge
      .on(PutEventsCommand)
      .resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e-1' }, { EventId: 'e-2' }] });

    const ids = await putEvents(events);

    expect(ids).toEqual(['e-1', 'e-2']);
    expect(eventBridge.commandCalls(PutEventsCommand).map((c) => c.args[0].input)).toEqual([
      {
        Entries: events.entries.map((e) => ({
          EventBusName: 'sellerworks-cases-test',
          Source: 'sellerworks.cases',
          DetailType: e.detailType,
          Detail: JSON.stringify(e.detail),
        })),
      },
    ]);
  });

  it('sends again only the entries that were throttled, so the others are not published twice', async () => {
    eventBridge
      .on(PutEventsCommand)
      .resolvesOnce({
        FailedEntryCount: 1,
        Entries: [{ EventId: 'e-1' }, { ErrorCode: 'ThrottlingException' }],
      })
      .resolvesOnce({ FailedEntryCount: 0, Entries: [{ EventId: 'e-2' }] });

    const ids = await putEvents(events);

    expect(ids).toEqual(['e-1', 'e-2']);
    const calls = eventBridge
      .commandCalls(PutEventsCommand)
      .map((c) => c.args[0].input.Entries?.map((e) => e.DetailType));
    expect(calls).toEqual([['Case Decided', 'Case Resolved'], ['Case Resolved']]);
  });

  it('gives a record whose entries stay throttled back to the outbox as transient', async () => {
    eventBridge.on(PutEventsCommand).resolves({
      FailedEntryCount: 2,
      Entries: [{ ErrorCode: 'InternalFailure' }, { ErrorCode: 'ThrottlingException' }],
    });

    const error = await putEvents(events).then(failure('TransientError'), (e: unknown) => e);

    expect(isTransient(error)).toBe(true);
    expect(eventBridge.commandCalls(PutEventsCommand).length).toBeGreaterThan(1);
  });

  it('treats an entry EventBridge refuses (malformed, not allowed) as a refusal, without sending again', async () => {
    eventBridge
      .on(PutEventsCommand)
      .resolves({ FailedEntryCount: 1, Entries: [{ EventId: 'e-1' }, { ErrorCode: 'MalformedDetail' }] });

    const error = await putEvents(events).then(failure('EventsNotPublished'), (e: unknown) => e);

    expect(error).toMatchObject({
      name: 'EventsNotPublished',
      message: expect.stringContaining('MalformedDetail'),
    });
    expect(isTransient(error)).toBe(false);
    expect(eventBridge.commandCalls(PutEventsCommand)).toHaveLength(1);
  });
});
