import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { Context } from 'aws-lambda';
import { type LogSink, withLogSink } from '../../functions/commons/logging.ts';
import { FUNCTIONS, type FunctionId } from '../../functions/registry.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const kebab = (id: string) => id.replace(/([a-z])([A-Z])/g, '$1-$2').toLowerCase();

/** The ARN a function has locally; the state machines' `${XFunctionArn}` placeholders are bound to it. */
export const localFunctionArn = (id: FunctionId, region = 'us-east-1') =>
  `arn:aws:lambda:${region}:000000000000:function:sellerworks-${kebab(id)}`;

type Handler = (event: unknown, context: Context) => Promise<unknown>;

export interface FunctionsHost {
  invoke(id: FunctionId, event: unknown): Promise<unknown>;
  invokeByArn(arn: string, event: unknown): Promise<unknown>;
  /** Invocations per function since start (the benchmark counts Lambda requests with it). */
  readonly invocations: Map<FunctionId, number>;
  /** Milliseconds spent in each function since start (the benchmark estimates GB-seconds with it). */
  readonly durationsMs: Map<FunctionId, number>;
  /** The function whose invocation the calling code runs in, if any (the benchmark meters calls by function). */
  current(): FunctionId | undefined;
}

/**
 * Hosts every Lambda handler in-process, as the same modules CDK bundles. Import them only after the
 * environment is configured: handlers read their configuration once, at init, as on Lambda. Their log lines
 * go to `logSink` (the runtime's log file) when given, else to stdout as on Lambda.
 */
export const loadFunctions = async (options: { logSink?: LogSink } = {}): Promise<FunctionsHost> => {
  const handlers = new Map<FunctionId, Handler>();
  for (const spec of FUNCTIONS) {
    const module = (await import(`${root}${spec.entry}`)) as { handler?: Handler };
    if (typeof module.handler !== 'function') throw new Error(`${spec.entry} exports no handler`);
    handlers.set(spec.id, module.handler);
  }
  const byArn = new Map(FUNCTIONS.map((spec) => [localFunctionArn(spec.id), spec.id] as const));
  const invocations = new Map<FunctionId, number>();
  const durationsMs = new Map<FunctionId, number>();
  const running = new AsyncLocalStorage<FunctionId>();
  const invoke = async (id: FunctionId, event: unknown) => {
    const handler = handlers.get(id);
    if (!handler) throw new Error(`no local function ${id}`);
    invocations.set(id, (invocations.get(id) ?? 0) + 1);
    const started = Date.now();
    const context = {
      callbackWaitsForEmptyEventLoop: false,
      functionName: `sellerworks-${kebab(id)}`,
      functionVersion: '$LATEST',
      invokedFunctionArn: localFunctionArn(id),
      memoryLimitInMB: '256',
      awsRequestId: randomUUID(),
      logGroupName: `/aws/lambda/sellerworks-${kebab(id)}`,
      logStreamName: 'local',
      getRemainingTimeInMillis: () => Math.max(0, 30_000 - (Date.now() - started)),
      done: () => undefined,
      fail: () => undefined,
      succeed: () => undefined,
    } satisfies Context;
    try {
      const run = () => running.run(id, () => handler(structuredClone(event), context));
      // Per invocation, not process-wide: two runtimes in one process (tests) each keep their own log.
      return await (options.logSink ? withLogSink(options.logSink, run) : run());
    } finally {
      durationsMs.set(id, (durationsMs.get(id) ?? 0) + (Date.now() - started));
    }
  };
  return {
    invoke,
    invokeByArn: (arn, event) => {
      const id = byArn.get(arn);
      if (!id) throw new Error(`no local function with ARN ${arn}`);
      return invoke(id, event);
    },
    invocations,
    durationsMs,
    current: () => running.getStore(),
  };
};
