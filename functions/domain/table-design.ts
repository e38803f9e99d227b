/**
 * The case table's key design, shared by the CDK table and the local runtime's table creation.
 *
 * One table, one partition per case:
 * | item            | pk                          | sk                    | GSI1 (seller)            | GSI2 (team queue)          |
 * |-----------------|-----------------------------|-----------------------|--------------------------|----------------------------|
 * | case            | CASE#<caseId>               | CASE                  | SELLER#<id> / <created>  | TEAM#<team> / <status>#<t> |
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
  indexes: [
    { name: 'bySeller', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
    { name: 'byTeam', partitionKey: 'gsi2pk', sortKey: 'gsi2sk' },
  ],
  /** Epoch seconds after which DynamoDB may delete an item (idempotency records, spent tokens). */
  ttlAttribute: 'expiresAtEpoch',
} as const;
