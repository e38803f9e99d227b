import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteCommand, GetCommand, PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { LOCAL } from '../../infra/local/local-config.ts';
import { localTableClient } from '../../infra/local/local-table-client.ts';
import { type LocalRuntime, startLocalRuntime } from '../../infra/local/runtime.ts';
import { SellerWorksClient } from '../../scripts/lib/sellerworks-client.ts';
import { portsOf } from '../support/runtime-ports.ts';

const intake = JSON.parse(
  await readFile(new URL('../../events/intake/payout-hold.json', import.meta.url), 'utf8'),
);

// A file of its own: the handlers run in this process and keep the endpoints of the first runtime they
// served, so each runtime a file starts after a stop must come back on the same ports.
describe('Idempotency-Keys kept by an earlier version', () => {
  it('answers an Idempotency-Key the earlier version recorded with the case it opened, not a second case', async () => {
    // Prepare: a case opened as this version opens it; then a key as the version before recorded it (a
    // record of its own naming the case, for 7 days), sent by a portal just before the upgrade
    const oldDir = await mkdtemp(join(tmpdir(), 'sw-upgrade-keys-'));
    let local: LocalRuntime | undefined;
    try {
      local = await startLocalRuntime({ dataDir: oldDir });
      const ports = portsOf(local);
      let client = new SellerWorksClient(local.apiUrl, local.smtpPort);
      const seller = await client.sellerToken('seller-keys');
      const body = { ...intake, sellerEmail: 'keys@example.com' };
      const opened = await client.openCase(seller, body, 'key-opened-now');
      const caseId = opened.body.caseId;
      let table = localTableClient(local.dynamoDbEndpoint);
      const { Item: stored } = await table.send(
        new GetCommand({ TableName: LOCAL.tableName, Key: { pk: `CASE#${caseId}`, sk: 'CASE' } }),
      );
      const now = Math.floor(Date.now() / 1000);
      for (const [key, expiresAtEpoch] of [
        ['key#sent-before', now + 6 * 86_400],
        ['key-long-expired', now - 86_400],
      ] as const)
        await table.send(
          new PutCommand({
            TableName: LOCAL.tableName,
            Item: {
              pk: `IDEMPOTENCY#${'seller-keys'.length}:seller-keys#${key}`,
              sk: 'IDEMPOTENCY',
              kind: 'idempotency',
              caseId,
              bodyHash: stored?.intakeHash,
              createdAt: new Date().toISOString(),
              expiresAtEpoch,
            },
          }),
        );
      await table.send(
        new DeleteCommand({
          TableName: LOCAL.tableName,
          Key: { pk: 'LOCAL#upgrades', sk: 'intake-keys-derived' },
        }),
      );
      table.destroy();
      await local.stop();
      local = undefined;

      // Act: start again on the same data; the portal retries the key it sent before, then reuses it
      local = await startLocalRuntime({ dataDir: oldDir, ...ports });
      client = new SellerWorksClient(local.apiUrl, local.smtpPort);
      const retried = await client.openCase(seller, body, 'key#sent-before');
      const reused = await client.openCase(seller, { ...body, amount: 1 }, 'key#sent-before');
      table = localTableClient(local.dynamoDbEndpoint);
      const ofKind = async (kind: string) =>
        (
          await table.send(
            new ScanCommand({
              TableName: LOCAL.tableName,
              FilterExpression: 'kind = :kind',
              ExpressionAttributeValues: { ':kind': kind },
            }),
          )
        ).Items ?? [];
      const cases = (await ofKind('case')).filter((c) => c.sellerId === 'seller-keys');
      const aliases = await ofKind('intake-alias');
      table.destroy();

      // Assess: the retry answers the case the key opened; another body is refused; no second case
      expect(retried.status).toBe(202);
      expect(retried.body.caseId).toBe(caseId);
      expect(reused.status).toBe(422);
      expect(cases.map((c) => c.caseId)).toEqual([caseId]);
      // Only the live record was carried over; the expired one is left to expire.
      expect(aliases.map((a) => ({ caseId: a.caseId, expiresAtEpoch: a.expiresAtEpoch }))).toEqual([
        { caseId, expiresAtEpoch: now + 6 * 86_400 },
      ]);
    } finally {
      await local?.stop();
      await rm(oldDir, { recursive: true, force: true });
    }
  }, 120_000);
});
