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
 * | evidence item   | CASE#<caseId>               | EVIDENCE#<at>#<id>    |                          |                            |
 * | message         | CASE#<caseId>               | MESSAGE#<at>#<id>     |                          |                            |
 * | reply token     | TOKEN#<tokenId>             | TOKEN                 |                          |                            |
 * | idempotency     | IDEMPOTENCY#<seller>#<key>  | IDEMPOTENCY           |                          |                            |
 * | inbound email   | INBOUND#<message-id hash>   | INBOUND               |                          |                            |
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
  ],
  /** Epoch seconds after which DynamoDB may delete an item (idempotency records, spent tokens). */
  ttlAttribute: 'expiresAtEpoch',
} as const;
