import type { z } from 'zod';
import type { AwsServiceError } from '../aws-service-error.ts';

/**
 * Parses request members against a schema, turning every problem into one error that names the members
 * at fault (`Destination.ToAddresses.0: expected string`), in the service's own error code.
 */
export function validateRequest<Schema extends z.ZodType>(
  schema: Schema,
  value: unknown,
  toError: (message: string) => AwsServiceError,
): z.output<Schema> {
  const result = schema.safeParse(value);
  if (result.success) {
    return result.data;
  }
  const problems = result.error.issues.map((issue) => {
    const path = issue.path.map(String).join('.');
    return path === '' ? issue.message : `${path}: ${issue.message}`;
  });
  throw toError(`${problems.length} validation error(s) detected: ${problems.join('; ')}`);
}
