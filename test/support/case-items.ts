import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { CaseRecord } from '../../functions/domain/case.ts';
import { LOCAL } from '../../infra/local/local-config.ts';
import { localTableClient } from '../../infra/local/local-table-client.ts';

/**
 * Every case item of a local runtime's table, read by a scan of the test's own (what a recomputation in a
 * test is held against; the product never scans).
 */
export const scanCaseItems = async (dynamoDbEndpoint: string): Promise<CaseRecord[]> => {
  const db = localTableClient(dynamoDbEndpoint);
  const cases: CaseRecord[] = [];
  let startKey: Record<string, unknown> | undefined;
  try {
    do {
      const page = await db.send(
        new ScanCommand({
          TableName: LOCAL.tableName,
          FilterExpression: 'kind = :case',
          ExpressionAttributeValues: { ':case': 'case' },
          ExclusiveStartKey: startKey,
        }),
      );
      cases.push(...((page.Items ?? []) as CaseRecord[]));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
  } finally {
    db.destroy();
  }
  return cases;
};
