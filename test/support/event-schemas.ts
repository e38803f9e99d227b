import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import Ajv from 'ajv';
import type { DomainEventType } from '../../functions/domain/domain-events.ts';
import { schemaFileOf } from '../../functions/domain/domain-events.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const require = createRequire(import.meta.url);

/**
 * Validates a domain event's detail against its committed JSON Schema (events/schemas/, draft 4), with a
 * validator other than zod, so a schema that zod's export got wrong fails here.
 */
const ajv = new Ajv({ schemaId: 'auto', allErrors: true });
ajv.addMetaSchema(require('ajv/lib/refs/json-schema-draft-04.json'));

export const committedSchema = (detailType: DomainEventType): Record<string, unknown> =>
  JSON.parse(readFileSync(`${root}${schemaFileOf(detailType)}`, 'utf8'));

/** The errors of `detail` against its committed schema; empty when it is valid. */
export const schemaErrors = (detailType: DomainEventType, detail: unknown): string[] => {
  const validate = ajv.compile(committedSchema(detailType));
  return validate(detail) ? [] : (validate.errors ?? []).map((e) => `${e.dataPath} ${e.message}`);
};
