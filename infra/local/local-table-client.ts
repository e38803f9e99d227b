import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { LOCAL } from './local-config.ts';

/**
 * A document client of its own to a local DynamoDB endpoint, for tests and the benchmark to read the table
 * directly (outside the product's own client, so what they read is not counted as the product's).
 * `destroy()` it when done.
 */
export const localTableClient = (endpoint: string): DynamoDBDocumentClient =>
  DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint,
      region: LOCAL.region,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    }),
  );
