import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { traced } from '../tracing.ts';

/** Built once per container. The endpoint comes from AWS_ENDPOINT_URL_SCHEDULER when set (local runtime). */
export const scheduler = traced(new SchedulerClient({}));
