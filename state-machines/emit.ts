import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DOMAIN_EVENT_TYPES, jsonSchemaOf, schemaFileOf } from '../functions/domain/domain-events.ts';
import { REGISTERED_IDS } from '../functions/policy/families.ts';
import { aslPath } from './catalog.ts';
import { WORKFLOWS } from './workflows.ts';

/**
 * Writes what follows from the family registry: the catalog of family ids (state-machines/family-ids.ts)
 * and each family's ASL in state-machines/asl/<family>.asl.json — the file CDK deploys and the local engine
 * runs, and the JSON Schema of each domain event's detail in events/schemas/ (functions/domain/domain-events.ts;
 * its family enum follows the registry too), which the stack registers. With `--check`, writes nothing and fails if a file is missing or stale (run by `npm test`). Loading
 * the registry checks every family's invariants first (functions/policy/define-family.ts).
 */
const root = fileURLToPath(new URL('..', import.meta.url));
const check = process.argv.includes('--check');
const FAMILY_IDS_FILE = 'state-machines/family-ids.ts';

const familyIdsText = [
  "// Emitted by `npm run emit` from the registry's keys (functions/policy/families.ts); do not edit.",
  'export const FAMILY_IDS = [',
  ...REGISTERED_IDS.map((id) => `  '${id}',`),
  '] as const;',
  '',
].join('\n');

const files: [path: string, text: () => string][] = [
  [FAMILY_IDS_FILE, () => familyIdsText],
  ...REGISTERED_IDS.map((family): [string, () => string] => [
    aslPath(family),
    () => `${JSON.stringify(WORKFLOWS[family](), null, 2)}\n`,
  ]),
  ...DOMAIN_EVENT_TYPES.map((type): [string, () => string] => [
    schemaFileOf(type),
    () => `${JSON.stringify(jsonSchemaOf(type), null, 2)}\n`,
  ]),
];

let stale = 0;
for (const [path, text] of files) {
  const file = `${root}${path}`;
  const wanted = text();
  const current = await readFile(file, 'utf8').catch(() => '');
  if (current === wanted) continue;
  if (check) {
    console.error(`${path} is stale: run \`npm run emit\` and commit the result`);
    stale += 1;
  } else {
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, wanted);
    console.log(`wrote ${path}`);
  }
}
process.exitCode = stale > 0 ? 1 : 0;
