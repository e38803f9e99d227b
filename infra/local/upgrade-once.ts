import { GetCommand, PutCommand, ScanCommand, type ScanCommandInput } from '@aws-sdk/lib-dynamodb';

/**
 * A one-off upgrade of a local store kept from an earlier version: unless `marker` is recorded as done (in
 * `LOCAL#upgrades`), scans the case table for the items `scan` selects and hands each page to `eachPage`,
 * which answers how many items it changed and how many it had to leave for a later start. Once nothing was
 * left, the marker is recorded and later starts skip the scan. Runs once the handlers' environment is set
 * (the case store reads its table name at import). Answers how many items were changed.
 */
export const upgradeOnce = async (
  marker: string,
  scan: Pick<ScanCommandInput, 'FilterExpression' | 'ExpressionAttributeValues' | 'ProjectionExpression'>,
  eachPage: (items: Record<string, unknown>[]) => Promise<{ changed: number; left?: number }>,
): Promise<number> => {
  const { dynamoDb } = await import('#commons/clients/dynamodb.ts');
  const { TABLE } = await import('#domain/case-store.ts');
  const key = { pk: 'LOCAL#upgrades', sk: marker };
  if ((await dynamoDb.send(new GetCommand({ TableName: TABLE.name, Key: key }))).Item) return 0;
  let changed = 0;
  let left = 0;
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await dynamoDb.send(
      new ScanCommand({ TableName: TABLE.name, ...scan, ExclusiveStartKey: startKey }),
    );
    const done = await eachPage(page.Items ?? []);
    changed += done.changed;
    left += done.left ?? 0;
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  if (left === 0)
    await dynamoDb.send(
      new PutCommand({
        TableName: TABLE.name,
        Item: { ...key, kind: 'local', at: new Date().toISOString() },
      }),
    );
  return changed;
};
