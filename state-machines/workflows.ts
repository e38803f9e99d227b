import type { Workflow } from './blocks.ts';
import type { FamilyId } from './catalog.ts';
import { buyerDisputeWorkflow } from './families/buyer-dispute.ts';

/** Each family's workflow, built from the shared blocks; emit.ts writes them to asl/. */
export const WORKFLOWS: Readonly<Record<FamilyId, () => Workflow>> = {
  'buyer-dispute': buyerDisputeWorkflow,
};
