import { z } from 'zod';
import { AwsServiceError } from '../aws-service-error.ts';
import { JsonRpcService, jsonRpcOperation } from '../http/json-rpc-protocol.ts';
import type { LocalSecrets } from '../secrets.ts';

const getSecretValueInput = z.object({
  SecretId: z.string().min(1).max(2048),
  VersionId: z.string().optional(),
  VersionStage: z.string().optional(),
});

/** Secrets Manager over its JSON 1.1 protocol (`X-Amz-Target: secretsmanager.GetSecretValue`). */
export function secretsManagerEndpoint(secrets: LocalSecrets): JsonRpcService {
  return new JsonRpcService({
    service: 'Secrets Manager',
    targetPrefix: 'secretsmanager',
    jsonVersion: '1.1',
    operations: {
      GetSecretValue: jsonRpcOperation(getSecretValueInput, (input) => {
        const secret = secrets.getSecretValue(input.SecretId);
        // Local secrets have one version, AWSCURRENT; asking for any other is asking for one that is not there.
        const otherVersion = input.VersionId !== undefined && input.VersionId !== secret.VersionId;
        const otherStage = input.VersionStage !== undefined && input.VersionStage !== 'AWSCURRENT';
        if (otherVersion || otherStage) {
          throw new AwsServiceError(
            'ResourceNotFoundException',
            "Secrets Manager can't find the specified secret value for VersionId or VersionStage.",
          );
        }
        return secret;
      }),
    },
  });
}
