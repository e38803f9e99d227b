import { GetCommand, PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';

/** Recorded once every case kept from before is counted, so later starts skip the scan. */
const DONE = { pk: 'LOCAL#upgrades', sk: 'scoreboard' };

/**
 * Cases kept in `.data` from before the scoreboard kept totals were written before the table had a
 * stream: each is folded in once, as a stream record of a new case would be (the same fold, the same
 * marker per case version, so a case counted here and then changed is counted once). Runs at start, before
 * any handler writes, once the handlers' environment is set. Returns how many cases it counted.
 */
export const backfillScoreboard = async (): Promise<number> => {
  const { dynamoDb } = await import('#commons/clients/dynamodb.ts');
  const { TABLE } = await import('#domain/case-store.ts');
  const { foldScoreboard } = await import('#domain/scoreboard-fold.ts');
  const done = await dynamoDb.send(new GetCommand({ TableName: TABLE.name, Key: DONE }));
  if (done.Item) return 0;
  let counted = 0;
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await dynamoDb.send(
      new ScanCommand({
        TableName: TABLE.name,
        FilterExpression: 'kind = :case',
        ExpressionAttributeValues: { ':case': 'case' },
        ExclusiveStartKey: startKey,
      }),
    );
    const records = (page.Items ?? []).map((item) => ({
      eventName: 'INSERT',
      dynamodb: {
        Keys: marshall({ pk: item.pk, sk: item.sk }),
        NewImage: marshall(item, { removeUndefinedValues: true }),
      },
    }));
    counted += (await foldScoreboard(records)).folded;
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  await dynamoDb.send(
    new PutCommand({ TableName: TABLE.name, Item: { ...DONE, kind: 'local', at: new Date().toISOString() } }),
  );
  return counted;
};
