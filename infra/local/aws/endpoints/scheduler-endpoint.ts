import { AwsServiceError } from '../aws-service-error.ts';
import { type AwsRequest, type AwsResponse, type Endpoint, headerValue } from '../http/endpoint.ts';
import { toWireJson } from '../http/json-rpc-protocol.ts';
import { validateRequest } from '../http/validate-request.ts';
import type { LocalScheduler } from '../scheduler/local-scheduler.ts';
import {
  type SchedulerInput,
  type SchedulerOperation,
  schedulerInputs,
} from '../scheduler/operation-inputs.ts';
import { schedulerErrors } from '../scheduler/scheduler-errors.ts';

const MAX_BODY_BYTES = 1024 * 1024;
const COLLECTION = '/schedules';

/**
 * EventBridge Scheduler over its REST-JSON protocol: CreateSchedule (`POST /schedules/{Name}`), GetSchedule
 * (`GET /schedules/{Name}?groupName=`), DeleteSchedule (`DELETE /schedules/{Name}?groupName=`) and
 * ListSchedules (`GET /schedules?ScheduleGroup=&NamePrefix=&State=&MaxResults=&NextToken=`). Timestamps go
 * out as epoch seconds; errors carry `x-amzn-errortype` and a `{ Message }` body, as the service answers.
 */
export class SchedulerEndpoint implements Endpoint {
  readonly service = 'EventBridge Scheduler';
  readonly maxBodyBytes = MAX_BODY_BYTES;

  constructor(private readonly scheduler: LocalScheduler) {}

  /** Scheduler requests are REST (no `X-Amz-Target`) on `/schedules` and below. */
  matches(request: Omit<AwsRequest, 'body'>): boolean {
    return (
      headerValue(request, 'x-amz-target') === undefined &&
      (request.path === COLLECTION || request.path.startsWith(`${COLLECTION}/`))
    );
  }

  handle(request: AwsRequest): AwsResponse {
    const name = scheduleNameOf(request.path);
    const query = (member: string): string | undefined => request.query.get(member) ?? undefined;
    let output: unknown;
    if (name === undefined && request.method === 'GET') {
      output = this.scheduler.listSchedules(
        parse('ListSchedules', {
          GroupName: query('ScheduleGroup'),
          NamePrefix: query('NamePrefix'),
          State: query('State'),
          MaxResults: query('MaxResults'),
          NextToken: query('NextToken'),
        }),
      );
    } else if (name !== undefined && request.method === 'POST') {
      output = this.scheduler.createSchedule(parse('CreateSchedule', { ...jsonBody(request), Name: name }));
    } else if (name !== undefined && request.method === 'GET') {
      output = this.scheduler.getSchedule(
        parse('GetSchedule', { Name: name, GroupName: query('groupName') }),
      );
    } else if (name !== undefined && request.method === 'DELETE') {
      output = this.scheduler.deleteSchedule(
        parse('DeleteSchedule', {
          Name: name,
          GroupName: query('groupName'),
          ClientToken: query('clientToken'),
        }),
      );
    } else {
      throw new AwsServiceError(
        'UnknownOperationException',
        `${request.method} ${request.path} is not served by the local EventBridge Scheduler (it serves ` +
          'CreateSchedule, GetSchedule, DeleteSchedule and ListSchedules).',
        404,
      );
    }
    return this.json(200, toWireJson(output), request.requestId);
  }

  renderError(error: AwsServiceError, request: Omit<AwsRequest, 'body'>): AwsResponse {
    return this.json(error.statusCode, { Message: error.message }, request.requestId, {
      'x-amzn-errortype': error.code,
    });
  }

  private json(
    statusCode: number,
    body: unknown,
    requestId: string,
    extraHeaders: Record<string, string> = {},
  ): AwsResponse {
    return {
      statusCode,
      headers: { 'content-type': 'application/json', 'x-amzn-requestid': requestId, ...extraHeaders },
      body: JSON.stringify(body),
    };
  }
}

/** The `{Name}` of `/schedules/{Name}`, decoded; `undefined` for the collection itself. */
function scheduleNameOf(path: string): string | undefined {
  if (path === COLLECTION) {
    return undefined;
  }
  const encoded = path.slice(COLLECTION.length + 1);
  try {
    return decodeURIComponent(encoded);
  } catch {
    throw schedulerErrors.validation(`Invalid schedule name in the path ${path}.`);
  }
}

function parse<Operation extends SchedulerOperation>(
  operation: Operation,
  value: unknown,
): SchedulerInput<Operation> {
  return validateRequest(
    schedulerInputs[operation],
    value,
    schedulerErrors.validation,
  ) as SchedulerInput<Operation>;
}

function jsonBody(request: AwsRequest): Record<string, unknown> {
  let body: unknown;
  try {
    body = JSON.parse(request.body.length === 0 ? '{}' : request.body.toString('utf8'));
  } catch {
    throw schedulerErrors.validation('The request body is not valid JSON.');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw schedulerErrors.validation('The request body must be a JSON object.');
  }
  return body as Record<string, unknown>;
}
