import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = new URL('../../', import.meta.url).pathname;

/**
 * What a process that loads the handlers' commons (logging, the DynamoDB client) has loaded and turned on,
 * asked in a process of its own so that nothing another test imported counts: whether the X-Ray SDK is
 * loaded (its continuation-local namespace hooks every promise), and whether the client and the handler
 * middleware are the traced ones.
 */
const probe = async (env: Record<string, string | undefined>) => {
  const script = `
    import { createRequire } from 'node:module';
    const { traced, tracedInvocation, tracerLoaded } = await import('#commons/tracing.ts');
    const { dynamoDb } = await import('#commons/clients/dynamodb.ts');
    await import('#commons/logging.ts');
    const loaded = Object.keys(createRequire(import.meta.url).cache);
    const { SNSClient } = await import('@aws-sdk/client-sns');
    const client = new SNSClient({ region: 'us-east-1' });
    const middleware = client.middlewareStack.identify().length;
    console.log(JSON.stringify({
      tracerLoaded,
      xraySdkLoaded: loaded.some((file) => file.includes('aws-xray-sdk-core')),
      clientCaptured: traced(client).middlewareStack.identify().length > middleware,
      middlewareHooks: tracedInvocation().flatMap((m) => Object.keys(m)).sort(),
      dynamoDbClient: typeof dynamoDb.send,
    }));
  `;
  const { stdout } = await run(
    process.execPath,
    ['node_modules/tsx/dist/cli.mjs', '--input-type=module', '-e', script],
    { cwd: root, env: { ...process.env, ...env } },
  );
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as Record<string, unknown>;
};

describe('tracing (Powertools Tracer over the X-Ray SDK)', () => {
  it('is not loaded off Lambda: no X-Ray SDK and its promise hook in the local runtime, the tests or the CLI', async () => {
    const off = await probe({ AWS_EXECUTION_ENV: undefined });
    expect(off).toEqual({
      tracerLoaded: false,
      xraySdkLoaded: false,
      clientCaptured: false,
      middlewareHooks: [],
      dynamoDbClient: 'function',
    });
  }, 30_000);

  it('is loaded on Lambda: SDK clients are captured and the handler middleware opens and closes a subsegment', async () => {
    const on = await probe({ AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x' });
    expect(on).toMatchObject({
      tracerLoaded: true,
      xraySdkLoaded: true,
      clientCaptured: true,
      dynamoDbClient: 'function',
    });
    expect(on.middlewareHooks).toEqual(['after', 'before', 'onError']);
  }, 30_000);
});
