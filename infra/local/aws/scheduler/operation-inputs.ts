import { z } from 'zod';

/** Schedule and group names: 1 to 64 of `[0-9a-zA-Z-_.]`, as the service model constrains them. */
const resourceName = z
  .string()
  .regex(/^[0-9a-zA-Z\-_.]{1,64}$/, 'must be 1 to 64 characters of 0-9, a-z, A-Z, -, _ and .');
const clientToken = z
  .string()
  .regex(/^[a-zA-Z0-9\-_]{1,64}$/, 'must be 1 to 64 characters of a-z, A-Z, 0-9, - and _');

/**
 * A schedule's target. Only the members that make sense for a Lambda function target are accepted; the
 * ECS, EventBridge, Kinesis, SageMaker and SQS parameter blocks are refused by name rather than ignored.
 */
export const targetSchema = z.strictObject({
  Arn: z.string().min(1).max(1600),
  RoleArn: z.string().min(1).max(1600),
  Input: z.string().min(1).optional(),
  RetryPolicy: z
    .strictObject({
      MaximumEventAgeInSeconds: z.number().int().min(60).max(86_400).optional(),
      MaximumRetryAttempts: z.number().int().min(0).max(185).optional(),
    })
    .optional(),
  DeadLetterConfig: z.strictObject({ Arn: z.string().min(1).max(1600).optional() }).optional(),
});

export const flexibleTimeWindowSchema = z
  .strictObject({
    Mode: z.enum(['OFF', 'FLEXIBLE']),
    MaximumWindowInMinutes: z.number().int().min(1).max(1440).optional(),
  })
  .refine((window) => window.Mode === 'OFF' || window.MaximumWindowInMinutes !== undefined, {
    message: 'MaximumWindowInMinutes is required when Mode is FLEXIBLE',
  });

/** The requests the local scheduler serves, as the REST-JSON protocol delivers them (path, query, body). */
export const schedulerInputs = {
  CreateSchedule: z.object({
    Name: resourceName,
    GroupName: resourceName.optional(),
    ScheduleExpression: z.string().min(1).max(256),
    ScheduleExpressionTimezone: z.string().min(1).max(50).optional(),
    Target: targetSchema,
    FlexibleTimeWindow: flexibleTimeWindowSchema,
    ActionAfterCompletion: z.enum(['NONE', 'DELETE']).optional(),
    ClientToken: clientToken.optional(),
    Description: z.string().max(512).optional(),
    State: z.enum(['ENABLED', 'DISABLED']).optional(),
    KmsKeyArn: z.string().min(1).max(2048).optional(),
    // Epoch seconds; EventBridge Scheduler ignores both for one-time schedules, and so does the local one.
    StartDate: z.number().optional(),
    EndDate: z.number().optional(),
  }),
  GetSchedule: z.object({ Name: resourceName, GroupName: resourceName.optional() }),
  DeleteSchedule: z.object({
    Name: resourceName,
    GroupName: resourceName.optional(),
    ClientToken: clientToken.optional(),
  }),
  ListSchedules: z.object({
    GroupName: resourceName.optional(),
    NamePrefix: resourceName.optional(),
    State: z.enum(['ENABLED', 'DISABLED']).optional(),
    MaxResults: z.coerce.number().int().min(1).max(100).optional(),
    NextToken: z.string().min(1).max(2048).optional(),
  }),
} as const;

export type SchedulerOperation = keyof typeof schedulerInputs;
/** An operation's request after validation. */
export type SchedulerInput<Operation extends SchedulerOperation> = z.output<
  (typeof schedulerInputs)[Operation]
>;
