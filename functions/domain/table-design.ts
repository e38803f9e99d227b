/**
 * The case table's key design, shared by the CDK table and the local runtime's table creation.
 *
 * One table, one partition per case:
 * | item            | pk                          | sk                    | bySeller                 | teamQueue                       | caseList                           |
 * |-----------------|-----------------------------|-----------------------|--------------------------|---------------------------------|------------------------------------|
 * | case            | CASE#<caseId>               | CASE                  | SELLER#<id> / <created>  | TEAM#<team>#<0..3> / O#|P#|C#<at>… | CASES#<0..15> / <created>#<caseId> |
 *   (a case's id is a hash of its seller and the Idempotency-Key that opened it, so the case item is the
 *   key's record too; a key an earlier version recorded on its own is an `intake-alias` item at that id)
 *   (a case is also in familyList, FAMILY#<family>#<0..3>, and teamStatus, TEAM#<team>#<status>#<0..3>,
 *   both sorted by its caseList key)
 * | SLA timer       | CASE#<caseId>               | TIMER#<timerId>       |                          |                                 |                                    |
 * | audit event     | CASE#<caseId>               | EVENT#<version>#<n>   |                          |                                 |                                    |
 * | evidence item   | CASE#<caseId>               | EVIDENCE#<at>#<id>    |                          |                                 |                                    |
 * | message         | CASE#<caseId>               | MESSAGE#<at>#<id>     |                          |                                 |                                    |
 * | reply token     | TOKEN#<tokenId>             | TOKEN                 |                          |                                 |                                    |
 * | inbound email   | INBOUND#<message-id hash>   | INBOUND               |                          |                                 |                                    |
 * | mail reference  | MAILREF#<message-id hash>   | MAILREF               |                          |                                 |                                    |
 * | callback wait   | WAIT#<task-token hash>      | WAIT                  |                          |                                 |                                    |
 * | outbox record   | OUTBOX#<outboxId>           | OUTBOX                | (outboxDue, below)       |                                 |                                    |
 * | agent           | AGENTS#<team>               | AGENT#<agentId>       |                          |                                 |                                    |
 * | agent's team    | AGENT#<agentId>             | AGENT                 |                          |                                 |                                    |
 *   (a case waiting for its team's decision with no agent is also in teamBacklog, BACKLOG#<team> /
 *   <priority level>#<resolution due>#<caseId>)
 * | review entry    | CASE#<caseId>               | REVIEW#<version>      | (reviewQueue while queued: REVIEWQ#<family> / <queuedAt>#<caseId>) |
 * | review totals   | REVIEWSCORE#<segment>       | TOTAL                 | (and REVIEWSCORE / CATALOG: the segments seen)                    |
 *
 * **Partition arithmetic** (docs/scale.md has the whole table). A partition key value takes at most 1,000
 * write units a second, on the table and on each index alike; the design load is 1M new cases a day with a
 * peak hour of 10× the average, 116 new cases a second. An index is written only when a commit changes an
 * attribute it keys or projects, so each index projects what its reads need and nothing that every commit
 * changes (`updatedAt`, `version`, the figures, the whole `sla`):
 * - `caseList` (every case, newest first: the console's list): 16 hash shards of the case id, merged on
 *   read. Its entry changes with the status, the team, the escalation level and the resolution clock
 *   (paused, resumed, stopped: status changes too): the bench measured ~28 WCU a case, so 116 × 28 / 16
 *   ≈ 200 WCU/s a shard at peak, 20 % of the limit. One constant key, as before, took every commit of
 *   every case (~2,300/s).
 * - `teamQueue` (a team's open cases by when their resolution clock reaches its warning share, `O#…`; those
 *   paused past it, waiting on the seller, by when they paused, `P#…`; closed ones by when they closed,
 *   `C#…`): its sort key moves with every status change and every pause or resume of the
 *   clock, each move a delete and a put in the index. The bench measured ~44 WCU a case: a team with 30 %
 *   of cases would take ~1,500 WCU/s on one key, so each team's queue is spread over TEAM_QUEUE_SHARDS (4)
 *   keys, ~380 WCU/s each (38 %); the SLA board reads each shard's first cases in order and merges them.
 * - `familyList` (a family's cases, newest first) and `teamStatus` (a team's cases in one status, newest
 *   first): the console's common views read by key, both sorted by `listSk` and projecting what the list
 *   shows. `familyList` changes as `caseList` does (~28 WCU a case), over FAMILY_LIST_SHARDS (4) keys per
 *   family: the largest family at 40 % of cases takes ~320 WCU/s a key (32 %). `teamStatus` moves with
 *   every status change (~44 WCU a case) over 4 keys per team and status: at most ~380 WCU/s a key, if
 *   all of the largest team's writes fell on one status.
 * - `bySeller`: written once, at intake (its keys and projection never change); a seller with 5 % of all
 *   cases takes 6 WCU/s. Its projection is keys and family: the seller view reads a page's case items by
 *   BatchGet rather than copy the list's attributes into it on every commit.
 * - `outboxDue`: each outbox record enters it, moves in it when claimed, and leaves it: ~74 WCU a case
 *   (measured, ~20 records a buyer-dispute case); 16 shards take ~535 WCU/s each at peak (54 %).
 * - `teamBacklog` (a team's unassigned cases waiting for its decision, highest priority and earliest due
 *   first): sparse, a case enters it when handed to a team with nobody free and leaves it when an agent
 *   takes it (appeals, reopens and transfers hand off again). The bench measured ~8 WCU a case for a team
 *   without agents (every case queues; transactional writes count twice): the largest team, at 30 % of
 *   116 cases a second, takes ~280 WCU/s on its one key (28 %): no shards, so the queue's head is one
 *   query.
 * - Agents: a team's roster is one partition (`AGENTS#<team>`), read whole by assignment (a team has tens
 *   to hundreds of agents) and written once per assignment and once per release: ~70 WCU/s for the
 *   largest team at peak. `AGENT#<agentId>` says which team an agent is on.
 * - FAQ groups (functions/domain/faq/, folded from the stream by FoldCaseChanges):
 *   | FAQ group        | FAQ#<family>#<reason>          | G#<groupId>                 | counters, weeks, examples, templates, profile |
 *   | FAQ rank entry   | FAQ#<family>#<reason>          | R#<99 − size tier>#<groupId> | recurring groups (≥ 2 statements), largest tier first |
 *   | FAQ candidate    | FAQ#<family>#<reason>          | M#<groupId>                 | a group ops marked |
 *   | FAQ band bucket  | FAQB#<family>#<reason>#<0..15> | <MinHash band hex>          | ≤ 8 group ids sharing that band |
 *   | a case's FAQ     | CASE#<caseId>                  | FAQ                         | statements folded, groups, templates sent |
 *   A statement reads its case's FAQ item, 16 bucket items (one BatchGet) and at most 24 candidate groups,
 *   and writes its group (a version-conditioned put, ~2–3 KB: 3 WCU, twice in a transaction) and its case's
 *   item; its bucket entries only where they are new, and a rank entry only when the group crosses a size
 *   tier (2, 3, 5, 10, 20, 50 …). At 1M cases a day with a 10× peak hour and ~2 statements a case (intake,
 *   an email), the busiest reason (~15 % of cases: ~17 cases, ~35 statements a second) puts ~35 × 6 ≈ 210
 *   WCU/s on its `FAQ#` key (21 % of the limit) and ~70 WCU/s on each of its 16 `FAQB#` keys. A template
 *   sent adds one versioned update per group of its case, once per case and template. Reads: a list page is
 *   one query of ≤ 100 rank (or mark) entries and one BatchGet of their groups; singletons are never read.
 * - `reviewQueue` (issue 16's quality reviews: a family's resolved cases waiting for a reviewer, oldest
 *   first): sparse, keyed `REVIEWQ#<family>` / `<queuedAt>#<caseId>`. A review entry (`REVIEW#<version>`
 *   in its case's partition) enters it with the resolution that queues it and leaves it when a reviewer
 *   scores it: two small index writes (< 1 KB, 1 WCU each) per reviewed case, none by any other commit.
 *   At peak ~116 resolutions a second, the largest family at 40 % (~46/s); even sampling every one of its
 *   cases (share 1, the most a policy may set) plus its overturned appeals is under 50 entries a second, so
 *   ~100 WCU/s on its key (10 %); at the families' declared shares (0.1–0.2) ~20 WCU/s. One key per
 *   family needs no shards, so a page is one query a family (merged across families by the shared sort
 *   key), and what is queued stays where it was put: nothing moves it but its review.
 * - Review totals (`REVIEWSCORE#<segment>` / `TOTAL`, and the catalog of segments seen, `REVIEWSCORE` /
 *   `CATALOG`): each review adds to six segments (all, family, team, agent, template version, reason) and
 *   the catalog in its own transaction. Reviews are people's work: 100,000 a day (10 % of 1M cases, all
 *   reviewed) is ~1.2/s, ~12/s at a 10× peak, so the busiest items (`all`, the catalog) take ~25 WCU/s
 *   (transactional writes count twice): 2.5 % of a key. Reads are one item per segment (O(segments)).
 * - The table's own keys are one per case (its items over days) or one per record: no hot key.
 *
 * - The weekly review's rows (weekly-review.ts): `WEEKLY#<ISO week>#<writer 0..7>` / `<figure>|<key>`, one
 *   item per figure row of a week and writer, with its counters and up to {@link WEEKLY_EXAMPLES} example
 *   case ids (a string set). The table's stream adds each commit's part (FoldCaseChanges, after the
 *   scoreboard's totals): one update per row a batch touches, on a writer picked at random per batch.
 *   A resolution touches about ten rows (the stretch, ~5 phases, 1–2 teams, its template); with
 *   escalations, reopens and breaches, ~15 row updates a case, and at worst (a batch of one change)
 *   116 × 15 ≈ 1,700 transactional updates a second of ≤ 1 KB at peak, 3,500 WCU/s: over 8 writers,
 *   ~440 WCU/s a key (44 %); batches of many changes fold into far fewer. A week's rows are bounded by
 *   policy (phases, teams, escalation reasons, families and reasons, team pairs, template versions: a
 *   few hundred), so the review reads 8 × that many small items, whatever the cases. Fold markers
 *   (`CASE#<caseId>` / `REVIEWED#<version>`) live in the case's partition and expire as the scoreboard's.
 *
 * A callback wait item says "this task token's wait is recorded": a step re-invoked with the same token
 * (the engine retried an invocation that may have completed) finds it and writes nothing. It is written in
 * the transaction that records the wait, so two concurrent invocations cannot both record it.
 *
 * Outbox records are the messages a commit implies (emails, SNS publications, schedules), written in the
 * same transaction as the state change and sent after it, each exactly once (outbox-dispatch.ts).
 * The outboxDue index finds the ones still to send without scanning the table: it is sparse — only a record
 * not yet sent (pending, or being sent under a lease) has `outboxPending` = `OUTBOX_PENDING#<0..15>` and
 * `dueAt` (when it may next be claimed: its next attempt, or its lease's expiry); marking it sent or failed
 * removes both. Sixteen shards (the record id's hash) spread a burst of new records over sixteen index
 * partitions; the sweep reads each shard's due records with one query (`dueAt <= now`), so its cost follows
 * the records still to send, not the size of the table. Sent records expire (TTL) after 30 days.
 */
/** What the console's list shows and filters on; nothing a commit changes without the status. */
export const LIST_PROJECTION = [
  'caseId',
  'family',
  'status',
  'statusSince',
  'sellerId',
  'sellerTier',
  'region',
  'channel',
  'team',
  'createdAt',
  'escalationLevel',
  'resolutionClock',
] as const;

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
      name: 'teamQueue',
      partitionKey: 'queuePk',
      sortKey: 'queueSk',
      // What the SLA board shows of an at-risk case, and its resolution clock to work out the risk now.
      projection: ['caseId', 'family', 'status', 'sellerTier', 'escalationLevel', 'resolutionClock'],
    },
    {
      name: 'caseList',
      partitionKey: 'listPk',
      sortKey: 'listSk',
      projection: LIST_PROJECTION,
    },
    // The console's list views by key (case-list reading in case-store.ts): a family's cases, and a team's
    // cases in one status, newest first, with what the list shows.
    { name: 'familyList', partitionKey: 'familyPk', sortKey: 'listSk', projection: LIST_PROJECTION },
    { name: 'teamStatus', partitionKey: 'teamStatusPk', sortKey: 'listSk', projection: LIST_PROJECTION },
    // Keys only: the dispatcher claims a due record by its key and reads it from the claim's own answer.
    { name: 'outboxDue', partitionKey: 'outboxPending', sortKey: 'dueAt', projection: [] },
    // Sparse: only a case waiting for its team's decision with no agent yet, in priority order, with what
    // assignment needs to match it to an agent's skills.
    { name: 'teamBacklog', partitionKey: 'backlogPk', sortKey: 'backlogSk', projection: ['backlogNeeds'] },
    // Sparse: only a review entry not yet reviewed, oldest first, with what the review queue lists.
    {
      name: 'reviewQueue',
      partitionKey: 'reviewQueuePk',
      sortKey: 'reviewQueueSk',
      projection: [
        'caseId',
        'family',
        'reason',
        'queuedAt',
        'outcome',
        'decidedBy',
        'decidedAt',
        'team',
        'agent',
        'template',
        'deciders',
        'overturnedBy',
      ],
    },
  ],
  /** Epoch seconds after which DynamoDB may delete an item (spent tokens, fired timers, inbound records). */
  ttlAttribute: 'expiresAtEpoch',
} as const;

/** How many `TEAM#<team>#<n>` partitions a team's queue is spread over (a hash of the case id). */
export const TEAM_QUEUE_SHARDS = 4;

/** How many `FAMILY#<family>#<n>` partitions the familyList index spreads a family's cases over. */
export const FAMILY_LIST_SHARDS = 4;

/** How many `CASES#<n>` partitions the caseList index spreads cases over (a hash of the case id). */
export const CASE_LIST_SHARDS = 16;

/** How many `WEEKLY#<week>#<n>` partitions the weekly review's rows of a week are spread over. */
export const WEEKLY_WRITERS = 8;

/** How many example case ids a weekly review row keeps per writer (the review shows the first ten). */
export const WEEKLY_EXAMPLES = 10;

/** The key of a weekly review row: an ISO week's figure row (`<figure>|<key>`) on one writer. */
export const weeklyRowKey = (week: string, row: string, writer: number) => ({
  pk: `WEEKLY#${week}#${writer}`,
  sk: row,
});

/** The marker of a case change folded into the weekly review (in the case's partition). */
export const weeklyFoldMarkerKey = (caseId: string, version: number) => ({
  pk: `CASE#${caseId}`,
  sk: `REVIEWED#${String(version).padStart(8, '0')}`,
});

/** How many `OUTBOX_PENDING#<n>` partitions the outboxDue index spreads unsent outbox records over. */
export const OUTBOX_SHARDS = 16;

/**
 * How long records that serve only for a while are kept, in days, before DynamoDB's TTL (`expiresAtEpoch`)
 * deletes them. Cases, their audit events, evidence and messages have none: a closed case stays readable.
 */
export const RETENTION_DAYS = {
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
  /** A change's scoreboard fold marker: a stream redelivers within a day (its records live 24 hours). */
  foldMarker: 2,
} as const;
