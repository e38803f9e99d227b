import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { request } from 'node:http';
import { cpus } from 'node:os';
import { BatchGetCommand } from '@aws-sdk/lib-dynamodb';
import { LOCAL } from '../../infra/local/local-config.ts';
import { localTableClient } from '../../infra/local/local-table-client.ts';
import { FAMILY_IDS, type FamilyId } from '../../state-machines/catalog.ts';

/** Statuses in which a case's execution is parked on its first wait (a seller's evidence or a team's decision). */
const FIRST_WAIT = new Set(['awaiting_seller', 'handed_off']);

export interface LoadTarget {
  readonly apiUrl: string;
  readonly dynamoDbEndpoint: string;
  /** CPU seconds used so far by the runtime's Node process and by DynamoDB Local's JVM. */
  readonly cpu?: () => Promise<{ runtime: number; dynamoDb: number }>;
  /** Bytes of DynamoDB Local's SQLite file and of its write-ahead log. */
  readonly files?: () => Promise<{ table: number; wal: number }>;
}

export interface LoadRun {
  readonly label: string;
  readonly sent: number;
  readonly accepted: number;
  /** Responses by status other than 202, and requests that got no response at all (`network`). */
  readonly errors: Record<string, number>;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  /** Accepted cases whose execution reached its first wait within the drain time. */
  readonly reachedFirstWait: number;
  /** Accepted cases that ended `failed`. */
  readonly failed: number;
  /** Seconds after the last request until every accepted case had reached its first wait (or the drain gave up). */
  readonly drainSeconds: number;
  readonly caseIds: readonly string[];
  /** CPU seconds the runtime and DynamoDB Local used from the first request to the last answer. */
  readonly cpu?: { runtime: number; dynamoDb: number; seconds: number };
  /** DynamoDB Local's files after the last answer. */
  readonly files?: { table: number; wal: number };
  /** The runtime's CPU profile of the same span, when asked for (BENCH_LOAD_PROFILE=1). */
  readonly profile?: { file: string; busyShare: number; top: { name: string; ms: number; share: number }[] };
}

/** The nearest-rank `p`th percentile of values sorted ascending. */
export const percentile = (sorted: readonly number[], p: number) =>
  sorted.length === 0
    ? 0
    : (sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0);

/** The intake samples in `events/intake/`, one per family. */
const loadSamples = async () =>
  Object.fromEntries(
    await Promise.all(
      FAMILY_IDS.map(async (family) => [
        family,
        JSON.parse(await readFile(new URL(`../../events/intake/${family}.json`, import.meta.url), 'utf8')),
      ]),
    ),
  ) as Record<FamilyId, Record<string, unknown>>;

/**
 * An open-loop load driver: `POST /cases` at a fixed `rate` for `seconds`, whether or not earlier requests
 * have been answered (a closed loop would slow down with the server and hide its queueing). Families
 * rotate through all nine; `sellers` distinct sellers share the load, each request with its own
 * Idempotency-Key. After the last request it waits (up to `drainMs`) for every accepted case to reach its
 * first wait, reading the table directly so the check adds no load to the API.
 */
export const driveIntakes = async (
  target: LoadTarget,
  options: {
    label: string;
    rate: number;
    seconds: number;
    sellers?: number;
    drainMs?: number;
    profile?: boolean;
  },
): Promise<LoadRun> => {
  const samples = await loadSamples();
  const sellers = options.sellers ?? 2_000;
  const tokens: string[] = [];
  for (let i = 0; i < sellers; i++) {
    const response = await fetch(`${target.apiUrl}/dev/token?seller=load-${i}&tier=standard`);
    tokens.push(((await response.json()) as { token: string }).token);
  }
  const total = Math.round(options.rate * options.seconds);
  const latencies: number[] = [];
  const errors: Record<string, number> = {};
  const caseIds: string[] = [];
  const inflight: Promise<void>[] = [];
  if (options.profile) await fetch(`${target.apiUrl}/dev/profile/start`, { method: 'POST' });
  const cpuBefore = await target.cpu?.();
  const started = performance.now();
  for (let i = 0; i < total; i++) {
    // Open loop: request i leaves at started + i/rate, however the earlier ones are doing.
    const due = started + (i * 1000) / options.rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    const family = FAMILY_IDS[i % FAMILY_IDS.length] as FamilyId;
    const body = { ...samples[family], sellerEmail: `load-${i % sellers}@example.com` };
    const sentAt = performance.now();
    inflight.push(
      fetch(`${target.apiUrl}/cases`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${tokens[i % sellers]}`,
          'content-type': 'application/json',
          'idempotency-key': randomUUID(),
        },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(60_000),
      }).then(
        async (response) => {
          const text = await response.text();
          latencies.push(performance.now() - sentAt);
          if (response.status === 202) caseIds.push((JSON.parse(text) as { caseId: string }).caseId);
          else errors[String(response.status)] = (errors[String(response.status)] ?? 0) + 1;
        },
        () => {
          latencies.push(performance.now() - sentAt);
          errors.network = (errors.network ?? 0) + 1;
        },
      ),
    );
  }
  await Promise.all(inflight);
  const lastAnswer = performance.now();
  const cpuAfter = await target.cpu?.();
  const files = await target.files?.();
  const profile = options.profile
    ? ((await (
        await fetch(`${target.apiUrl}/dev/profile/stop`, { method: 'POST' })
      ).json()) as LoadRun['profile'])
    : undefined;

  const db = localTableClient(target.dynamoDbEndpoint);
  let pending = [...caseIds];
  let failed = 0;
  const deadline = Date.now() + (options.drainMs ?? 180_000);
  while (pending.length > 0 && Date.now() < deadline) {
    const still: string[] = [];
    for (let at = 0; at < pending.length; at += 100) {
      const batch = pending.slice(at, at + 100);
      const out = await db.send(
        new BatchGetCommand({
          RequestItems: {
            [LOCAL.tableName]: {
              Keys: batch.map((caseId) => ({ pk: `CASE#${caseId}`, sk: 'CASE' })),
              ProjectionExpression: 'caseId, #s',
              ExpressionAttributeNames: { '#s': 'status' },
            },
          },
        }),
      );
      const statuses = new Map(
        (out.Responses?.[LOCAL.tableName] ?? []).map((item) => [
          item.caseId as string,
          item.status as string,
        ]),
      );
      for (const caseId of batch) {
        const status = statuses.get(caseId);
        if (status === 'failed') failed += 1;
        else if (!status || !FIRST_WAIT.has(status)) still.push(caseId);
      }
    }
    pending = still;
    if (pending.length > 0) await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
  db.destroy();
  const sorted = latencies.sort((a, b) => a - b);
  return {
    label: options.label,
    sent: total,
    accepted: caseIds.length,
    errors,
    p50Ms: percentile(sorted, 50),
    p99Ms: percentile(sorted, 99),
    maxMs: sorted.at(-1) ?? 0,
    reachedFirstWait: caseIds.length - pending.length - failed,
    failed,
    drainSeconds: (performance.now() - lastAnswer) / 1000,
    caseIds,
    ...(cpuBefore && cpuAfter
      ? {
          cpu: {
            runtime: cpuAfter.runtime - cpuBefore.runtime,
            dynamoDb: cpuAfter.dynamoDb - cpuBefore.dynamoDb,
            seconds: (lastAnswer - started) / 1000,
          },
        }
      : {}),
    ...(profile ? { profile } : {}),
    ...(files ? { files } : {}),
  };
};

export const formatLoadRun = (run: LoadRun) => {
  const errorText = Object.entries(run.errors)
    .map(([status, n]) => `${n}×${status}`)
    .join(', ');
  return [
    `  ${run.label}`,
    `    accepted ${run.accepted}/${run.sent}, errors ${errorText || '0'}`,
    `    latency p50 ${run.p50Ms.toFixed(0)} ms, p99 ${run.p99Ms.toFixed(0)} ms, max ${run.maxMs.toFixed(0)} ms`,
    `    reached first wait ${run.reachedFirstWait}/${run.accepted}${run.failed ? `, FAILED ${run.failed}` : ''} (${
      run.reachedFirstWait + run.failed === run.accepted ? 'all there' : 'stopped looking'
    } ${run.drainSeconds.toFixed(1)} s after the last answer)`,
    ...(run.cpu
      ? [
          `    CPU while sending: runtime ${run.cpu.runtime.toFixed(0)} s, DynamoDB Local ${run.cpu.dynamoDb.toFixed(0)} s, in ${run.cpu.seconds.toFixed(0)} s on ${cpus().length} cores${
            run.files
              ? `; DynamoDB Local's file ${(run.files.table / 2 ** 20).toFixed(0)} MiB, its write-ahead log's file ${(run.files.wal / 2 ** 20).toFixed(0)} MiB`
              : ''
          }`,
        ]
      : []),
    ...(run.profile
      ? [
          `    runtime profile (${run.profile.file}), busy ${(run.profile.busyShare * 100).toFixed(0)} %; most self time:`,
          ...run.profile.top.map((f) => `      ${(f.share * 100).toFixed(1).padStart(5)} %  ${f.name}`),
        ]
      : []),
  ].join('\n');
};

/**
 * Waits until the runtime's table stream has folded everything committed so far, and answers how long
 * that took. The route answers only once caught up, which after a large growth can outlast fetch's
 * five-minute wait for response headers: ask again until it answers.
 */
const streamCaughtUp = async (apiUrl: string): Promise<number> => {
  const started = performance.now();
  for (;;) {
    try {
      await (await fetch(`${apiUrl}/dev/stream/caught-up`)).json();
      return performance.now() - started;
    } catch (error) {
      const code = (error as { cause?: { code?: string } }).cause?.code;
      if (code !== 'UND_ERR_HEADERS_TIMEOUT') throw error;
    }
  }
};

/**
 * Bulk-loads `cases` synthetic cases into the runtime (`POST /dev/seed`, which answers once the load is in
 * and the table stream is past it). Through node:http, which has no time limit on the answer's headers:
 * fetch gives up after five minutes, and a POST must not be sent twice.
 */
const postSeed = (apiUrl: string, cases: number) =>
  new Promise<{ seeded: number; seconds: number }>((resolve, reject) => {
    const req = request(`${apiUrl}/dev/seed?cases=${cases}`, { method: 'POST' }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        text += chunk;
      });
      res.on('end', () =>
        res.statusCode === 201
          ? resolve(JSON.parse(text) as { seeded: number; seconds: number })
          : reject(new Error(`POST /dev/seed: ${res.statusCode} ${text}`)),
      );
    });
    req.on('error', reject);
    req.end();
  });

export interface LoadBenchOptions {
  /** Intakes a second in the measured runs (BENCH_LOAD_RATE, default 100). */
  readonly rate: number;
  /** Seconds each measured run lasts (BENCH_LOAD_SECONDS, default 60). */
  readonly seconds: number;
  /** Cases the store holds for the last run, those of the first runs and the rest seeded (BENCH_LOAD_STORE, default 20,000). */
  readonly storeCases: number;
  /** Profile the runtime's CPU during the run on the larger store (BENCH_LOAD_PROFILE=1). */
  readonly profile?: boolean;
}

/**
 * The load benchmark: the runtime as `npm start` runs it (its own process, data on disk), driven open-loop
 * at `rate` intakes a second for `seconds`, first on a fresh store, then on one of `storeCases`: the cases
 * the first runs made through the product (each with its execution parked, timers and emails), the rest
 * seeded in bulk (`POST /dev/seed`: every family and stage, as the console bench seeds) — growing it
 * through the product instead would take the 2-core bench machine an hour of folding (~85 ms of DynamoDB
 * Local's time a case). Each run reports accepted, errors, latency, and how many accepted cases reached
 * their first wait; the second starts once the table stream has folded everything before it, so it is read
 * on a store at rest, not against a backlog.
 */
export const benchLoad = async (
  start: () => Promise<LoadTarget & { stop(): Promise<void> }>,
  options: LoadBenchOptions,
): Promise<void> => {
  const runtime = await start();
  const drainMs = 30 * 60_000;
  try {
    console.log(
      `\nLoad: ${options.rate} intakes a second for ${options.seconds} s (open loop), nine families in turn`,
    );
    const warm = await driveIntakes(runtime, {
      label: 'warm-up: 500 intakes at 50/s',
      rate: 50,
      seconds: 10,
      drainMs,
    });
    console.log(formatLoadRun(warm));
    let stored = warm.accepted;
    const fresh = await driveIntakes(runtime, {
      label: `fresh store (${stored} cases)`,
      rate: options.rate,
      seconds: options.seconds,
      drainMs,
    });
    console.log(formatLoadRun(fresh));
    stored += fresh.accepted;
    // The table's stream is folded in its own lane (on AWS by its own function): wait for it, so the
    // seeding's skip covers nothing else and the next run is read at rest.
    const waitedMs = await streamCaughtUp(runtime.apiUrl);
    console.log(
      `  the table stream had folded every change ${(waitedMs / 1000).toFixed(1)} s after the cases reached their first wait`,
    );
    const grow = Math.max(0, options.storeCases - stored);
    if (grow > 0) {
      const seeded = await postSeed(runtime.apiUrl, grow);
      console.log(
        `  seeded ${seeded.seeded} cases in bulk in ${seeded.seconds.toFixed(1)} s (scoreboard totals summed, the stream past them)`,
      );
    }
    const files = await runtime.files?.();
    const grown = await driveIntakes(runtime, {
      label: `store of ${stored + grow} cases (${stored} made through the product, ${grow} seeded)${
        files ? `, DynamoDB Local's file ${(files.table / 2 ** 20).toFixed(0)} MiB` : ''
      }`,
      rate: options.rate,
      seconds: options.seconds,
      drainMs,
      profile: options.profile ?? false,
    });
    console.log(formatLoadRun(grown));
  } finally {
    await runtime.stop();
  }
};
