import { z } from 'zod';
import { nowMs } from '#commons/clock.ts';
import { stepHandler } from '#commons/step-handler.ts';
import type { EvidenceRecord } from '#domain/case.ts';
import { type LoadedCase, loadCase } from '#domain/case-loader.ts';
import { countSellerCases } from '#domain/case-store.ts';
import { evidenceStatus, missingFrom } from '#domain/evidence.ts';
import { moveTo } from '#domain/lifecycle.ts';
import { commitAndDispatch } from '#domain/outbox-dispatch.ts';
import { route } from '#domain/routing.ts';
import { armResolutionTimers } from '#domain/timers.ts';

const input = z.object({ caseId: z.string().min(1) });

export interface TriageOutput {
  readonly team: string;
  readonly risk: string;
  readonly urgency: string;
  /** Whether the seller still owes evidence; the state machine's Choice branches on it. */
  readonly evidenceNeeded: boolean;
  /** Whether the buyer still owes evidence (families that ask both sides). */
  readonly buyerEvidenceNeeded: boolean;
}

const DAY_MS = 86_400_000;

const needs = (loaded: LoadedCase, evidence: readonly EvidenceRecord[]) => {
  const status = evidenceStatus(loaded.family.evidence, loaded.intake.reason, evidence);
  const asksBuyer = loaded.family.workflow.evidenceFrom.includes('buyer');
  return {
    evidenceNeeded: missingFrom(status, 'seller').length > 0,
    buyerEvidenceNeeded: asksBuyer && missingFrom(status, 'buyer').length > 0,
  };
};

/** Triage and routing: facts from the intake and the seller's history, then the family's routing rules. */
export const triage = async ({ caseId }: z.infer<typeof input>): Promise<TriageOutput> => {
  const loaded = await loadCase(caseId);
  const { record, family, intake } = loaded;
  if (record.triage && record.routing) {
    // A retried or restarted step: the case was already triaged; answer the same way without writing.
    return {
      team: record.routing.team,
      risk: record.triage.risk,
      urgency: record.triage.urgency,
      ...needs(loaded, loaded.evidence),
    };
  }
  const created = Date.parse(record.createdAt);
  const since = (days: number) => new Date(created - days * DAY_MS).toISOString();
  // This case is among them: the history is the others.
  const [in90d = 1, in365d = 1] = await countSellerCases(record.sellerId, record.family, [
    since(90),
    since(365),
  ]);
  const facts = family.triage(
    intake,
    { priorCases90d: Math.max(0, in90d - 1), priorCases365d: Math.max(0, in365d - 1) },
    record.sellerTier,
  );
  const routing = route(family.routing, facts);

  const intakeKinds = family.evidenceAtIntake(intake);
  const intakeEvidence: EvidenceRecord[] = family.evidence
    .filter((spec) => intakeKinds.includes(spec.kind))
    .map((spec) => ({
      evidenceId: `intake-${spec.kind}`,
      kinds: [spec.kind],
      provider: spec.provider,
      source: 'intake',
      receivedAt: record.createdAt,
    }));

  const timers = armResolutionTimers(record, 0, nowMs());
  await commitAndDispatch(record, {
    move: moveTo('routed'),
    set: { triage: facts, routing },
    evidence: intakeEvidence,
    extra: timers.items,
    alarm: timers.alarm,
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
  return { team: routing.team, risk: facts.risk, urgency: facts.urgency, ...needs(loaded, intakeEvidence) };
};

export const handler = stepHandler(input, triage);
