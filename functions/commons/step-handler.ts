import type { z } from 'zod';
import { DomainRuleError, TransientError } from './errors.ts';
import { caseIdOf, loggedInvocation } from './logging.ts';
import { isTransient } from './retry.ts';
import { toIssues } from './validation.ts';

/**
 * A workflow step: validates the state input against the step's schema before doing anything, so a bad
 * input fails the step (and reaches the state machine's Catch) without writing. Each invocation is logged with
 * the case it works on (the step adds the family and correlation id when it loads the case).
 */
export const stepHandler = <S extends z.ZodType, R>(schema: S, step: (input: z.infer<S>) => Promise<R>) =>
  loggedInvocation(async (event: unknown, _context?: unknown): Promise<R> => {
    const parsed = schema.safeParse(event);
    if (!parsed.success) {
      const error = new DomainRuleError('invalid step input', toIssues(parsed.error));
      error.name = 'InvalidStepInput';
      throw error;
    }
    try {
      return await step(parsed.data);
    } catch (error) {
      // Named so the state machine's Retry tells a throttle or a 5xx (minutes of patience) from a failure.
      if (!(error instanceof TransientError) && isTransient(error)) {
        throw new TransientError(`a dependency failed transiently: ${(error as Error).message}`, {
          cause: error,
        });
      }
      throw error;
    }
  }, caseIdOf);
