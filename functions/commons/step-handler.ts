import type { z } from 'zod';
import { DomainRuleError } from './errors.ts';
import { toIssues } from './validation.ts';

/**
 * A workflow step: validates the state input against the step's schema before doing anything, so a bad
 * input fails the step (and reaches the state machine's Catch) without writing.
 */
export const stepHandler =
  <S extends z.ZodType, R>(schema: S, step: (input: z.infer<S>) => Promise<R>) =>
  async (event: unknown): Promise<R> => {
    const parsed = schema.safeParse(event);
    if (!parsed.success) {
      const error = new DomainRuleError('invalid step input', toIssues(parsed.error));
      error.name = 'InvalidStepInput';
      throw error;
    }
    return step(parsed.data);
  };
