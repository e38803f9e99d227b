import { SFNClient } from '@aws-sdk/client-sfn';
import { traced } from '../tracing.ts';

/** Built once per container. The endpoint comes from AWS_ENDPOINT_URL_SFN when set (local runtime). */
export const sfn = traced(new SFNClient({}));
