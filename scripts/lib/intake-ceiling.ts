import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { ensureCaseTable, startDynamoDbLocal } from '../../infra/local/dynamodb-local.ts';
import { freePort } from '../../infra/local/free-port.ts';
import { LOCAL, localEnvironment } from '../../infra/local/local-config.ts';
import { percentile } from './load-bench.ts';

export interface IntakeCeiling {
  readonly concurrency: number;
  readonly perSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

/**
 * What DynamoDB Local alone takes of the intake's own write on this machine: the transaction that opens a
 * case (the case, its id derived from the Idempotency-Key, and its first audit event — `insertCase`, as
 * `POST /cases` calls it) at a few concurrencies, on a DynamoDB Local of its own with data on disk as the
 * runtime keeps it, with nothing else running: no HTTP, no steps, no stream folds. The local runtime
 * cannot take intakes faster than this, whatever it does around them; the load runs are read against it.
 */
const measure = async (
  intakes = 1_000,
  concurrencies: readonly number[] = [1, 4, 8],
): Promise<IntakeCeiling[]> => {
  const dataDir = await mkdtemp(join(tmpdir(), 'sellerworks-ceiling-'));
  // The compilers `npm start` runs it with, warmed up first as a runtime that has been running is.
  const dynamo = await startDynamoDbLocal({ port: await freePort(), dataDir, compiler: 'optimising' });
  try {
    await ensureCaseTable(dynamo.endpoint, LOCAL.tableName);
    // The case store reads its table and endpoints when it is first imported: the runtime's environment,
    // with this DynamoDB Local (nothing here calls another service).
    Object.assign(
      process.env,
      localEnvironment({
        awsEndpoint: 'http://127.0.0.1:9',
        dynamoDbEndpoint: dynamo.endpoint,
        apiUrl: 'http://127.0.0.1:9',
        replySecretArn: 'unused',
        timerFunctionArn: 'unused',
      }),
    );
    const { insertCase, intakeCaseId, OPENED_VERSION } = await import('../../functions/domain/case-store.ts');
    const { startClocks } = await import('../../functions/domain/sla.ts');
    const { familyOf } = await import('../../functions/policy/families.ts');
    const family = familyOf('payout-hold');
    const intake = JSON.parse(
      await readFile(new URL('../../events/intake/payout-hold.json', import.meta.url), 'utf8'),
    );
    let n = 0;
    const open = async () => {
      const i = n++;
      const now = new Date().toISOString();
      const started = performance.now();
      const created = await insertCase(
        {
          caseId: intakeCaseId(`ceiling-${i % 500}`, `ceiling-key-${i}`),
          family: family.id,
          sellerId: `ceiling-${i % 500}`,
          sellerTier: 'standard',
          sellerEmail: intake.sellerEmail,
          region: intake.region,
          status: 'received',
          version: OPENED_VERSION,
          createdAt: now,
          updatedAt: now,
          intake,
          intakeHash: 'ceiling',
          sla: startClocks(family, 'standard', intake, now),
        },
        { type: 'case.received', actor: { kind: 'seller', id: `ceiling-${i % 500}` }, detail: 'opened' },
      );
      if (!created) throw new Error(`intake ${i} was refused as a duplicate`);
      return performance.now() - started;
    };
    // Warm the JVM first (the optimising compiler needs some thousands of calls), as the load runs do.
    for (let i = 0; i < 3_000; i++) await open();
    const results: IntakeCeiling[] = [];
    for (const concurrency of concurrencies) {
      const ms: number[] = [];
      let left = intakes;
      const started = performance.now();
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          while (left > 0) {
            left -= 1;
            ms.push(await open());
          }
        }),
      );
      const seconds = (performance.now() - started) / 1000;
      ms.sort((a, b) => a - b);
      results.push({
        concurrency,
        perSecond: intakes / seconds,
        p50Ms: percentile(ms, 50),
        p99Ms: percentile(ms, 99),
      });
    }
    return results;
  } finally {
    await dynamo.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
};

/**
 * {@link measure} in a process of its own: the case store keeps the table and endpoint it was first
 * imported with, and the bench process has imported it already for its own runtime.
 */
export const measureIntakeCeiling = async (): Promise<IntakeCeiling[]> => {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', '--disable-warning=ExperimentalWarning', fileURLToPath(import.meta.url)],
    { cwd: fileURLToPath(new URL('../../', import.meta.url)), maxBuffer: 1 << 20 },
  );
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? '[]') as IntakeCeiling[];
};

export const formatIntakeCeiling = (results: readonly IntakeCeiling[]) =>
  [
    "  DynamoDB Local alone, the intake's transaction (the case and its first audit event),",
    '  nothing else running — the most intakes a second the local runtime can take on this machine:',
    ...results.map(
      (r) =>
        `    ${String(r.concurrency).padStart(2)} at a time: ${r.perSecond.toFixed(0)} a second, p50 ${r.p50Ms.toFixed(1)} ms, p99 ${r.p99Ms.toFixed(1)} ms`,
    ),
  ].join('\n');

// Run as a script (by measureIntakeCeiling): measure, and answer the figures as one line of JSON.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(JSON.stringify(await measure()));
  process.exit(0);
}
