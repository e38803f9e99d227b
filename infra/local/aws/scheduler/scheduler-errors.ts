import { AwsServiceError } from '../aws-service-error.ts';

/**
 * The EventBridge Scheduler API errors the local service answers, with the HTTP statuses the service model
 * gives them, so the SDK raises `ValidationException`, `ConflictException` or `ResourceNotFoundException`.
 */
export const schedulerErrors = {
  validation: (message: string) => new AwsServiceError('ValidationException', message, 400),
  conflict: (message: string) => new AwsServiceError('ConflictException', message, 409),
  notFound: (message: string) => new AwsServiceError('ResourceNotFoundException', message, 404),
} as const;
