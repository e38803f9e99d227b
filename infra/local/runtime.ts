import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { S3Client } from '@aws-sdk/client-s3';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { FUNCTIONS, type FunctionId, substitutionName } from '../../functions/registry.ts';
import { aslPath, FAMILY_IDS } from '../../state-machines/catalog.ts';
import {
  ExecutionStore,
  FaultInjector,
  LocalScheduler,
  LocalSecrets,
  LocalStepFunctions,
  Outbox,
  startLocalAwsServer,
} from './aws/index.ts';
import { backfillScoreboard } from './backfill-scoreboard.ts';
import { openCaseClock } from './case-clock.ts';
import { consoleRoutes } from './console-server.ts';
import { createCpuProfiler } from './cpu-profiler.ts';
import { createDevIssuer, DEV_AUDIENCE, DEV_ISSUER } from './dev-issuer.ts';
import {
  type DynamoDbCompiler,
  ensureCaseTable,
  indexStreamRecords,
  keepLogShort,
  startDynamoDbLocal,
} from './dynamodb-local.ts';
import { inForeground, PriorityGate, prioritise } from './dynamodb-priority.ts';
import { freePort } from './free-port.ts';
import { openFunctionLogs } from './function-logs.ts';
import { type FunctionsHost, loadFunctions, localFunctionArn } from './functions-host.ts';
import { firstOf, startHttpAdapter } from './http-adapter.ts';
import { jwtAuthorizer, type TrustedIssuer } from './jwt-authorizer.ts';
import { LOCAL, localEnvironment, localStateMachineArn } from './local-config.ts';
import { localRoutes, type SeedOutcome } from './local-routes.ts';
import { startMailboxSimulator } from './mailbox-simulator.ts';
import { startSmtpListener } from './smtp-listener.ts';
import { isFoldSource, startTableStream, type TableStream } from './table-stream.ts';
import { aliasLegacyIntakeKeys, upgradeLocalCases } from './upgrade-local-cases.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));

export interface RuntimeOptions {
  /** Where data is kept across restarts; undefined keeps everything in a temporary folder and in memory. */
  readonly dataDir?: string;
  readonly port?: number;
  readonly smtpPort?: number;
  readonly awsPort?: number;
  readonly dynamoDbPort?: number;
  /** The JVM compilers DynamoDB Local runs with (DYNAMODB_COMPILER; dynamodb-local.ts says which is for what). */
  readonly dynamoDbCompiler?: DynamoDbCompiler;
  /** Waits pass this many times faster (TIME_SCALE); 1 is real time. */
  readonly timeScale?: number;
  /**
   * Route DynamoDB calls through the local AWS endpoint too (FAULT_INJECTION=1), so `POST /dev/faults` can
   * throttle or fail them as it does the other services' (those always can). Off by default: the extra hop
   * costs a little on every DynamoDB call.
   */
  readonly dynamoDbFaults?: boolean;
  /**
   * A second issuer the `/ops` routes trust, as the stack's /ops routes trust its Cognito user pool (staff
   * tokens whose `cognito:groups` give role and team), with that API's CORS: the console built as on AWS,
   * served from another origin, then signs in through that issuer against this runtime.
   * @default only the dev issuer
   */
  readonly consoleIssuer?: TrustedIssuer;
}

export interface LocalRuntime {
  readonly apiUrl: string;
  readonly smtpPort: number;
  readonly awsEndpoint: string;
  readonly dynamoDbEndpoint: string;
  readonly dataDir: string;
  /** The handlers' log: JSON lines in `<dataDir>/logs/functions.log`. */
  readonly logPath: string;
  readonly outbox: Outbox;
  readonly stepFunctions: LocalStepFunctions;
  readonly functions: FunctionsHost;
  /** Faults armed on the local AWS endpoint (`POST /dev/faults`). */
  readonly faults: FaultInjector;
  /** The case table's stream reader (the scoreboard's totals follow it). */
  readonly tableStream: TableStream;
  stop(): Promise<void>;
}

/**
 * The family's ASL with each `${XFunctionArn}` bound to the local function — as CDK binds it on AWS. With a
 * time scale above 1 the hard caps shrink by that factor (never below a second), so a demo or a test sees
 * an evidence cap or an overdue decision in seconds.
 */
const localDefinition = async (family: (typeof FAMILY_IDS)[number], timeScale: number) => {
  let text = await readFile(join(root, aslPath(family)), 'utf8');
  for (const spec of FUNCTIONS) {
    text = text.replaceAll(`\${${substitutionName(spec.id)}}`, localFunctionArn(spec.id));
  }
  const unbound = /\$\{(\w+)\}/.exec(text);
  if (unbound) throw new Error(`${aslPath(family)}: placeholder \${${unbound[1]}} has no local binding`);
  const definition = JSON.parse(text) as {
    States: Record<string, { TimeoutSeconds?: number; Resource?: string }>;
  };
  if (timeScale > 1) {
    for (const state of Object.values(definition.States)) {
      if (state.TimeoutSeconds !== undefined && state.Resource?.endsWith('.waitForTaskToken')) {
        state.TimeoutSeconds = Math.max(1, Math.round(state.TimeoutSeconds / timeScale));
      }
    }
  }
  return definition;
};

/**
 * `POST /dev/seed`: adds `count` synthetic cases as a bulk load would (infra/local/seed-cases.ts: every
 * family and stage, written as the case store writes them, their scoreboard totals summed), once the
 * table stream has folded what came before; the stream skips the load's own records. Changes other
 * writers make meanwhile are skipped too, so seed a store at rest. Numbered on from the cases seeded
 * before (`LOCAL#seed`), so a second load adds new cases rather than counting the same ones again. Not
 * exactly-once: the marker moves after the load, so a load cut short (a crash) is written again over the
 * same ids by the next one, and the summed totals of what it had written are counted again.
 */
const seedInBulk = async (tableStream: TableStream, count: number): Promise<SeedOutcome> => {
  const started = performance.now();
  // The store's client and table name are read at import: both are set by now.
  const [{ dynamoDb }, { seedCases }] = await Promise.all([
    import('#commons/clients/dynamodb.ts'),
    import('./seed-cases.ts'),
  ]);
  const marker = { pk: 'LOCAL#seed', sk: 'cases' };
  await tableStream.caughtUp();
  const first = Number(
    (await dynamoDb.send(new GetCommand({ TableName: LOCAL.tableName, Key: marker }))).Item?.count ?? 0,
  );
  await tableStream.skipWrites(async () => {
    await seedCases(dynamoDb, LOCAL.tableName, count, Date.now(), first, { summed: true });
    await dynamoDb.send(
      new PutCommand({
        TableName: LOCAL.tableName,
        Item: { ...marker, kind: 'local', count: first + count },
      }),
    );
  });
  return { seeded: count, first, seconds: Math.round((performance.now() - started) / 100) / 10 };
};

/**
 * Starts the whole product locally on its real parts: DynamoDB Local, the local AWS endpoint (Step
 * Functions engine, SES and SNS into the outbox, S3, Secrets Manager), the Lambda handlers in-process,
 * the HTTP API adapter with its dev token issuer, and the SMTP listener for seller replies.
 */
export const startLocalRuntime = async (options: RuntimeOptions = {}): Promise<LocalRuntime> => {
  const ephemeral = options.dataDir === undefined;
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'sellerworks-')));
  await mkdir(dataDir, { recursive: true });
  const stops: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const fn of stops.reverse()) await fn().catch((error) => console.error('stop failed:', error));
    if (ephemeral) await rm(dataDir, { recursive: true, force: true });
  };
  try {
    const dynamo = await startDynamoDbLocal({
      port: options.dynamoDbPort || (await freePort()),
      ...(ephemeral ? {} : { dataDir: join(dataDir, 'dynamodb') }),
      ...(options.dynamoDbCompiler ? { compiler: options.dynamoDbCompiler } : {}),
    });
    stops.push(() => dynamo.stop());
    await ensureCaseTable(dynamo.endpoint, LOCAL.tableName);
    // A store's first start: its stream-record table exists only now (later starts index it before).
    if (!ephemeral) indexStreamRecords(join(dataDir, 'dynamodb'));

    const secrets = new LocalSecrets(join(dataDir, 'secrets.json'), LOCAL.region);
    const replySecretArn = secrets.ensure(LOCAL.replySecretName, () => randomBytes(32).toString('hex'));
    const outbox = new Outbox(join(dataDir, 'outbox.jsonl'));
    let host: FunctionsHost | undefined;
    const executionStore = new ExecutionStore(
      join(dataDir, 'executions.sqlite'),
      join(dataDir, 'executions'),
    );
    const stepFunctions = new LocalStepFunctions({
      stateMachines: await Promise.all(
        FAMILY_IDS.map(async (family) => ({
          name: `sellerworks-${family}`,
          arn: localStateMachineArn(family),
          definition: await localDefinition(family, options.timeScale ?? 1),
        })),
      ),
      invokeFunction: (arn, payload) => {
        if (!host) throw new Error('local functions are not loaded yet');
        return host.invokeByArn(arn, payload);
      },
      store: executionStore,
      timeScale: options.timeScale ?? 1,
    });
    stops.push(async () => {
      await stepFunctions.close();
      executionStore.close();
    });
    // Case time (functions/commons/clock.ts) runs TIME_SCALE times faster and on across restarts; timers follow it.
    const clock = openCaseClock(ephemeral ? undefined : dataDir, Math.max(1, options.timeScale ?? 1));
    const scheduler = new LocalScheduler({
      dbPath: join(dataDir, 'scheduler.sqlite'),
      invokeFunction: (arn, payload) => {
        if (!host) throw new Error('local functions are not loaded yet');
        return host.invokeByArn(arn, payload);
      },
      clock,
      region: LOCAL.region,
    });
    stops.push(async () => scheduler.close());
    const faults = new FaultInjector();
    const aws = await startLocalAwsServer({
      faults,
      ...(options.dynamoDbFaults ? { dynamoDbEndpoint: dynamo.endpoint } : {}),
      port: options.awsPort ?? 0,
      scheduler,
      stepFunctions,
      outbox,
      s3Root: join(dataDir, 's3'),
      secrets,
    });
    stops.push(() => aws.close());

    const issuer = await createDevIssuer(join(dataDir, 'dev-issuer-key.json'));
    const port = options.port ?? 0;
    // The API's own URL is configuration for the handlers (links in emails), so bind the port first.
    const apiPort = port === 0 ? await freePort() : port;
    const apiUrl = `http://localhost:${apiPort}`;
    Object.assign(
      process.env,
      localEnvironment({
        awsEndpoint: aws.url,
        // The handlers' DynamoDB calls go where faults can reach them when asked; to DynamoDB Local otherwise.
        dynamoDbEndpoint: options.dynamoDbFaults ? aws.url : dynamo.endpoint,
        apiUrl,
        replySecretArn,
        timerFunctionArn: localFunctionArn('FireTimer'),
      }),
      clock.environment,
    );
    const upgraded = await upgradeLocalCases();
    if (upgraded > 0)
      console.log(`upgraded ${upgraded} case(s) kept from an earlier version for the ops console`);
    const carried = await aliasLegacyIntakeKeys();
    if (carried > 0) console.log(`carried over ${carried} Idempotency-Key(s) kept from an earlier version`);
    const counted = await backfillScoreboard();
    if (counted > 0) console.log(`counted ${counted} case(s) kept from an earlier version on the scoreboard`);
    const logs = openFunctionLogs(dataDir);
    // Closed last (stops run in reverse): whatever a stopping component logs still lands in the file.
    stops.unshift(() => logs.close());
    const functions = await loadFunctions({ logSink: logs.sink });
    host = functions;
    // One DynamoDB Local for everything: requests someone waits on go ahead of the background's calls
    // (dynamodb-priority.ts). The handlers' client is the one their module made, now configured.
    const dynamoDbGate = new PriorityGate();
    prioritise((await import('#commons/clients/dynamodb.ts')).dynamoDb, dynamoDbGate);
    if (!ephemeral) {
      // A kept store's write-ahead log, restarted between the gate's calls once it grows (no write meets it).
      const keeper = keepLogShort(join(dataDir, 'dynamodb'), {
        exclusive: (work) => dynamoDbGate.exclusive(work),
      });
      stops.push(async () => keeper.stop());
    }
    // The case table's stream, as its event source mapping feeds FoldCaseChanges on AWS, with its filter.
    // (RecordMetrics, the stream's other reader, writes CloudWatch metrics, which have no local stand-in.)
    const tableStream = await startTableStream({
      endpoint: dynamo.endpoint,
      tableName: LOCAL.tableName,
      gate: dynamoDbGate,
      consumers: [{ accepts: isFoldSource, deliver: (event) => functions.invoke('FoldCaseChanges', event) }],
    });
    stops.push(() => tableStream.stop());
    const sweepOnce = (event: { reclaimLeases?: boolean } = {}) =>
      functions.invoke('SweepOutbox', event).catch((error) => console.error('outbox sweep failed:', error));
    // The outbox, before anything else runs: no writer of the last run is alive, so what one committed and
    // did not send goes now, its lease taken over, rather than once the lease would have run out.
    await sweepOnce({ reclaimLeases: true });
    const stopSimulator = startMailboxSimulator(outbox, (event) => functions.invoke('MailEvents', event));
    stops.push(async () => stopSimulator());
    // Only now can tasks run: executions the last stop interrupted continue from the state they were in.
    const resumed = stepFunctions.start();
    // Timers too: one that came due while the runtime was down fires now, once.
    scheduler.start();
    // Then keep sweeping on the wall clock (as the one-minute rule does on AWS, more often here so a demo
    // never waits).
    let sweeping: Promise<unknown> | undefined;
    const sweepTimer = setInterval(() => {
      sweeping ??= sweepOnce().finally(() => {
        sweeping = undefined;
      });
    }, 2_000);
    // Team queues too: a case left queued by a dispatch that failed or never ran goes to an agent with room.
    let dispatching: Promise<unknown> | undefined;
    const dispatchTimer = setInterval(() => {
      dispatching ??= functions
        .invoke('DispatchQueues' satisfies FunctionId, {})
        .catch((error) => console.error('queue dispatch failed:', error))
        .finally(() => {
          dispatching = undefined;
        });
    }, 5_000);
    stops.push(async () => {
      clearInterval(sweepTimer);
      clearInterval(dispatchTimer);
      await Promise.all([sweeping, dispatching]);
    });
    if (resumed.length > 0)
      console.log(`continued ${resumed.length} execution(s) from where the last stop left them`);

    const smtp = await startSmtpListener({
      port: options.smtpPort ?? 0,
      replyDomain: LOCAL.replyDomain,
      addresses: [LOCAL.supportAddress],
      s3: new S3Client({
        endpoint: aws.url,
        forcePathStyle: true,
        region: LOCAL.region,
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      }),
      bucket: LOCAL.inboundBucket,
      prefix: LOCAL.inboundPrefix,
      functionArn: localFunctionArn('InboundEmail'),
      // The sending server waits for the answer to its DATA: a foreground request, as an API call is.
      deliver: (event) => inForeground(() => functions.invoke('InboundEmail' satisfies FunctionId, event)),
    });
    stops.push(() => new Promise<void>((resolve) => smtp.server.close(() => resolve())));

    const describe = () => ({
      service: 'sellerworks',
      status: 'ok',
      api: apiUrl,
      smtp: `smtp://127.0.0.1:${smtp.port}`,
      replyDomain: LOCAL.replyDomain,
      awsEndpoint: aws.url,
      dynamoDb: dynamo.endpoint,
      jwt: { issuer: DEV_ISSUER, audience: DEV_AUDIENCE, jwks: `${apiUrl}/dev/jwks.json` },
      console: `${apiUrl}/console`,
      dev: { token: `${apiUrl}/dev/token?seller=ID`, outbox: `${apiUrl}/dev/outbox?caseId=ID` },
    });
    let seeding: Promise<unknown> = Promise.resolve();
    const api = await startHttpAdapter({
      port: apiPort,
      issuer,
      ...(options.consoleIssuer && { consoleAuthorizer: jwtAuthorizer(options.consoleIssuer) }),
      onInFlight: (inFlight) => {
        stepFunctions.setForegroundLoad(inFlight);
        dynamoDbGate.setForegroundLoad(inFlight);
      },
      invoke: (id, event) => inForeground(() => functions.invoke(id, event)),
      localRoutes: firstOf(
        await consoleRoutes(),
        localRoutes({
          issuer,
          outbox,
          failedSchedules: () => scheduler.failedSchedules(),
          describe,
          faults,
          dynamoDbFaults: options.dynamoDbFaults ?? false,
          streamCaughtUp: () => tableStream.caughtUp(),
          profiler: createCpuProfiler(dataDir),
          // One load at a time: each numbers its cases on from the last. Its writes go as a request's
          // do (someone waits for them), not held to the one call the others get while it is in flight.
          seed: (count) => {
            const load = seeding
              .catch(() => undefined)
              .then(() => inForeground(() => seedInBulk(tableStream, count)));
            seeding = load;
            return load;
          },
        }),
      ),
    });
    stops.push(
      () =>
        new Promise<void>((resolve) => {
          api.server.close(() => resolve());
          api.server.closeAllConnections();
        }),
    );
    return {
      apiUrl: api.url,
      smtpPort: smtp.port,
      awsEndpoint: aws.url,
      dynamoDbEndpoint: dynamo.endpoint,
      dataDir,
      logPath: logs.path,
      outbox,
      stepFunctions,
      functions,
      faults,
      tableStream,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
};
