import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { upgradeOnce } from './upgrade-once.ts';

/**
 * Cases kept in `.data` by an earlier version lack the keys of the indexes added since, or carry them in
 * an earlier layout (`indexLayout`; before the ops console, their figures too). Each is rewritten as the case store writes cases
 * now (`caseItem`: every index key and copy, the retired ones dropped), with its figures folded from
 * its own audit events, guarded by its version so a case that moved meanwhile is left for the next start.
 * Returns how many cases it upgraded; once all are, it records so and later starts skip it (`upgradeOnce`).
 */
export const upgradeLocalCases = async (): Promise<number> => {
  const { dynamoDb } = await import('#commons/clients/dynamodb.ts');
  const { caseItem, getCaseBundle, INDEX_LAYOUT, TABLE } = await import('#domain/case-store.ts');
  const { caseMetrics } = await import('#domain/metrics.ts');
  return upgradeOnce(
    `index-layout-${INDEX_LAYOUT}`,
    {
      FilterExpression: 'kind = :case AND (attribute_not_exists(indexLayout) OR indexLayout < :layout)',
      ProjectionExpression: 'caseId',
      ExpressionAttributeValues: { ':case': 'case', ':layout': INDEX_LAYOUT },
    },
    async (items) => {
      let changed = 0;
      let left = 0;
      for (const item of items) {
        const bundle = await getCaseBundle(String(item.caseId));
        if (!bundle) continue;
        const recomputed = caseMetrics(bundle.events);
        // Figures the scoreboard counted without their holders stay so: it added nothing to the case's team
        // and assignee segments, and must not later take from them what it never added (metrics.ts).
        const counted = bundle.record.metrics;
        const metrics =
          recomputed && counted && !counted.holding
            ? (({ holding: _, ...rest }) => rest)(recomputed)
            : recomputed;
        await dynamoDb
          .send(
            new PutCommand({
              TableName: TABLE.name,
              Item: caseItem({ ...bundle.record, ...(metrics ? { metrics } : {}) }),
              ConditionExpression: 'version = :version',
              ExpressionAttributeValues: { ':version': bundle.record.version },
            }),
          )
          .then(() => changed++)
          .catch((error: Error) => {
            if (error.name !== 'ConditionalCheckFailedException') throw error;
            left++;
          });
      }
      return { changed, left };
    },
  );
};

/**
 * An earlier version kept each intake's Idempotency-Key as a record of its own (`IDEMPOTENCY#<n>:<seller>#<key>`,
 * for 7 days); now a case's id is derived from the key (`intakeCaseId`), so the case's own conditional put
 * refuses a second one. A key sent before the upgrade would find no case at its derived id and open a second
 * case: so each such record still live is given an alias at that id (`INTAKE_ALIAS`), naming the case the
 * key opened and expiring with the record. Once done, later starts skip it (nothing writes the old records;
 * `upgradeOnce`).
 * Returns how many keys it carried over.
 */
export const aliasLegacyIntakeKeys = async (now = new Date()): Promise<number> => {
  const { dynamoDb } = await import('#commons/clients/dynamodb.ts');
  const { INTAKE_ALIAS, intakeCaseId, TABLE } = await import('#domain/case-store.ts');
  return upgradeOnce(
    'intake-keys-derived',
    {
      FilterExpression: 'kind = :kind AND expiresAtEpoch > :now',
      ExpressionAttributeValues: { ':kind': 'idempotency', ':now': Math.floor(now.getTime() / 1000) },
    },
    async (items) => {
      let changed = 0;
      for (const item of items) {
        // `IDEMPOTENCY#<length of the seller id>:<seller id>#<key>`; the oldest layout (no length) cannot be
        // split unambiguously, and its records expired long before this version.
        const match = /^IDEMPOTENCY#(\d+):/.exec(String(item.pk));
        if (!match) continue;
        const start = match[0].length;
        const sellerId = String(item.pk).slice(start, start + Number(match[1]));
        const key = String(item.pk).slice(start + sellerId.length + 1);
        await dynamoDb
          .send(
            new PutCommand({
              TableName: TABLE.name,
              Item: {
                pk: `CASE#${intakeCaseId(sellerId, key)}`,
                sk: 'CASE',
                kind: INTAKE_ALIAS,
                caseId: item.caseId,
                intakeHash: item.bodyHash,
                createdAt: item.createdAt,
                expiresAtEpoch: item.expiresAtEpoch,
              },
              ConditionExpression: 'attribute_not_exists(pk)',
            }),
          )
          .then(() => changed++)
          .catch((error: Error) => {
            // A case (or an alias) is there already: the key is taken either way.
            if (error.name !== 'ConditionalCheckFailedException') throw error;
          });
      }
      return { changed };
    },
  );
};
