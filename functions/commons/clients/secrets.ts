import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

/** Built once per container. The endpoint comes from AWS_ENDPOINT_URL_SECRETS_MANAGER when set. */
export const secretsManager = new SecretsManagerClient({});

const cache = new Map<string, Promise<string>>();

/** A secret's string value, fetched once per container and cached (rotation means a new container). */
export const secretString = (secretId: string): Promise<string> => {
  let value = cache.get(secretId);
  if (value === undefined) {
    value = secretsManager.send(new GetSecretValueCommand({ SecretId: secretId })).then((out) => {
      if (out.SecretString === undefined) throw new Error(`secret ${secretId} has no string value`);
      return out.SecretString;
    });
    value.catch(() => cache.delete(secretId));
    cache.set(secretId, value);
  }
  return value;
};
