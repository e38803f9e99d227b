import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { OPENAPI_PATH, openApiText } from '../functions/api/openapi.ts';

/**
 * Writes the API's OpenAPI document (docs/openapi.json) from routes.ts and the handlers' zod schemas. With
 * `--check`, writes nothing and fails if the committed file is missing or stale (run by `npm run check`).
 */
const file = fileURLToPath(new URL(`../${OPENAPI_PATH}`, import.meta.url));
const wanted = openApiText();
const current = await readFile(file, 'utf8').catch(() => '');
if (current === wanted) {
  process.exitCode = 0;
} else if (process.argv.includes('--check')) {
  console.error(`${OPENAPI_PATH} is stale: run \`npm run openapi\` and commit the result`);
  process.exitCode = 1;
} else {
  await writeFile(file, wanted);
  console.log(`wrote ${OPENAPI_PATH}`);
}
