import { GetCommand, PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';

/**
 * Cases kept in `.data` by an earlier version lack the keys of the indexes added since, or carry them in
 * an earlier layout (`indexLayout`; before the ops console, their figures too). Each is rewritten as the case store writes cases
 * now (`caseItem`: every index key and copy, the retired ones dropped), with its figures folded from
 * its own audit events, guarded by its version so a case that moved meanwhile is left for the next start.
 * Runs once the handlers' environment is set (the case store reads its table name at import).
 * Returns how many cases it upgraded; once all are, it records so and later starts skip it.
 */
export const upgradeLocalCases = async (): Promise<number> => {
  const { dynamoDb } = await import('#commons/clients/dynamodb.ts');
  const { caseItem, getCaseBundle, INDEX_LAYOUT, TABLE } = await import('#domain/case-store.ts');
  const { caseMetrics } = await import('#domain/metrics.ts');
  // Recorded once every case is upgraded to this layout, so later starts skip the scan.
  const DONE = { pk: 'LOCAL#upgrades', sk: `index-layout-${INDEX_LAYOUT}` };
  const done = await dynamoDb.send(new GetCommand({ TableName: TABLE.name, Key: DONE }));
  if (done.Item) return 0;
  let upgraded = 0;
  let skipped = 0;
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await dynamoDb.send(
      new ScanCommand({
        TableName: TABLE.name,
        FilterExpression: 'kind = :case AND (attribute_not_exists(indexLayout) OR indexLayout < :layout)',
        ProjectionExpression: 'caseId',
        ExpressionAttributeValues: { ':case': 'case', ':layout': INDEX_LAYOUT },
        ExclusiveStartKey: startKey,
      }),
    );
    for (const item of page.Items ?? []) {
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
        .then(() => upgraded++)
        .catch((error: Error) => {
          if (error.name !== 'ConditionalCheckFailedException') throw error;
          skipped++;
        });
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  if (skipped === 0)
    await dynamoDb.send(
      new PutCommand({
        TableName: TABLE.name,
        Item: { ...DONE, kind: 'local', at: new Date().toISOString() },
      }),
    );
  return upgraded;
};
