import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ListSchedulesCommand } from '@aws-sdk/client-scheduler';
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { FAMILIES } from '../functions/policy/families.ts';
import type { FunctionId } from '../functions/registry.ts';
import { EVIDENCE_WORKING_DAYS } from '../infra/aws/sellerworks-stack.ts';
import { LOCAL, localStateMachineArn } from '../infra/local/local-config.ts';
import { localTableClient } from '../infra/local/local-table-client.ts';
import { startLocalRuntime } from '../infra/local/runtime.ts';
import { FAMILY_IDS, type FamilyId } from '../state-machines/catalog.ts';
import { freeRuntimePorts, startRuntimeProcess } from '../test/support/runtime-process.ts';
import { benchConsole } from './lib/console-bench.ts';
import { formatIntakeCeiling, measureIntakeCeiling } from './lib/intake-ceiling.ts';
import { benchLoad } from './lib/load-bench.ts';
import { benchReplay } from './lib/replay-bench.ts';
import { SellerWorksClient } from './lib/sellerworks-client.ts';
import { executionLogBytes, objectsSince, tableByteYears } from './lib/storage-bench.ts';

/**
 * `npm run bench`: happy-path buyer disputes end to end on the local runtime (HTTP intake, SMTP reply with
 * a photo, ops decision, the seller reading the case), then per case: state transitions, Lambda requests,
 * DynamoDB request units, emails, and that case's AWS cost at list prices (its requests, and a year of what it
 * stores and logs: S3, DynamoDB, CloudWatch Logs); then the ops console over a
 * store of 10,000 and then 100,000 cases (BENCH_CONSOLE_CASES, comma-separated sizes); then load: 100 intakes a second for 60 s on a fresh store
 * and on one of 20,000 cases, those runs' and the rest seeded in bulk (BENCH_LOAD_RATE, BENCH_LOAD_SECONDS,
 * BENCH_LOAD_STORE; BENCH_LOAD_PROFILE=1 profiles the runtime during the run on the larger store). BENCH_CASES,
 * BENCH_CONCURRENCY and BENCH_PHOTO_BYTES (the seller's emailed photo) shape the cases priced.
 * Replay: 100,000 synthetic past cases through the replay core (BENCH_REPLAY_CASES), first.
 * `--only cost`, `--only load` or `--only replay` runs one part.
 */
const { values: args } = parseArgs({ options: { only: { type: 'string' } } });
if (args.only !== undefined && !['cost', 'load', 'replay'].includes(args.only)) {
  console.error(
    `--only takes cost (cases end to end, their AWS cost, the console), load or replay; got ${args.only}`,
  );
  process.exit(2);
}
const machine = `${cpus()[0]?.model ?? 'unknown cpu'} × ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${process.platform}/${process.arch}`;

// Replay (`sellerworks replay`): past cases through the working tree's policy in the pure core, with a
// routing rule changed so that some of them move. The cases are made first; only the replay is timed.
if (args.only === undefined || args.only === 'replay') {
  console.log(`SellerWorks benchmark — replay\nmachine: ${machine}`);
  await benchReplay(Number(process.env.BENCH_REPLAY_CASES ?? 100_000));
  if (args.only === 'replay') process.exit(0);
}

/** CPU seconds a process has used so far (user + system), from /proc; 0 where there is none. */
const cpuSeconds = async (pid: number) => {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  // Fields after the command (which may hold spaces, inside parentheses): utime is the 14th, stime the 15th.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11] ?? 0) + Number(fields[12] ?? 0)) / 100;
};

/** The runtime as `npm start` runs it, in its own process, on a fresh data folder. */
const startOwnProcess = async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'sellerworks-load-'));
  const process = await startRuntimeProcess(dataDir, await freeRuntimePorts());
  const jvm = Number((await readFile(join(dataDir, 'dynamodb', 'dynamodb-local.pid'), 'utf8')).trim());
  return {
    apiUrl: process.apiUrl,
    dynamoDbEndpoint: process.dynamoDbEndpoint,
    cpu: async () => ({ runtime: await cpuSeconds(process.pid), dynamoDb: await cpuSeconds(jvm) }),
    files: async () => {
      const size = async (name: string) =>
        (await stat(join(dataDir, 'dynamodb', name)).catch(() => ({ size: 0 }))).size;
      return {
        table: await size('shared-local-instance.db'),
        wal: await size('shared-local-instance.db-wal'),
      };
    },
    stop: async () => {
      await process.interrupt();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
};
const loadOptions = {
  rate: Number(process.env.BENCH_LOAD_RATE ?? 100),
  seconds: Number(process.env.BENCH_LOAD_SECONDS ?? 60),
  storeCases: Number(process.env.BENCH_LOAD_STORE ?? 20_000),
  profile: process.env.BENCH_LOAD_PROFILE === '1',
};
/** The load runs, after what DynamoDB Local alone takes of the intake's write here (their ceiling). */
const benchLoadWithCeiling = async () => {
  console.log(`\nLoad: what the store takes first\n${formatIntakeCeiling(await measureIntakeCeiling())}`);
  await benchLoad(startOwnProcess, loadOptions);
};
if (args.only === 'load') {
  console.log(`SellerWorks benchmark — load\nmachine: ${machine}`);
  await benchLoadWithCeiling();
  process.exit(0);
}

const CASES = Number(process.env.BENCH_CASES ?? 40);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
/** The seller's photo of the packed item: a phone photo as mail clients send it, about 1 MB. */
const PHOTO_BYTES = Number(process.env.BENCH_PHOTO_BYTES ?? 1_000_000);

/** List prices (us-east-1), per unit. */
const PRICE = {
  transition: 0.025 / 1000, // Step Functions Standard
  lambdaRequest: 0.2 / 1e6,
  lambdaGbSecond: 0.0000133334, // arm64
  lambdaMemoryGb: 0.25, // SellerWorksFunction default, 256 MB
  writeUnit: 0.625 / 1e6, // DynamoDB on-demand
  readUnit: 0.125 / 1e6,
  email: 0.1 / 1000, // SES, sent or received
  schedulerInvocation: 1.0 / 1e6, // EventBridge Scheduler, per invocation (creating schedules is free)
  inboundChunk: 0.09 / 1000, // SES receiving, per 256 KB chunk of a received message (on top of the message)
  s3Put: 0.005 / 1000,
  s3Get: 0.0004 / 1000,
  s3Transition: 0.02 / 1000, // lifecycle transition into Glacier Instant Retrieval, per object
  s3StandardGbMonth: 0.023,
  s3GlacierIrGbMonth: 0.004,
  logIngestGb: 0.5, // CloudWatch Logs, standard (and Step Functions' vended) ingestion
  logStoreGbMonth: 0.03, // kept a month (the function and state-machine log groups' retention)
  dynamoDbGbMonth: 0.25, // Standard table class
};
/** Lambda's own lines per invocation in JSON log format (platform.start and platform.report), about. */
const LAMBDA_PLATFORM_LOG_BYTES = 460;
const INBOUND_CHUNK_BYTES = 256 * 1024;
const GB = 2 ** 30;
const TARGET = { transitions: 15, dollars: 0.0006 };

const runtime = await startLocalRuntime();
const client = new SellerWorksClient(runtime.apiUrl, runtime.smtpPort);

// Count the product's DynamoDB use from inside its own client (the handlers run in this process).
const { dynamoDb } = await import('#commons/clients/dynamodb.ts');
const capacity = { read: 0, write: 0, requests: 0, timerReads: 0 };
const scoreAllUpdates = { count: 0 };
/** Write units by where they landed: the table itself, and each index. */
const writesBy = new Map<string, number>();
const READS = new Set([
  'GetItemCommand',
  'QueryCommand',
  'ScanCommand',
  'BatchGetItemCommand',
  'TransactGetItemsCommand',
]);
dynamoDb.middlewareStack.add(
  (next, context) => async (args) => {
    const input = args.input as { ReturnConsumedCapacity?: string };
    input.ReturnConsumedCapacity = 'INDEXES';
    // The scoreboard's totals: how often the busiest of them (`SCORE#all`) is updated.
    for (const item of (args.input as { TransactItems?: { Update?: { Key?: { pk?: unknown } } }[] })
      .TransactItems ?? [])
      if (String(item.Update?.Key?.pk).startsWith('SCORE#all#')) scoreAllUpdates.count += 1;
    const result = await next(args);
    const consumed = (result.output as { ConsumedCapacity?: unknown }).ConsumedCapacity;
    const list = (Array.isArray(consumed) ? consumed : consumed ? [consumed] : []) as {
      CapacityUnits?: number;
      Table?: { CapacityUnits?: number };
      GlobalSecondaryIndexes?: Record<string, { CapacityUnits?: number }>;
    }[];
    capacity.requests += 1;
    const isRead = READS.has(context.commandName ?? '');
    for (const c of list) {
      if (isRead) {
        capacity.read += c.CapacityUnits ?? 0;
        if (runtime.functions.current() === 'FireTimer') capacity.timerReads += c.CapacityUnits ?? 0;
      } else {
        capacity.write += c.CapacityUnits ?? 0;
        writesBy.set('table', (writesBy.get('table') ?? 0) + (c.Table?.CapacityUnits ?? 0));
        for (const [name, units] of Object.entries(c.GlobalSecondaryIndexes ?? {}))
          writesBy.set(name, (writesBy.get(name) ?? 0) + (units.CapacityUnits ?? 0));
      }
    }
    return result;
  },
  { step: 'initialize', name: 'benchConsumedCapacity' },
);

// Count the case alarms' Scheduler calls the same way (from the steps, the timer function, the outbox).
const { scheduler } = await import('#commons/clients/scheduler.ts');
const schedules = { created: 0, deleted: 0 };
scheduler.middlewareStack.add(
  (next, context) => async (args) => {
    if (context.commandName === 'CreateScheduleCommand') schedules.created += 1;
    if (context.commandName === 'DeleteScheduleCommand') schedules.deleted += 1;
    return next(args);
  },
  { step: 'initialize', name: 'benchSchedulerCalls' },
);
// S3 reads the functions make (every object written is one PUT: those are counted from the objects).
const { s3 } = await import('#commons/clients/s3.ts');
const s3Gets = { count: 0 };
s3.middlewareStack.add(
  (next, context) => async (args) => {
    if (context.commandName === 'GetObjectCommand') s3Gets.count += 1;
    return next(args);
  },
  { step: 'initialize', name: 'benchS3Calls' },
);
// The bytes the functions log: they run in this process, so its stdout and stderr while the cases run.
const logged = { bytes: 0 };
for (const stream of [process.stdout, process.stderr]) {
  const write = stream.write.bind(stream) as (chunk: unknown, ...rest: unknown[]) => boolean;
  stream.write = ((chunk: unknown, ...rest: unknown[]) => {
    logged.bytes += typeof chunk === 'string' ? Buffer.byteLength(chunk) : (chunk as Uint8Array).byteLength;
    return write(chunk, ...rest);
  }) as typeof stream.write;
}

/** Schedules the local scheduler holds now (every group), as ListSchedules pages them. */
const liveSchedules = async () => {
  let count = 0;
  let NextToken: string | undefined;
  do {
    const page = await scheduler.send(new ListSchedulesCommand({ MaxResults: 100, NextToken }));
    count += page.Schedules?.length ?? 0;
    NextToken = page.NextToken;
  } while (NextToken);
  return count;
};

// The driver watches cases through its own DynamoDB client, so its polling is not counted as the product's.
const observer = localTableClient(runtime.dynamoDbEndpoint);
const look = async (caseId: string) => {
  const out = await observer.send(
    new GetCommand({ TableName: LOCAL.tableName, Key: { pk: `CASE#${caseId}`, sk: 'CASE' } }),
  );
  return (out.Item ?? { status: 'unknown' }) as Record<string, unknown> & { status: string };
};

const ops = await client.opsToken();
const samples = Object.fromEntries(
  await Promise.all(
    FAMILY_IDS.map(async (family) => [
      family,
      JSON.parse(
        await readFile(new URL(`../events/intake/${family}.json`, import.meta.url), 'utf8'),
      ) as Record<string, unknown>,
    ]),
  ),
) as Record<FamilyId, Record<string, unknown>>;

/** One happy-path case: intake, every evidence reply by SMTP, mediation declined, a decision, the seller reading it. */
const runCase = async (family: FamilyId, i: number): Promise<string> => {
  const body = samples[family];
  const sellerEmail = `bench-${family}-${i}@example.com`;
  const seller = await client.sellerToken(`bench-${family}-${i}`);
  const opened = await client.openCase(seller, { ...body, sellerEmail });
  if (opened.status !== 202) throw new Error(`intake failed: ${JSON.stringify(opened.body)}`);
  const { caseId } = opened.body;
  await client.answerUntilTeam(
    seller,
    ops,
    caseId,
    { seller: sellerEmail, buyer: typeof body.buyerEmail === 'string' ? body.buyerEmail : undefined },
    { look, photoBytes: PHOTO_BYTES },
  );
  const outcome =
    FAMILIES[family].outcomes.find((o) => o.id !== FAMILIES[family].mediation?.outcome)?.id ?? '';
  const decided = await client.decide(ops, caseId, outcome, 'Evidence supports this outcome.');
  if (decided.status !== 202) throw new Error(`decision failed: ${JSON.stringify(decided.body)}`);
  await client.waitFor(
    `${caseId} resolved`,
    async () => ((await look(caseId)).status === 'resolved' ? true : undefined),
    30_000,
  );
  await client.getCase(seller, caseId);
  return caseId;
};

// Warm up (module init, JIT) outside the measurement.
await runCase('buyer-dispute', -1);
const before = {
  writesBy: new Map(writesBy),
  scoreAll: scoreAllUpdates.count,
  schedules: schedules.created,
  deleted: schedules.deleted,
  capacity: { ...capacity },
  s3Gets: s3Gets.count,
  logged: logged.bytes,
  invocations: new Map(runtime.functions.invocations),
  durations: new Map(runtime.functions.durationsMs),
};

const started = performance.now();
const startedWall = Date.now();
const caseIds: string[] = [];
let next = 0;
await Promise.all(
  Array.from({ length: CONCURRENCY }, async () => {
    while (next < CASES) {
      const i = next++;
      caseIds.push(await runCase('buyer-dispute', i));
    }
  }),
);
const seconds = (performance.now() - started) / 1000;
const functionLogBytes = (logged.bytes - before.logged) / CASES;
const s3GetsPerCase = (s3Gets.count - before.s3Gets) / CASES;
const timerReads = (capacity.timerReads - before.capacity.timerReads) / CASES;

// The outbox sweep runs on a fixed schedule (every minute on AWS), not per case: it is priced apart.
const PER_CASE = (id: FunctionId) => id !== 'SweepOutbox';
const delta = (after: Map<FunctionId, number>, earlier: Map<FunctionId, number>) => {
  let total = 0;
  for (const [id, value] of after) if (PER_CASE(id)) total += value - (earlier.get(id) ?? 0);
  return total;
};
const lambdaRequests = delta(runtime.functions.invocations, before.invocations) / CASES;
const lambdaSeconds = delta(runtime.functions.durationsMs, before.durations) / 1000 / CASES;
const reads = (capacity.read - before.capacity.read) / CASES;
const writes = (capacity.write - before.capacity.write) / CASES;
const ddbRequests = (capacity.requests - before.capacity.requests) / CASES;
const schedulesPerCase = (schedules.created - before.schedules) / CASES;
const deletesPerCase = (schedules.deleted - before.deleted) / CASES;
// Every bench case is resolved by now: the outbox deletes each one's alarm right after its commit.
await client
  .waitFor(
    'the alarms of resolved cases deleted',
    async () => ((await liveSchedules()) === 0 ? true : undefined),
    30_000,
  )
  .catch(() => undefined);
const liveAfterResolution = await liveSchedules();
// Timers each case armed (items in its partition): one schedule and one invocation each before alarms.
let timersArmed = 0;
for (const caseId of caseIds) {
  const out = await observer.send(
    new QueryCommand({
      TableName: LOCAL.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :timer)',
      ExpressionAttributeValues: { ':pk': `CASE#${caseId}`, ':timer': 'TIMER#' },
      Select: 'COUNT',
    }),
  );
  timersArmed += (out.Count ?? 0) / CASES;
}
const timerFirings =
  ((runtime.functions.invocations.get('FireTimer') ?? 0) - (before.invocations.get('FireTimer') ?? 0)) /
  CASES;

const transitionsOf = (family: FamilyId, caseId: string) => {
  const arn = `${localStateMachineArn(family).replace(':stateMachine:', ':execution:')}:${caseId}`;
  const history = runtime.stepFunctions.getExecutionHistory({ executionArn: arn, maxResults: 1000 });
  return (history.events ?? []).filter((e) => e.type?.endsWith('StateEntered')).length;
};
let transitions = 0;
for (const caseId of caseIds) transitions += transitionsOf('buyer-dispute', caseId);
transitions /= CASES;
// Log bytes: each execution's records at level ALL without data, and the functions' lines plus Lambda's own.
let executionLog = 0;
for (const caseId of caseIds) {
  const arn = `${localStateMachineArn('buyer-dispute').replace(':stateMachine:', ':execution:')}:${caseId}`;
  const history = runtime.stepFunctions.getExecutionHistory({ executionArn: arn, maxResults: 1000 });
  executionLog += executionLogBytes(arn, history.events ?? []) / CASES;
}
const lambdaLog = functionLogBytes + lambdaRequests * LAMBDA_PLATFORM_LOG_BYTES;
// What the cases stored: S3 objects (the raw replies SES writes, the evidence taken from them) and table
// items. Only the bench's cases (and the warm-up case's evidence, outside the window) are in the store yet.
const objects = await objectsSince(join(runtime.dataDir, 's3'), startedWall);
const inboundSizes = objects.get(LOCAL.inboundBucket) ?? [];
const evidenceSizes = objects.get(LOCAL.evidenceBucket) ?? [];
const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);
const inboundChunks = sum(inboundSizes.map((b) => Math.max(1, Math.ceil(b / INBOUND_CHUNK_BYTES)))) / CASES;
const inboundBytes = sum(inboundSizes) / CASES;
const evidenceBytes = sum(evidenceSizes) / CASES;
const evidenceObjects = evidenceSizes.length / CASES;
const s3Puts = (inboundSizes.length + evidenceSizes.length) / CASES;
const table = await tableByteYears(observer, LOCAL.tableName, Math.floor(Date.now() / 1000));
const tableBytes = table.byteYears / (CASES + 1); // the warm-up case is in the table too
let emailsOut = 0;
let sns = 0;
for (const caseId of caseIds) {
  for (const m of runtime.outbox.list({ caseId })) {
    if (m.channel === 'email') emailsOut += 1;
    else sns += 1;
  }
}
emailsOut /= CASES;
sns /= CASES;
const emailsIn = 2; // the seller's and the buyer's replies

const cost = {
  stepFunctions: transitions * PRICE.transition,
  lambda: lambdaRequests * PRICE.lambdaRequest + lambdaSeconds * PRICE.lambdaMemoryGb * PRICE.lambdaGbSecond,
  dynamoDb: writes * PRICE.writeUnit + reads * PRICE.readUnit,
  ses: (emailsOut + emailsIn) * PRICE.email,
  scheduler: timerFirings * PRICE.schedulerInvocation,
  sesInbound: inboundChunks * PRICE.inboundChunk,
  s3Requests: s3Puts * PRICE.s3Put + s3GetsPerCase * PRICE.s3Get + evidenceObjects * PRICE.s3Transition,
  // Evidence: Standard while the case is worked and appealable, then Glacier Instant Retrieval to a year.
  // The raw replies: Standard for the 30 days the inbound bucket keeps them.
  s3Storage:
    (evidenceBytes / GB) *
      ((PRICE.s3StandardGbMonth * EVIDENCE_WORKING_DAYS) / 30 +
        (PRICE.s3GlacierIrGbMonth * Math.max(0, 365 - EVIDENCE_WORKING_DAYS)) / 30) +
    (inboundBytes / GB) * PRICE.s3StandardGbMonth,
  logs: ((executionLog + lambdaLog) / GB) * (PRICE.logIngestGb + PRICE.logStoreGbMonth),
  dynamoDbStorage: (tableBytes / GB) * PRICE.dynamoDbGbMonth * 12,
};
const total = Object.values(cost).reduce((a, b) => a + b, 0);
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const usd = (n: number) => `$${n.toFixed(7)}`;

console.log(`
SellerWorks benchmark — happy-path cases end to end on the local runtime
machine: ${machine}
run: ${CASES} cases, ${CONCURRENCY} at a time (after 1 warm-up case); the seller's photo ${(PHOTO_BYTES / 1e6).toFixed(1)} MB

throughput        ${(CASES / seconds).toFixed(2)} cases/s  (${seconds.toFixed(1)} s; intake → SMTP reply → decision → resolved)

per buyer-dispute case (both sides' evidence by email, mediation offered and declined, a decision)
  state transitions   ${transitions.toFixed(1)}   (target ≤ ${TARGET.transitions})
  Lambda invocations  ${lambdaRequests.toFixed(1)}   (${(lambdaSeconds * 1000).toFixed(0)} ms in handlers locally)
  DynamoDB requests   ${ddbRequests.toFixed(1)}   → ${writes.toFixed(1)} write units, ${reads.toFixed(1)} read units
  emails              ${emailsOut.toFixed(1)} sent + ${emailsIn} received;  SNS publications ${sns.toFixed(1)}
  SLA timers          ${timersArmed.toFixed(1)} armed (items in the case's partition); ${schedulesPerCase.toFixed(1)} CreateSchedule + ${deletesPerCase.toFixed(1)} DeleteSchedule calls (one alarm per open case), ${timerFirings.toFixed(1)} alarm rings; 0 extra state transitions
  live schedules      ${liveAfterResolution} after the ${CASES + 1} bench cases resolved (target 0: an open case holds one alarm, a resolved one none; its follow-up waits in the outbox until minutes before it is due)

AWS cost per case at list prices
  Step Functions  ${usd(cost.stepFunctions)}   (${transitions.toFixed(1)} × $0.025/1k transitions)
  Lambda          ${usd(cost.lambda)}   (requests + ${(lambdaSeconds * PRICE.lambdaMemoryGb).toFixed(4)} GB-s on arm64 at 256 MB)
  DynamoDB        ${usd(cost.dynamoDb)}   (on-demand)
  Scheduler       ${usd(cost.scheduler)}   (${timerFirings.toFixed(1)} alarm rings × $1.00/M invocations, ${timerReads.toFixed(1)} read units in their handler, under DynamoDB; creating and deleting is free)
  SES             ${usd(cost.ses)}   (${emailsOut.toFixed(0)} sent + ${emailsIn} received × $0.10/1k)
  SES inbound     ${usd(cost.sesInbound)}   (${inboundChunks.toFixed(1)} chunks of 256 KB × $0.09/1k: ${kb(inboundBytes)} of raw replies)
  S3 requests     ${usd(cost.s3Requests)}   (${s3Puts.toFixed(1)} PUT, ${s3GetsPerCase.toFixed(1)} GET, ${evidenceObjects.toFixed(1)} lifecycle transitions)
  S3, a year      ${usd(cost.s3Storage)}   (${kb(evidenceBytes)} evidence: ${EVIDENCE_WORKING_DAYS} days Standard, then Glacier IR; ${kb(inboundBytes)} raw mail, 30 days)
  CloudWatch Logs ${usd(cost.logs)}   (${kb(executionLog)} execution log at level ALL without data + ${kb(lambdaLog)} from functions: ${kb(functionLogBytes)} they wrote, ${LAMBDA_PLATFORM_LOG_BYTES} B of Lambda's per invocation; ingestion + a month kept)
  DynamoDB, a year ${usd(cost.dynamoDbStorage)}  (${kb(tableBytes)} in the table and its indexes, items that expire counted for the time they live)
  total           ${usd(total)}   (target ≤ ${usd(TARGET.dollars)}: ${total <= TARGET.dollars ? 'within' : 'OVER'})
`);

// The hottest key of the table and of each index at a million cases a day with a peak hour of 10×: the
// write units each took per case above, times the peak's cases a second, times the largest share of
// cases one key value takes (table-design.ts gives the arithmetic; docs/scale.md the whole table).
const PEAK_CASES_PER_SECOND = (1_000_000 / 86_400) * 10;
const HOTTEST_SHARE: Record<string, [share: number, key: string]> = {
  table: [0, 'CASE#<caseId> (one case)'],
  caseList: [1 / 16, 'CASES#<0..15>'],
  teamQueue: [0.3 / 4, 'TEAM#<team>#<0..3>, the largest team at 30 % of cases'],
  familyList: [0.4 / 4, 'FAMILY#<family>#<0..3>, the largest family at 40 % of cases'],
  teamStatus: [0.3 / 4, "TEAM#<team>#<status>#<0..3>, the largest team's writes all on one status (a bound)"],
  bySeller: [0.05, 'SELLER#<id>, a seller with 5 % of cases'],
  outboxDue: [1 / 16, 'OUTBOX_PENDING#<0..15>'],
  teamBacklog: [0.3, 'BACKLOG#<team>, the largest team at 30 % of cases (no shards)'],
};
console.log(
  `highest write rate on one partition key at 1M cases/day, peak hour 10× (${PEAK_CASES_PER_SECOND.toFixed(0)} new cases/s), share of 1,000 WCU/s`,
);
for (const [name, [share, key]] of Object.entries(HOTTEST_SHARE)) {
  const perCase = ((writesBy.get(name) ?? 0) - (before.writesBy.get(name) ?? 0)) / CASES;
  // A case's own partition takes only that case's writes, spread over its life: at most all of them in
  // one second, which bounds it.
  const rate = name === 'table' ? perCase : perCase * PEAK_CASES_PER_SECOND * share;
  console.log(
    `  ${name.padEnd(10)} ${perCase.toFixed(1).padStart(6)} WCU/case  hottest ${key}: ${rate.toFixed(0)} WCU/s = ${((rate / 1000) * 100).toFixed(1)} %${name === 'table' ? " (all of one case's writes in one second, the bound)" : ''}`,
  );
}
// The busiest scoreboard totals (`SCORE#all#<0..3>`): per folded batch, one update of the day's item and
// one of the all-time item, on one of four keys. Locally a batch is whatever the stream holds when read (a
// few records); on AWS the mapping batches up to 100 records for up to 5 s per stream shard.
const scorePerCase = (scoreAllUpdates.count - before.scoreAll) / CASES;
console.log(
  `  SCORE#all  ${scorePerCase.toFixed(2).padStart(6)} updates/case locally, over 4 keys (docs/scale.md has the rate at AWS's batch sizes)`,
);
console.log('');

// Every family once more, one case each, for its transitions and emails on the happy path.
console.log(
  'per family (one happy-path case each: evidence answered by email, mediation declined, one decision)',
);
console.log('  family                team                    transitions  emails out  cost');
for (const family of FAMILY_IDS) {
  const caseId = await runCase(family, 0);
  const team = ((await look(caseId)).routing as { team: string }).team;
  const t = transitionsOf(family, caseId);
  const out = runtime.outbox.list({ caseId }).filter((m) => m.channel === 'email').length;
  const replies = runtime.outbox.list({ caseId }).filter((m) => m.replyTo).length;
  const familyCost = t * PRICE.transition + (out + replies) * PRICE.email;
  console.log(
    `  ${family.padEnd(21)} ${team.padEnd(23)} ${String(t).padStart(11)}  ${String(out).padStart(10)}  ${usd(familyCost)} (transitions + emails)`,
  );
}

// The ops console over a store of 10,000 and then 100,000 cases: the list API, the SLA board and the
// scoreboard at both sizes (they must stay flat), then pages in Chromium.
await benchConsole(
  runtime,
  client,
  (process.env.BENCH_CONSOLE_CASES ?? '10000,100000').split(',').map(Number),
  () => ({ requests: capacity.requests, read: capacity.read }),
);

observer.destroy();
await runtime.stop();
// Load last, on its own runtime process, once this one no longer takes CPU.
if (args.only === undefined) await benchLoadWithCeiling();
process.exit(0);
