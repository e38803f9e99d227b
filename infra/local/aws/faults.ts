import { z } from 'zod';
import { AwsServiceError } from './aws-service-error.ts';

/**
 * Fault injection for the local AWS endpoint: "fail the next N calls" to a service (optionally one
 * operation, optionally only requests whose body contains some text, such as a case id), with a throttle or
 * a service fault in that service's own error shape. The SDK clients then raise the exception the real
 * service would, so the product's retries — the SDK's, the outbox's, the state machine's — are exercised
 * exactly as they would be by AWS under load. Armed through `POST /dev/faults` (never on AWS).
 */

export const FAULT_SERVICES = [
  'dynamodb',
  'sfn',
  'ses',
  'sns',
  'scheduler',
  's3',
  'secretsmanager',
  'events',
] as const;
export type FaultService = (typeof FAULT_SERVICES)[number];

/** `throttle`: the service's throttling error; `unavailable`: a 5xx fault. */
export const FAULT_KINDS = ['throttle', 'unavailable'] as const;

const COUNT = { error: 'a whole number from 1 to 1,000,000, or "always"' };

export const faultRuleInput = z
  .object({
    service: z.enum(FAULT_SERVICES),
    /** The operation's API name (`TransactWriteItems`, `SendEmail`, `Publish`, `CreateSchedule`, …); any when absent. */
    operation: z
      .string()
      .regex(/^[A-Za-z]{1,64}$/, 'an operation name, letters only')
      .optional(),
    /** Only requests whose body contains this text (a case id, an event type). */
    match: z.string().min(1).max(200).optional(),
    /** How many matching calls fail, or `always` until the rule is cleared. */
    count: z.union([z.number().int(COUNT).min(1, COUNT).max(1_000_000, COUNT), z.literal('always')], COUNT),
    kind: z.enum(FAULT_KINDS).default('throttle'),
  })
  .strict();

export type FaultRuleInput = z.input<typeof faultRuleInput>;

export interface FaultRule {
  readonly id: number;
  readonly service: FaultService;
  readonly operation?: string | undefined;
  readonly match?: string | undefined;
  readonly kind: (typeof FAULT_KINDS)[number];
  /** Calls still to fail (`always`: no end). */
  remaining: number | 'always';
  /** Calls this rule has failed so far. */
  failed: number;
}

/** Each service's throttling and server-fault errors, as its SDK client recognises (and retries) them. */
const ERRORS: Record<FaultService, Record<FaultRule['kind'], [code: string, status: number]>> = {
  dynamodb: { throttle: ['ThrottlingException', 400], unavailable: ['InternalServerError', 500] },
  sfn: { throttle: ['ThrottlingException', 400], unavailable: ['ServiceUnavailable', 503] },
  ses: { throttle: ['TooManyRequestsException', 429], unavailable: ['InternalFailure', 500] },
  sns: { throttle: ['Throttled', 400], unavailable: ['InternalError', 500] },
  scheduler: { throttle: ['ThrottlingException', 429], unavailable: ['InternalServerException', 500] },
  s3: { throttle: ['SlowDown', 503], unavailable: ['InternalError', 500] },
  secretsmanager: { throttle: ['ThrottlingException', 400], unavailable: ['InternalServiceError', 500] },
  events: { throttle: ['ThrottlingException', 400], unavailable: ['InternalException', 500] },
};

export class FaultInjector {
  private readonly rules: FaultRule[] = [];
  private nextId = 1;

  arm(input: FaultRuleInput): FaultRule {
    const parsed = faultRuleInput.parse(input);
    const rule: FaultRule = {
      id: this.nextId++,
      service: parsed.service,
      operation: parsed.operation,
      match: parsed.match,
      kind: parsed.kind,
      remaining: parsed.count,
      failed: 0,
    };
    this.rules.push(rule);
    return rule;
  }

  /** Every rule armed since the last clear, spent ones included (with how many calls each failed). */
  list(): readonly FaultRule[] {
    return this.rules.map((rule) => ({ ...rule }));
  }

  clear(): void {
    this.rules.length = 0;
  }

  /**
   * The error to answer a call with, if a live rule matches it (the oldest first); that rule's count goes
   * down by one. Undefined: the call goes through.
   */
  take(service: FaultService, operation: string, body: Buffer): AwsServiceError | undefined {
    const rule = this.rules.find(
      (r) =>
        r.service === service &&
        r.remaining !== 0 &&
        (r.operation === undefined || r.operation === operation) &&
        (r.match === undefined || body.includes(r.match)),
    );
    if (!rule) return undefined;
    if (rule.remaining !== 'always') rule.remaining -= 1;
    rule.failed += 1;
    const [code, status] = ERRORS[service][rule.kind];
    return new AwsServiceError(code, `Injected ${rule.kind} fault (rule ${rule.id}) on ${operation}`, status);
  }
}

/** Which service a request to the local endpoint is for, by the endpoint that answers it. */
export const FAULT_SERVICE_OF: Readonly<Record<string, FaultService>> = {
  DynamoDB: 'dynamodb',
  'Step Functions': 'sfn',
  'SES v2': 'ses',
  SNS: 'sns',
  'EventBridge Scheduler': 'scheduler',
  S3: 's3',
  'Secrets Manager': 'secretsmanager',
  EventBridge: 'events',
};

/** The API operation a request names, as each protocol names it (for rules scoped to one operation). */
export const operationOf = (request: {
  readonly method: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: Buffer;
}): string => {
  const target = request.headers['x-amz-target'];
  if (typeof target === 'string') return target.slice(target.lastIndexOf('.') + 1);
  const contentType = String(request.headers['content-type'] ?? '');
  if (contentType.startsWith('application/x-www-form-urlencoded'))
    return new URLSearchParams(request.body.toString('utf8')).get('Action') ?? '';
  if (request.path === '/v2/email/outbound-emails') return 'SendEmail';
  if (request.path.startsWith('/schedules/')) {
    const verbs: Record<string, string> = {
      POST: 'CreateSchedule',
      GET: 'GetSchedule',
      DELETE: 'DeleteSchedule',
    };
    return verbs[request.method] ?? '';
  }
  if (request.path === '/schedules') return 'ListSchedules';
  const s3: Record<string, string> = { PUT: 'PutObject', GET: 'GetObject', HEAD: 'HeadObject' };
  return s3[request.method] ?? '';
};
