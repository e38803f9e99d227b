import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The repository root, found from this module's own location so that synth gives the same result from any
 * working directory (`npx cdk synth` at the root, vitest, or an IDE running a single test).
 */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Absolute path of a repository-relative path such as a registry `entry` or an `aslPath()`. */
export const fromRepoRoot = (relativePath: string): string => resolve(REPO_ROOT, relativePath);

/** Like {@link fromRepoRoot}, but fails with the given hint when the file is not there. */
export const requireRepoFile = (relativePath: string, what: string): string => {
  const path = fromRepoRoot(relativePath);
  if (!existsSync(path)) {
    throw new Error(`SellerWorks synth: ${what} not found at ${relativePath} (looked in ${REPO_ROOT}).`);
  }
  return path;
};
