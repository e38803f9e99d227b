import { Tracer } from '@aws-lambda-powertools/tracer';

/**
 * Powertools' Tracer, one per container: every handler's invocation is a subsegment (logging.ts wraps each
 * handler with its middy middleware) and every AWS SDK client is captured where it is built
 * (functions/commons/clients), so a case's trace shows each DynamoDB, SES, SNS, Scheduler, Step Functions
 * and EventBridge call. Tracing turns itself off outside Lambda (no `AWS_EXECUTION_ENV`): the local runtime
 * and the tests run the same code without an X-Ray daemon.
 */
export const tracer = new Tracer({ serviceName: 'sellerworks' });

/** The client, instrumented for X-Ray when tracing is on (the same client otherwise). */
export const traced = <T>(client: T): T => tracer.captureAWSv3Client(client);
