import { z } from 'zod';
import { now as clockNow, nowMs } from '#commons/clock.ts';
import { DomainRuleError } from '#commons/errors.ts';
import { stepHandler } from '#commons/step-handler.ts';
import { toIssues } from '#commons/validation.ts';
import { assignmentOnArrival, dispatchAfter } from '#domain/assignment.ts';
import { priorityOf } from '#domain/assignment-policy.ts';
import { alreadyWaiting, commitWait } from '#domain/callback-wait.ts';
import { loadCase } from '#domain/case-loader.ts';
import { TransactionRefused } from '#domain/case-store.ts';
import { evidenceStatus } from '#domain/evidence.ts';
import { commonHandoff } from '#domain/handoff.ts';
import { moveTo } from '#domain/lifecycle.ts';
import { teamOutcomes } from '#domain/outcomes.ts';
import { handoffClock } from '#domain/sla.ts';
import { armClockTimers, armResolutionTimers, bothTimers, NO_TIMERS } from '#domain/timers.ts';

const input = z.object({
  caseId: z.string().min(1),
  taskToken: z.string().min(1),
  /** The workflow takes a request for more evidence as this wait's answer (case-workflow.ts). */
  asks: z.boolean().optional(),
});

/**
 * Hands the case to the team its routing chose, with the common handoff fields plus the family's details
 * for that team — refused unless both validate — and waits (`.waitForTaskToken`) for the team's decision.
 * On an appeal the original decider is excluded. Re-entered after an escalation or a restart (a new task
 * token), it renews the wait instead of handing off twice. Invoked again with the same task token (the
 * engine retried an invocation that may have completed), it finds the wait recorded and writes nothing.
 */
export const handOff = async ({ caseId, taskToken, asks }: z.infer<typeof input>) => {
  if (await alreadyWaiting(taskToken)) return { alreadyWaiting: true };
  const loaded = await loadCase(caseId);
  const { record, family, intake } = loaded;
  if (!record.routing || !record.triage) throw new DomainRuleError(`case ${caseId} has not been routed`);
  const team = record.routing.team;
  const now = clockNow();
  const deadline = new Date(now.getTime() + family.waits.decisionSeconds * 1000).toISOString();
  const appealOf = record.status === 'appealed' ? record.appealOf : undefined;
  const excludedDecider = appealOf?.decidedBy;
  const waiting = {
    step: 'decision',
    from: 'team',
    team,
    since: now.toISOString(),
    deadline,
    taskToken,
    ...(excludedDecider ? { excludedDecider } : {}),
    ...(asks ? { asks } : {}),
  } as const;

  const wait = { caseId, taskToken, step: 'decision', deadline } as const;
  if (record.status === 'handed_off') {
    await commitWait(record, wait, {
      set: { waiting: { ...waiting, team: record.waiting?.team ?? team } },
      events: [
        {
          type: 'handoff.renewed',
          actor: { kind: 'system', id: 'handoff' },
          detail: `Still waiting for the ${record.waiting?.team ?? team} team's decision`,
          data: { team: record.waiting?.team ?? team, deadline },
        },
      ],
    });
    return { team, renewed: true };
  }

  const status = evidenceStatus(family.evidence, intake.reason, loaded.evidence);
  const contract = family.handoff.contracts[team] ?? family.handoff.contracts['*'];
  if (!contract) throw new DomainRuleError(`${family.id} has no handoff contract for team ${team}`);
  const details = contract.safeParse(family.handoff.details(intake, team, record.triage));
  if (!details.success) {
    throw new DomainRuleError(
      `handoff to ${team} refused: its required payload is incomplete`,
      toIssues(details.error),
    );
  }
  const payload = commonHandoff.safeParse({
    caseId,
    family: family.id,
    team,
    reason: intake.reason,
    region: record.region,
    sellerTier: record.triage.tier,
    risk: record.triage.risk,
    urgency: record.triage.urgency,
    priorCases90d: record.triage.priorCases90d,
    signals: record.triage.signals ?? {},
    evidenceReceived: status.received,
    evidenceMissing: status.missing.map((m) => m.kind),
    routing: { ruleId: record.routing.ruleId, reason: record.routing.reason },
    allowedOutcomes: teamOutcomes(family).map((o) => o.id),
    ...(appealOf
      ? {
          appealOf: {
            outcome: appealOf.outcome,
            decidedBy: appealOf.decidedBy,
            decidedAt: appealOf.decidedAt,
          },
        }
      : {}),
    details: details.data as Record<string, unknown>,
  });
  if (!payload.success) {
    throw new DomainRuleError(`handoff to ${team} refused: payload invalid`, toIssues(payload.error));
  }

  const previous = record.status;
  // An appeal or a reopen started a new resolution clock (see sla.ts); it gets its own timers.
  const round = (record.appealCount ?? 0) + (record.reopenCount ?? 0);
  const at = nowMs();
  // The team's turnaround clock starts now, with its warning and its escalation.
  const sla = record.sla
    ? { ...record.sla, handoff: handoffClock(family, team, new Date(at).toISOString()) }
    : undefined;
  const timers = bothTimers(
    previous === 'appealed' || previous === 'reopened' ? armResolutionTimers(record, round, at) : NO_TIMERS,
    sla
      ? armClockTimers({ ...record, sla }, 'handoff', `h${record.version}`, at, { warn: true, levels: [1] })
      : NO_TIMERS,
  );
  // Its place in the team's queue: from triage's risk and urgency, then when its resolution falls due.
  const priority = priorityOf(record.triage, sla ? { sla } : {}, at);
  const handedOff = {
    type: previous === 'appealed' ? 'appeal.handed_off' : 'case.handed_off',
    actor: { kind: 'system', id: 'handoff' },
    detail:
      previous === 'appealed'
        ? `Appeal handed to the ${team} team; a reviewer other than the original decider decides`
        : record.returnsTo
          ? `Back with the ${team} team with the seller's answer`
          : `Handed to the ${team} team for a decision`,
    data: { team, payload: payload.data, deadline, priority },
  } as const;
  // An agent of the team with room and the skills takes it in the same commit; with nobody free it queues.
  const arriving = { ...record, waiting, priority };
  const refused: string[] = [];
  for (let attempt = 0; ; attempt += 1) {
    const assignment = attempt < 3 ? await assignmentOnArrival(arriving, team, refused) : undefined;
    try {
      const recorded = await commitWait(record, wait, {
        move: moveTo('handed_off'),
        set: {
          waiting,
          priority,
          ...(sla ? { sla } : {}),
          ...(assignment ? { assignee: assignment.assignee } : {}),
        },
        ...(record.returnsTo ? { remove: ['returnsTo' as const] } : {}),
        extra: [...timers.items, ...(assignment ? [assignment.take] : [])],
        alarm: timers.alarm,
        events: [handedOff, ...(assignment ? [assignment.event] : [])],
      });
      // Queued: capacity may have freed while this committed; a dispatch gives it out now if so.
      if (recorded === 'recorded' && !assignment) await dispatchAfter(team);
      return { team, renewed: false, assignee: assignment?.assignee.agentId ?? null };
    } catch (error) {
      // The chosen agent filled up or went away meanwhile (their item is the last extra after the wait's).
      const agentRefused =
        assignment && error instanceof TransactionRefused && error.index === 1 + timers.items.length;
      if (!agentRefused) throw error;
      refused.push(assignment.assignee.agentId);
    }
  }
};

export const handler = stepHandler(input, handOff);
