import { z } from 'zod';
import { FAMILY_IDS } from '#state-machines/catalog.ts';

/**
 * The query of `GET /ops/replay/cases` (replay-export.ts), kept free of the case store so that reading it
 * has no side effect: the handler validates with it, and so does the OpenAPI generator (contracts.ts).
 */
export const replayCasesQuery = z
  .object({
    /** From this day (UTC) on: a bound on the index's sort key, so the read ends where the span does. */
    since: z.iso.date({ error: 'a day, as YYYY-MM-DD' }).optional(),
    family: z.enum(FAMILY_IDS, { error: `one of ${FAMILY_IDS.join(', ')}` }).optional(),
    // Digits only, as the case list reads it. Each case costs a BatchGet share and two partition queries.
    limit: z
      .string()
      .regex(/^[0-9]{1,3}$/, 'a whole number from 1 to 100')
      .transform(Number)
      .pipe(z.number().int().min(1).max(100))
      .default(100),
    cursor: z.string().max(1024).optional(),
  })
  .strict();
export type ReplayCasesQuery = z.infer<typeof replayCasesQuery>;
