import { SESv2Client } from '@aws-sdk/client-sesv2';
import { traced } from '../tracing.ts';

/** Built once per container. The endpoint comes from AWS_ENDPOINT_URL_SESV2 when set (local runtime). */
export const ses = traced(new SESv2Client({}));
