import { SESv2Client } from '@aws-sdk/client-sesv2';

/** Built once per container. The endpoint comes from AWS_ENDPOINT_URL_SESV2 when set (local runtime). */
export const ses = new SESv2Client({});
