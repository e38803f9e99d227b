/**
 * The case table's key design, shared by the CDK table and the local runtime's table creation.
 *
 * One table, one partition per case:
 * | item            | pk                          | sk                    | GSI1 (seller)            | GSI2 (team queue)          |
 * |-----------------|-----------------------------|-----------------------|--------------------------|----------------------------|
 * | case            | CASE#<caseId>               | CASE                  | SELLER#<id> / <created>  | TEAM#<team> / <status>#<t> |
 *
 * and GSI3 (byCreated, the ops console's list and the scoreboard): every case item has `CASES` /
 * `<createdAt>#<caseId>`. One partition key value is deliberate: a GSI partition takes about 1,000 write
 * units a second, and a case is written about ten times, so it carries some 100 new cases a second (over
 * eight million a day) before it would need sharding by month.
 * | audit event     | CASE#<caseId>               | EVENT#<version>#<n>   |                          |                            |
 * | SLA timer       | CASE#<caseId>               | TIMER#<timerId>       |                          |                            |
 * | evidence item   | CASE#<caseId>               | EVIDENCE#<at>#<id>    |                          |                            |
 * | message         | CASE#<caseId>               | MESSAGE#<at>#<id>     |                          |                            |
 * | reply token     | TOKEN#<tokenId>             | TOKEN                 |                          |                            |
 * | idempotency     | IDEMPOTENCY#<n>:<seller>#<key>| IDEMPOTENCY           |                          |                            |
 * | inbound email   | INBOUND#<message-id hash>   | INBOUND               |                          |                            |
 * | mail reference  | MAILREF#<message-id hash>   | MAILREF               |                          |                            |
 * | callback wait   | WAIT#<task-token hash>      | WAIT                  |                          |                            |
 * | outbox record   | OUTBOX#<outboxId>           | OUTBOX                | (outboxDue, below)       |                            |
 *
 * A callback wait item says "this task token's wait is recorded": a step re-invoked with the same token
 * (the engine retried an invocation that may have completed) finds it and writes nothing. It is written in
 * the transaction that records the wait, so two concurrent invocations cannot both record it.
 *
 * Outbox records are the messages a commit implies (emails, SNS publications), written in the same
 * transaction as the state change and sent after it, each exactly once (functions/domain/outbox-dispatch.ts).
 * The outboxDue index finds the ones still to send without scanning the table: it is sparse — only a record
 * not yet sent (pending, or being sent under a lease) has `outboxPending` = `OUTBOX_PENDING#<0..15>` and
 * `dueAt` (when it may next be claimed: its next attempt, or its lease's expiry); marking it sent or failed
 * removes both. Sixteen shards (the record id's hash) spread a burst of new records over sixteen index
 * partitions; the sweep reads each shard's due records with one query (`dueAt <= now`), so its cost follows
 * the records still to send, not the size of the table. Sent records expire (TTL) after 30 days.
 */
export const TABLE_KEYS = {
  partitionKey: 'pk',
  sortKey: 'sk',
  /**
   * Indexes project only what their queries read: with ALL projected, every case update (status, version,
   * timestamps) would also be a write to each index, which more than doubled a case's write units.
   */
  indexes: [
    { name: 'bySeller', partitionKey: 'gsi1pk', sortKey: 'gsi1sk', projection: ['caseId', 'family'] },
    {
      name: 'byTeam',
      partitionKey: 'gsi2pk',
      sortKey: 'gsi2sk',
      projection: ['caseId', 'family', 'status', 'sellerTier', 'region', 'createdAt'],
    },
    {
      name: 'byCreated',
      partitionKey: 'gsi3pk',
      sortKey: 'gsi3sk',
      // What the console's list shows and filters on, and the scoreboard's figures.
      projection: [
        'caseId',
        'family',
        'status',
        'sellerId',
        'sellerTier',
        'region',
        'channel',
        'team',
        'createdAt',
        'updatedAt',
        'escalationLevel',
        'sla',
        'metrics',
      ],
    },
    // Keys only: the dispatcher claims a due record by its key and reads it from the claim's own answer.
    { name: 'outboxDue', partitionKey: 'outboxPending', sortKey: 'dueAt', projection: [] },
  ],
  /** Epoch seconds after which DynamoDB may delete an item (idempotency records, spent tokens). */
  ttlAttribute: 'expiresAtEpoch',
} as const;

/** How many `OUTBOX_PENDING#<n>` partitions the outboxDue index spreads unsent outbox records over. */
export const OUTBOX_SHARDS = 16;

/**
 * How long records that serve only for a while are kept, in days, before DynamoDB's TTL (`expiresAtEpoch`)
 * deletes them. Cases, their audit events, evidence and messages have none: a closed case stays readable.
 */
export const RETENTION_DAYS = {
  /** An intake's Idempotency-Key: a portal retries within minutes; a week leaves room for an outage. */
  idempotency: 7,
  /** An inbound message's record: SES redelivers within hours; ops look back at unmatched mail for a quarter. */
  inbound: 90,
  /** A sent email's Message-ID → case: a reply quoting it threads to its case through any appeal window. */
  mailRef: 400,
  /** A timer that fired or was skipped: it only guards against a late duplicate firing. */
  finishedTimer: 30,
  /** A reply token, after its wait's deadline: a late reply still finds its case and is kept. */
  replyToken: 30,
  /** A callback wait, after its deadline: it only guards against a re-invoked step recording it twice. */
  spentWait: 30,
  /** An outbox record sent: its provider id stays on the case's message. */
  sentOutbox: 30,
  /** An outbox record given up on: kept for an operator to look at. */
  failedOutbox: 90,
} as const;
