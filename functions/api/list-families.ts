import { z } from 'zod';
import { type ApiEvent, apiHandler, json } from '#commons/http/api-handler.ts';
import { principalOf } from '#commons/http/principal.ts';
import { FAMILIES } from '#policy/families.ts';

/** Built once per container: the catalogue only changes with a deployment. */
const catalogue = Object.values(FAMILIES).map((family) => ({
  id: family.id,
  name: family.name,
  description: family.description,
  reasons: Object.entries(family.reasons).map(([id, label]) => ({ id, label })),
  appealDays: family.windows.appealDays,
  reopenDays: family.windows.reopenDays,
  intakeSchema: z.toJSONSchema(family.intake, { io: 'input', unrepresentable: 'any' }),
}));

/** `GET /families`: every family with its intake JSON Schema (generated from the zod schema), for portal forms. */
export const listFamilies = async (event: ApiEvent) => {
  principalOf(event);
  return json(200, { families: catalogue });
};

export const handler = apiHandler(listFamilies);
