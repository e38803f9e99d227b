import { z } from 'zod';
import { stepHandler } from '#commons/step-handler.ts';
import type { EvidenceRecord } from '#domain/case.ts';
import { loadCase } from '#domain/case-loader.ts';
import { commitChange, countSellerCases } from '#domain/case-store.ts';
import { evidenceStatus, missingFrom } from '#domain/evidence.ts';
import { route } from '#domain/routing.ts';

const input = z.object({ caseId: z.string().min(1) });

export interface TriageOutput {
  readonly team: string;
  readonly risk: string;
  readonly urgency: string;
  /** Whether the seller still owes evidence; the state machine's Choice branches on it. */
  readonly evidenceNeeded: boolean;
}

const NINETY_DAYS_MS = 90 * 86_400_000;

/** Triage and routing: facts from the intake and the seller's history, then the family's routing rules. */
export const triage = async ({ caseId }: z.infer<typeof input>): Promise<TriageOutput> => {
  const loaded = await loadCase(caseId);
  const { record, family, intake } = loaded;
  if (record.triage && record.routing) {
    // A retried step: the case was already triaged; answer the same way without writing again.
    const status = evidenceStatus(family.evidence, intake.reason, loaded.evidence);
    return output(record.routing.team, record.triage, missingFrom(status, 'seller').length > 0);
  }
  const since = new Date(Date.parse(record.createdAt) - NINETY_DAYS_MS).toISOString();
  const seen = await countSellerCases(record.sellerId, record.family, since);
  const facts = family.triage(intake, { priorCases90d: Math.max(0, seen - 1) }, record.sellerTier);
  const routing = route(family.routing, facts);

  const receivedAt = record.createdAt;
  const intakeKinds = family.evidenceAtIntake(intake);
  const intakeEvidence: EvidenceRecord[] = family.evidence
    .filter((spec) => intakeKinds.includes(spec.kind))
    .map((spec) => ({
      evidenceId: `intake-${spec.kind}`,
      kinds: [spec.kind],
      provider: spec.provider,
      source: 'intake',
      receivedAt,
    }));
  const status = evidenceStatus(family.evidence, intake.reason, intakeEvidence);
  const sellerMissing = missingFrom(status, 'seller');

  await commitChange(record, {
    set: { status: 'routed', triage: facts, routing },
    evidence: intakeEvidence,
    events: [
      {
        type: 'case.triaged',
        actor: { kind: 'system', id: 'triage' },
        detail: 'Case reviewed and prioritised',
        data: { ...facts },
      },
      {
        type: 'case.routed',
        actor: { kind: 'system', id: 'routing' },
        detail: `Assigned to the ${routing.team} team`,
        data: {
          team: routing.team,
          ruleId: routing.ruleId,
          reason: routing.reason,
          matched: routing.matched,
          rulesetVersion: routing.rulesetVersion,
        },
      },
    ],
  });
  return output(routing.team, facts, sellerMissing.length > 0);
};

const output = (
  team: string,
  facts: { risk: string; urgency: string },
  evidenceNeeded: boolean,
): TriageOutput => ({
  team,
  risk: facts.risk,
  urgency: facts.urgency,
  evidenceNeeded,
});

export const handler = stepHandler(input, triage);
