import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { type PolicyFile, policyFiles } from './policy-export.ts';

/**
 * Writes the portable policy into `dir` (created if need be; the files it writes are replaced, others
 * left alone) and answers what it wrote. Kept apart from policy-export.ts, which stays free of I/O.
 */
export const writePolicy = async (dir: string, files: readonly PolicyFile[] = policyFiles()) => {
  for (const file of files) {
    const path = join(dir, file.path);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, `${JSON.stringify(file.content, null, 2)}\n`);
  }
  return {
    documents: files.filter((f) => f.schema !== undefined).length,
    schemas: files.filter((f) => f.schema === undefined).length,
  };
};
