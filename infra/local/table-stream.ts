import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  ExpiredIteratorException,
  GetRecordsCommand,
  type GetRecordsCommandOutput,
  GetShardIteratorCommand,
  type _Record as StreamRecord,
  TrimmedDataAccessException,
} from '@aws-sdk/client-dynamodb-streams';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { inLane, type PriorityGate, prioritise } from './dynamodb-priority.ts';
import { LOCAL } from './local-config.ts';
import { localTableClient } from './local-table-client.ts';

/**
 * The local stand-in for a Lambda event source mapping on the case table's stream: it reads DynamoDB
 * Local's stream of the table (the real Streams API), keeps what each consumer takes (its mapping's filter
 * on AWS), and hands it on in batches of up to 100 to `deliver` — the stream function's handler, as Lambda
 * would. A batch that fails is handed on again after a second, as Lambda retries it; the stream
 * function makes that safe (each change folds once).
 *
 * Where it has read to is kept in the table itself (`LOCAL#stream` items, one per shard), written after
 * each batch is delivered: a runtime stopped or killed mid-batch delivers that batch again on its next
 * start, and never skips one.
 */
export interface TableStream {
  stop(): Promise<void>;
  /** Resolves once every record written before the call has been delivered (for tests and the bench). */
  caughtUp(): Promise<void>;
  /**
   * Runs `write` and moves the checkpoint past every record written before it returned, delivering none of
   * them, as an event source mapping re-created at `LATEST` after a bulk load would on AWS: for a load whose
   * folds are done otherwise (the bench seeds 100,000 cases and adds their scoreboard totals summed, not a
   * change at a time). Only for a store nothing else is writing to: whatever is written meanwhile is
   * skipped too. Resolves with what `write` resolved with, once the checkpoint is past it all.
   */
  skipWrites<T>(write: () => Promise<T>): Promise<T>;
}

type Deliver = (event: { Records: StreamRecord[] }) => Promise<unknown>;

/** A stream function as its event source mapping sees the stream: the records it takes, and its handler. */
export interface StreamConsumer {
  readonly accepts: (record: StreamRecord) => boolean;
  readonly deliver: Deliver;
}

const IDLE_MS = 200;
/** Records a consumer gets at most at once: the mapping's batch size on AWS. */
const BATCH = 100;
/** Records read ahead at most before a delivery, whatever the consumers take of them. */
const READ_AHEAD = 1_000;
const RETRY_MS = 1_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The default mapping's filter: case items inserted or changed. */
export const isCaseItem = (record: StreamRecord) =>
  (record.eventName === 'INSERT' || record.eventName === 'MODIFY') &&
  record.dynamodb?.Keys?.pk?.S?.startsWith('CASE#') === true &&
  record.dynamodb.Keys.sk?.S === 'CASE';

export const startTableStream = async (options: {
  readonly endpoint: string;
  readonly tableName: string;
  /** Where the stream's reads, checkpoints and folds wait their turn, in the gate's `stream` lane. */
  readonly gate?: PriorityGate;
  /** Each consumer gets the records it accepts, in order; a failed batch is delivered to it again. */
  readonly consumers: readonly StreamConsumer[];
}): Promise<TableStream> => {
  const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
  const dynamo = new DynamoDBClient({ endpoint: options.endpoint, region: LOCAL.region, credentials });
  const streams = new DynamoDBStreamsClient({
    endpoint: options.endpoint,
    region: LOCAL.region,
    credentials,
  });
  const table = localTableClient(options.endpoint);
  if (options.gate) for (const client of [dynamo, streams, table]) prioritise(client, options.gate);
  const { Table } = await dynamo.send(new DescribeTableCommand({ TableName: options.tableName }));
  const streamArn = Table?.LatestStreamArn;
  if (!streamArn) throw new Error(`the local table ${options.tableName} has no stream`);

  const checkpointKey = (shardId: string) => ({ pk: 'LOCAL#stream', sk: shardId });
  const checkpoint = async (shardId: string) =>
    (await table.send(new GetCommand({ TableName: options.tableName, Key: checkpointKey(shardId) }))).Item as
      | { sequence?: string; closed?: boolean }
      | undefined;
  const save = (shardId: string, state: { sequence?: string | undefined; closed: boolean }) =>
    table.send(
      new PutCommand({
        TableName: options.tableName,
        Item: { ...checkpointKey(shardId), kind: 'local', streamArn, ...state },
      }),
    );

  let stopping = false;
  /** Bumped after every read that found the shard empty: `caughtUp` waits for a bump after it was asked. */
  let emptyReads = 0;
  /** Records are skipped, not delivered, until `emptyReads` reaches this (`skipWrites`). */
  let skipUntil = 0;
  /** The checkpoint's own record, which the stream gives back after each save. */
  const isCheckpoint = (record: StreamRecord) => record.dynamodb?.Keys?.pk?.S === checkpointKey('').pk;

  /** Reads one shard from its checkpoint until it closes (or the runtime stops). */
  const readShard = async (shardId: string) => {
    const saved = await checkpoint(shardId);
    if (saved?.closed) return;
    let sequence = saved?.sequence;
    let iterator: string | undefined;
    const freshIterator = async () =>
      (
        await streams.send(
          new GetShardIteratorCommand({
            StreamArn: streamArn,
            ShardId: shardId,
            ...(sequence
              ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: sequence }
              : { ShardIteratorType: 'TRIM_HORIZON' }),
          }),
        )
      ).ShardIterator;
    iterator = await freshIterator();
    // Records read and not yet delivered (the last one's sequence number moves the checkpoint), and of
    // them what each consumer takes.
    let pending: StreamRecord[] = [];
    let taken = options.consumers.map((): StreamRecord[] => []);
    while (!stopping && iterator) {
      let page: GetRecordsCommandOutput;
      try {
        // Pages of 100 while delivering: DynamoDB Local holds its one thread for the whole read (~0.5 ms a
        // record here), and a read of 1,000 would keep a request someone waits on waiting that long.
        const skipping = emptyReads < skipUntil;
        page = await streams.send(
          new GetRecordsCommand({ ShardIterator: iterator, Limit: skipping ? READ_AHEAD : 100 }),
        );
      } catch (error) {
        if (!(error instanceof ExpiredIteratorException || error instanceof TrimmedDataAccessException))
          throw error;
        // Read again from the last delivery: what was read since is read again.
        pending = [];
        taken = options.consumers.map(() => []);
        iterator = await freshIterator();
        continue;
      }
      const records = page.Records ?? [];
      pending.push(...records);
      if (emptyReads < skipUntil) {
        // Skipped, with what was read ahead: the checkpoint moves past them, unless all there is is the last
        // save's own record (saving again for it would feed the stream a record each time: never empty).
        const last = pending.at(-1)?.dynamodb?.SequenceNumber;
        if (last) sequence = last;
        if (pending.some((r) => !isCheckpoint(r))) await save(shardId, { sequence, closed: false });
        pending = [];
        taken = options.consumers.map(() => []);
        iterator = page.NextShardIterator;
        if (records.length === 0) {
          emptyReads += 1;
          if (iterator) await sleep(IDLE_MS);
        }
        continue;
      }
      for (const [i, consumer] of options.consumers.entries())
        taken[i]?.push(...records.filter(consumer.accepts));
      iterator = page.NextShardIterator;
      // As the mapping batches on AWS (after its filter, up to 100 records): read on while the shard has
      // more and no consumer's batch is full, so a backlog is folded a hundred changes at a time, not a page's
      // few. The shard's end (an empty page) delivers what there is.
      const readOn =
        records.length > 0 && iterator && taken.every((t) => t.length < BATCH) && pending.length < READ_AHEAD;
      if (readOn) continue;
      let delivered = false;
      for (const [i, consumer] of options.consumers.entries()) {
        const accepted = taken[i] ?? [];
        for (let at = 0; at < accepted.length; at += BATCH) {
          const batch = accepted.slice(at, at + BATCH);
          delivered = true;
          // Delivered before the checkpoint moves: a crash in between delivers the batch again (to every
          // consumer: each folds a change once).
          for (;;) {
            try {
              await consumer.deliver({ Records: batch });
              break;
            } catch (error) {
              console.error(
                'the table stream batch failed; it is delivered again:',
                (error as Error).message,
              );
              if (stopping) return;
              await sleep(RETRY_MS);
            }
          }
        }
      }
      // Saved only after a delivery: the checkpoint is itself an item of the table, so saving it after
      // every read would feed the stream its own records. Records skipped since are read again after a
      // restart, and skipped again.
      const last = pending.at(-1)?.dynamodb?.SequenceNumber;
      if (last) sequence = last;
      pending = [];
      taken = options.consumers.map(() => []);
      if (delivered) await save(shardId, { sequence, closed: false });
      if (records.length === 0) {
        emptyReads += 1;
        if (iterator) await sleep(IDLE_MS);
      }
    }
    if (!stopping && !iterator) await save(shardId, { sequence, closed: true });
  };

  // The stream's reads, checkpoints and folds wait in a lane of their own at the gate: behind requests
  // someone is waiting for, not behind the backlog of steps a burst leaves (dynamodb-priority.ts).
  const loop = inLane('stream', async () => {
    while (!stopping) {
      try {
        const { StreamDescription } = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
        // Parents before children, as the stream orders a shard's records after its parent's.
        const shards = [...(StreamDescription?.Shards ?? [])].sort((a, b) =>
          String(a.SequenceNumberRange?.StartingSequenceNumber).localeCompare(
            String(b.SequenceNumberRange?.StartingSequenceNumber),
            undefined,
            { numeric: true },
          ),
        );
        for (const shard of shards) if (!stopping && shard.ShardId) await readShard(shard.ShardId);
        if (!stopping) await sleep(IDLE_MS);
      } catch (error) {
        // A failed read (DynamoDB Local busy or restarting): read again from the last checkpoint, as
        // Lambda's poller does, rather than leave the scoreboard behind for the rest of the run.
        if (stopping) return;
        console.error('reading the local table stream failed; reading again:', (error as Error).message);
        await sleep(RETRY_MS);
      }
    }
  });

  return {
    stop: async () => {
      stopping = true;
      await loop;
      streams.destroy();
      dynamo.destroy();
      table.destroy();
    },
    caughtUp: async () => {
      // Two empty reads after the call: the first may have been in flight when the writes landed.
      const target = emptyReads + 2;
      while (emptyReads < target && !stopping) await sleep(50);
    },
    skipWrites: async (write) => {
      skipUntil = Number.POSITIVE_INFINITY;
      try {
        return await write();
      } finally {
        // As `caughtUp`: two empty reads after the writes, the first may have been in flight.
        skipUntil = emptyReads + 2;
        while (emptyReads < skipUntil && !stopping) await sleep(50);
      }
    },
  };
};

/** FoldCaseChanges' mapping filter (as on AWS): case items, new evidence, new `message.sent` audit events. */
export const isFoldSource = (record: StreamRecord) => isCaseItem(record) || isFaqSource(record);

/** What FAQ grouping reads: new cases, new evidence, new `message.sent` audit events. */
const isFaqSource = (record: StreamRecord) => {
  if (record.eventName !== 'INSERT' || record.dynamodb?.Keys?.pk?.S?.startsWith('CASE#') !== true)
    return false;
  const sk = record.dynamodb.Keys.sk?.S ?? '';
  return (
    sk === 'CASE' ||
    sk.startsWith('EVIDENCE#') ||
    (sk.startsWith('EVENT#') && record.dynamodb.NewImage?.type?.S === 'message.sent')
  );
};
