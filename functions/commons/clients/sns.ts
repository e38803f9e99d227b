import { SNSClient } from '@aws-sdk/client-sns';
import { traced } from '../tracing.ts';

/** Built once per container. The endpoint comes from AWS_ENDPOINT_URL_SNS when set (local runtime). */
export const sns = traced(new SNSClient({}));
