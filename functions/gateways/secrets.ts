import { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { secretsManager } from '#commons/clients/secrets.ts';

const cache = new Map<string, Promise<string>>();

/**
 * The one door to Secrets Manager: a secret's string value, fetched once per container and cached
 * (rotation means a new container).
 */
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
