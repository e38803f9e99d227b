import type { MiddlewareObj } from '@middy/core';

/**
 * Powertools' Tracer, one per container, on Lambda: every handler's invocation is a subsegment (logging.ts
 * wraps each handler with {@link tracedInvocation}) and every AWS SDK client is captured where it is built
 * (functions/commons/clients), so a case's trace shows each DynamoDB, SES, SNS, Scheduler, Step Functions
 * and EventBridge call.
 *
 * Off Lambda (no `AWS_EXECUTION_ENV`: the local runtime, the tests, the CLI) the Tracer would turn itself
 * off, but loading it is not free: the X-Ray SDK under it starts a continuation-local namespace on import,
 * an async hook that tracks the destruction of every promise in the process. Under the load bench that hook
 * took about a tenth of the local runtime's CPU (its callbacks and the garbage they leave) while tracing
 * nothing. So it is loaded only where it can trace; Powertools still decides the rest (SAM, Amplify,
 * `POWERTOOLS_TRACE_ENABLED=false`).
 */
const onLambda = (process.env.AWS_EXECUTION_ENV ?? '') !== '';

const powertools = onLambda
  ? await Promise.all([
      import('@aws-lambda-powertools/tracer'),
      import('@aws-lambda-powertools/tracer/middleware'),
    ]).then(([{ Tracer }, { captureLambdaHandler }]) => ({
      tracer: new Tracer({ serviceName: 'sellerworks' }),
      captureLambdaHandler,
    }))
  : undefined;

/** Whether this process loaded the Tracer (on Lambda only). */
export const tracerLoaded = powertools !== undefined;

/** The client, instrumented for X-Ray where the Tracer is loaded (the same client otherwise). */
export const traced = <T>(client: T): T =>
  powertools ? powertools.tracer.captureAWSv3Client(client) : client;

/** The middy middleware that opens a handler's subsegment, where the Tracer is loaded (none otherwise). */
// biome-ignore lint/suspicious/noExplicitAny: any handler's event and result
export const tracedInvocation = (): MiddlewareObj<any, any>[] =>
  powertools ? [powertools.captureLambdaHandler(powertools.tracer, { captureResponse: false })] : [];
