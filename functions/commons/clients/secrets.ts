import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { traced } from '../tracing.ts';

/** Built once per container. The endpoint comes from AWS_ENDPOINT_URL_SECRETS_MANAGER when set. */
export const secretsManager = traced(new SecretsManagerClient({}));
