import { FAMILIES, REGISTERED_IDS } from '../functions/policy/families.ts';
import type { Workflow } from './blocks.ts';
import { caseWorkflow } from './case-workflow.ts';
import type { FamilyId } from './catalog.ts';

/**
 * Each family's workflow: the shared case workflow shaped by the family's policy; emit.ts writes them to
 * asl/. Keyed by the registry itself, so a family just added has its workflow before the catalog is emitted.
 */
export const WORKFLOWS: Readonly<Record<FamilyId, () => Workflow>> = Object.fromEntries(
  REGISTERED_IDS.map((id) => [id, () => caseWorkflow(FAMILIES[id])]),
) as Record<FamilyId, () => Workflow>;
