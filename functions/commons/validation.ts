import type { z } from 'zod';
import type { Issue } from './errors.ts';

/** Flattens zod issues into `{ path, reason }` pairs with dotted paths (`amount`, `items.0.kind`). */
export const toIssues = (error: z.ZodError): Issue[] =>
  error.issues.map((issue) => ({
    path: issue.path.length === 0 ? '(root)' : issue.path.map(String).join('.'),
    reason: issue.message,
  }));
