import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { aslPath, FAMILY_IDS } from './catalog.ts';
import { WORKFLOWS } from './workflows.ts';

/**
 * Writes each family's ASL to state-machines/asl/<family>.asl.json — the file CDK deploys and the local
 * engine runs. With `--check`, writes nothing and fails if a file is missing or stale (run by `npm test`).
 */
const root = fileURLToPath(new URL('..', import.meta.url));
const check = process.argv.includes('--check');
let stale = 0;
for (const family of FAMILY_IDS) {
  const file = `${root}${aslPath(family)}`;
  const text = `${JSON.stringify(WORKFLOWS[family](), null, 2)}\n`;
  const current = await readFile(file, 'utf8').catch(() => '');
  if (current === text) continue;
  if (check) {
    console.error(`${aslPath(family)} is stale: run \`npm run emit\` and commit the result`);
    stale += 1;
  } else {
    await writeFile(file, text);
    console.log(`wrote ${aslPath(family)}`);
  }
}
process.exitCode = stale > 0 ? 1 : 0;
