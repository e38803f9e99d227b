import { FAMILIES } from '../functions/policy/families.ts';
import type { Workflow } from './blocks.ts';
import { caseWorkflow } from './case-workflow.ts';
import { FAMILY_IDS, type FamilyId } from './catalog.ts';

/** Each family's workflow: the shared case workflow shaped by the family's policy; emit.ts writes them to asl/. */
export const WORKFLOWS: Readonly<Record<FamilyId, () => Workflow>> = Object.fromEntries(
  FAMILY_IDS.map((id) => [id, () => caseWorkflow(FAMILIES[id])]),
) as Record<FamilyId, () => Workflow>;
