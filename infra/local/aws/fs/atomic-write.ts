import { randomBytes } from 'node:crypto';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Writes a file so that readers (and a restart after a crash) see either the old or the new content, never
 * a torn one: the bytes go to a sibling temporary file first, and a rename on the same filesystem swaps it in.
 *
 * Synchronous on purpose: the local runtime writes small files, and a synchronous write keeps every
 * snapshot ordered without a write queue.
 */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  writeFileSync(temporary, data);
  renameSync(temporary, path);
}

/** Temporary files left behind by a crash between write and rename; loaders skip them. */
export const isTemporaryFile = (name: string): boolean => name.endsWith('.tmp');
