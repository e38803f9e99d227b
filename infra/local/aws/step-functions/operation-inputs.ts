import { z } from 'zod';

const arn = z.string().min(1).max(2048);
const taskToken = z.string().min(1).max(2048);
const error = z.string().max(256);
const cause = z.string().max(32768);
const maxResults = z.number().int().min(0).max(1000);
const nextToken = z.string().min(1).max(1024);

/**
 * The request members of the Step Functions operations the local service answers, with the service's
 * length limits. Unknown members are dropped, as the SDK never sends any.
 */
export const operationInputs = {
  StartExecution: z.object({
    stateMachineArn: arn,
    name: z.string().optional(),
    input: z.string().optional(),
    traceHeader: z.string().optional(),
  }),
  DescribeExecution: z.object({ executionArn: arn, includedData: z.string().optional() }),
  ListExecutions: z.object({
    stateMachineArn: arn,
    statusFilter: z
      .enum(['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED', 'PENDING_REDRIVE'])
      .optional(),
    maxResults: maxResults.optional(),
    nextToken: nextToken.optional(),
  }),
  GetExecutionHistory: z.object({
    executionArn: arn,
    maxResults: maxResults.optional(),
    reverseOrder: z.boolean().optional(),
    nextToken: nextToken.optional(),
    includeExecutionData: z.boolean().optional(),
  }),
  SendTaskSuccess: z.object({ taskToken, output: z.string() }),
  SendTaskFailure: z.object({ taskToken, error: error.optional(), cause: cause.optional() }),
  SendTaskHeartbeat: z.object({ taskToken }),
  StopExecution: z.object({ executionArn: arn, error: error.optional(), cause: cause.optional() }),
  DescribeStateMachine: z.object({ stateMachineArn: arn }),
  DescribeStateMachineForExecution: z.object({ executionArn: arn, includedData: z.string().optional() }),
  ListStateMachines: z.object({ maxResults: maxResults.optional(), nextToken: nextToken.optional() }),
} as const;

export type OperationName = keyof typeof operationInputs;
export type OperationInput<Name extends OperationName> = z.infer<(typeof operationInputs)[Name]>;
