import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

/** Built once per container. The endpoint comes from AWS_ENDPOINT_URL_SECRETS_MANAGER when set. */
export const secretsManager = new SecretsManagerClient({});
