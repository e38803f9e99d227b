import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DeleteItemCommand,
  DescribeTableCommand,
  DynamoDBClient,
  QueryCommand,
  UpdateItemCommand,
  UpdateTableCommand,
} from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { LOCAL } from '../../infra/local/local-config.ts';
import { type LocalRuntime, startLocalRuntime } from '../../infra/local/runtime.ts';
import { SellerWorksClient } from '../../scripts/lib/sellerworks-client.ts';
import { portsOf } from '../support/runtime-ports.ts';

const intake = JSON.parse(
  await readFile(new URL('../../events/intake/payout-hold.json', import.meta.url), 'utf8'),
);

describe('a store kept by an earlier version', () => {
  it('trades the retired indexes for the current ones, and every case gets its keys and figures on the next start', async () => {
    // Prepare: a case, then the store made to look as an earlier version left it
    const oldDir = await mkdtemp(join(tmpdir(), 'sw-upgrade-'));
    let local: LocalRuntime | undefined;
    try {
      local = await startLocalRuntime({ dataDir: oldDir });
      const ports = portsOf(local);
      let client = new SellerWorksClient(local.apiUrl, local.smtpPort);
      const seller = await client.sellerToken('seller-upgrade');
      const opened = await client.openCase(seller, { ...intake, sellerEmail: 'upgrade@example.com' });
      const caseId = opened.body.caseId;
      await client.waitForStatus(seller, caseId, 'awaiting_seller');
      const dynamo = new DynamoDBClient({
        endpoint: local.dynamoDbEndpoint,
        region: 'us-east-1',
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      });
      await dynamo.send(
        new UpdateItemCommand({
          TableName: LOCAL.tableName,
          Key: { pk: { S: `CASE#${caseId}` }, sk: { S: 'CASE' } },
          UpdateExpression:
            'REMOVE listPk, listSk, queuePk, queueSk, familyPk, teamStatusPk, resolutionClock, indexLayout, #metrics, channel SET gsi3pk = :all, gsi3sk = :created',
          ExpressionAttributeNames: { '#metrics': 'metrics' },
          ExpressionAttributeValues: { ':all': { S: 'CASES' }, ':created': { S: `2026-12-01#${caseId}` } },
        }),
      );
      const settled = async () => {
        for (;;) {
          const { Table } = await dynamo.send(new DescribeTableCommand({ TableName: LOCAL.tableName }));
          if ((Table?.GlobalSecondaryIndexes ?? []).every((i) => i.IndexStatus === 'ACTIVE')) return;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      };
      for (const IndexName of [
        'caseList',
        'teamQueue',
        'outboxDue',
        'familyList',
        'teamStatus',
        'reviewQueue',
      ]) {
        await dynamo.send(
          new UpdateTableCommand({
            TableName: LOCAL.tableName,
            GlobalSecondaryIndexUpdates: [{ Delete: { IndexName } }],
          }),
        );
        await settled();
      }
      // The console's index as the version before this one had it: one key for every case.
      await dynamo.send(
        new UpdateTableCommand({
          TableName: LOCAL.tableName,
          AttributeDefinitions: [
            { AttributeName: 'gsi3pk', AttributeType: 'S' },
            { AttributeName: 'gsi3sk', AttributeType: 'S' },
          ],
          GlobalSecondaryIndexUpdates: [
            {
              Create: {
                IndexName: 'byCreated',
                KeySchema: [
                  { AttributeName: 'gsi3pk', KeyType: 'HASH' },
                  { AttributeName: 'gsi3sk', KeyType: 'RANGE' },
                ],
                Projection: { ProjectionType: 'ALL' },
              },
            },
          ],
        }),
      );
      await settled();
      // As an earlier version leaves it: no record of an upgrade to this version's layout.
      const upgrades = await dynamo.send(
        new QueryCommand({
          TableName: LOCAL.tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': { S: 'LOCAL#upgrades' } },
        }),
      );
      for (const item of upgrades.Items ?? [])
        await dynamo.send(
          new DeleteItemCommand({ TableName: LOCAL.tableName, Key: { pk: item.pk!, sk: item.sk! } }),
        );
      dynamo.destroy();
      await local.stop();
      local = undefined;

      // Act: start again on the same data
      local = await startLocalRuntime({ dataDir: oldDir, ...ports });
      client = new SellerWorksClient(local.apiUrl, local.smtpPort);
      const ops = await client.opsToken();
      const listed = (query: string) =>
        fetch(`${local?.apiUrl}/ops/cases${query}`, { headers: { authorization: `Bearer ${ops}` } }).then(
          async (res) => ((await res.json()) as { cases: { caseId: string }[] }).cases.map((c) => c.caseId),
        );
      const list = await listed('');
      // The views added since read it by their own keys, written by the upgrade.
      const byFamily = await listed(`?family=${String(intake.family)}`);
      const bySeller = await listed('?seller=seller-upgrade');
      const view = await client.getOpsCase(ops, caseId);

      // Assess: the indexes are back (the outbox sweep's too), and the case is listed, with figures from
      // its timeline
      const upgraded = new DynamoDBClient({
        endpoint: local.dynamoDbEndpoint,
        region: 'us-east-1',
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      });
      const { Table } = await upgraded.send(new DescribeTableCommand({ TableName: LOCAL.tableName }));
      upgraded.destroy();
      expect(Table?.GlobalSecondaryIndexes?.map((i) => i.IndexName).sort()).toEqual([
        'bySeller',
        'caseList',
        'familyList',
        'outboxDue',
        'reviewQueue',
        'teamBacklog',
        'teamQueue',
        'teamStatus',
      ]);
      expect(Table?.GlobalSecondaryIndexes?.find((i) => i.IndexName === 'outboxDue')?.Projection).toEqual({
        ProjectionType: 'KEYS_ONLY',
      });
      expect(list).toEqual([caseId]);
      expect(byFamily).toEqual([caseId]);
      expect(bySeller).toEqual([caseId]);
      expect(view.body.metrics).toMatchObject({
        receivedAt: expect.any(String),
        firstResponseAt: expect.any(String),
      });
    } finally {
      // A failed step must not leave DynamoDB Local running behind the test.
      await local?.stop();
      await rm(oldDir, { recursive: true, force: true });
    }
  }, 120_000);
});
