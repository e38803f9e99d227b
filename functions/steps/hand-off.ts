import { z } from 'zod';
import { DomainRuleError } from '#commons/errors.ts';
import { stepHandler } from '#commons/step-handler.ts';
import { toIssues } from '#commons/validation.ts';
import { loadCase } from '#domain/case-loader.ts';
import { commitChange } from '#domain/case-store.ts';
import { evidenceStatus } from '#domain/evidence.ts';

const input = z.object({ caseId: z.string().min(1), taskToken: z.string().min(1) });

/**
 * Hands the case to the team its routing chose, with the family's handoff payload — refused unless the
 * payload validates — and waits (`.waitForTaskToken`) for the team's decision. Re-entered after an
 * escalation, it renews the wait instead of handing off twice.
 */
export const handOff = async ({ caseId, taskToken }: z.infer<typeof input>) => {
  const loaded = await loadCase(caseId);
  const { record, family, intake } = loaded;
  if (!record.routing || !record.triage) throw new DomainRuleError(`case ${caseId} has not been routed`);
  const team = record.routing.team;
  const now = new Date();
  const deadline = new Date(now.getTime() + family.waits.decisionSeconds * 1000).toISOString();
  const waiting = {
    step: 'decision',
    from: 'team',
    team,
    since: now.toISOString(),
    deadline,
    taskToken,
  } as const;

  if (record.status === 'handed_off') {
    await commitChange(record, {
      set: { waiting },
      events: [
        {
          type: 'handoff.renewed',
          actor: { kind: 'system', id: 'handoff' },
          detail: `Still waiting for the ${team} team's decision`,
          data: { team, deadline },
        },
      ],
    });
    return { team, renewed: true };
  }

  const status = evidenceStatus(family.evidence, intake.reason, loaded.evidence);
  const allowedOutcomes = family.outcomes.map((o) => o.id);
  const payload = family.buildHandoff(
    {
      caseId,
      intake,
      facts: record.triage,
      team,
      routing: { ruleId: record.routing.ruleId, reason: record.routing.reason },
      evidenceReceived: status.received,
      evidenceMissing: status.missing.map((m) => m.kind),
    },
    allowedOutcomes,
  );
  const parsed = family.handoff.safeParse(payload);
  if (!parsed.success) {
    throw new DomainRuleError(`handoff to ${team} refused: payload invalid`, toIssues(parsed.error));
  }

  await commitChange(record, {
    set: { status: 'handed_off', waiting },
    events: [
      {
        type: 'case.handed_off',
        actor: { kind: 'system', id: 'handoff' },
        detail: `Handed to the ${team} team for a decision`,
        data: { team, payload: parsed.data as Record<string, unknown>, deadline },
      },
    ],
  });
  return { team, renewed: false };
};

export const handler = stepHandler(input, handOff);
