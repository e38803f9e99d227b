/**
 * Where the OpenAPI document lives and is served: constants only, imported by the local runtime and the
 * stack without loading the generator (which loads every schema, the policy and through it the clock —
 * read before the runtime sets TIME_SCALE, that froze case time at the wall clock's pace).
 */

/** Where the committed document lives, relative to the repository root. */
export const OPENAPI_PATH = 'docs/openapi.json';

/** The public route serving the document (no token), beside those of routes.ts. */
export const OPENAPI_ROUTE = { method: 'GET', path: '/openapi.json' } as const;
