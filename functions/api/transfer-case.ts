import { conflict, forbidden, notFound, validationFailed } from '#commons/errors.ts';
import { type ApiEvent, apiHandler, json } from '#commons/http/api-handler.ts';
import { requireOps } from '#commons/http/principal.ts';
import { caseIdParam, jsonBody } from '#commons/http/request.ts';
import { toIssues } from '#commons/validation.ts';
import { dispatchAfter, releaseOf } from '#domain/assignment.ts';
import { logCaseKeys } from '#domain/case-loader.ts';
import { commitChange, getCase } from '#domain/case-store.ts';
import { familyOf } from '#policy/families.ts';
import { transferBody } from './contracts.ts';

/**
 * `POST /ops/cases/{caseId}/transfer`: the deciding team passes the case to another team that owns the
 * decision. The awaited decision moves with it (same wait, new owner). Transfers are counted, and a case
 * never returns to a team that already handed it off without a recorded reason.
 */
export const transferCase = async (event: ApiEvent) => {
  const ops = requireOps(event);
  const caseId = caseIdParam(event);
  const { team, reason, returnReason } = jsonBody(event, transferBody);
  const record = await getCase(caseId);
  if (!record) throw notFound(`no case ${caseId}`);
  logCaseKeys(record);
  const family = familyOf(record.family);
  const teams = new Set(family.routing.rules.map((r) => r.team));
  if (!teams.has(team)) {
    throw validationFailed([
      { path: 'team', reason: `not a ${family.id} team; one of ${[...teams].join(', ')}` },
    ]);
  }
  const waiting = record.waiting;
  if (record.status !== 'handed_off' || waiting?.step !== 'decision' || !record.routing) {
    throw conflict(`case ${caseId} is not with a team (status ${record.status})`);
  }
  const from = waiting.team ?? record.routing.team;
  if (ops.team !== undefined && ops.team !== from)
    throw forbidden(`only the ${from} team can transfer this case`);
  if (team === from) throw conflict(`case ${caseId} is already with the ${team} team`);
  const handedOffBy = [...(record.handedOffBy ?? []), from];
  if ((record.handedOffBy ?? []).includes(team) && !returnReason) {
    throw conflict(`the ${team} team already handed this case off; sending it back needs a returnReason`);
  }
  // The receiving team gets what its handoff contract asks for, as at a first handoff, or no transfer.
  const contract = family.handoff.contracts[team] ?? family.handoff.contracts['*'];
  const details = contract?.safeParse(family.handoff.details(record.intake, team, record.triage));
  if (!contract || !details?.success) {
    throw validationFailed(
      details?.error
        ? toIssues(details.error).map((issue) => ({
            ...issue,
            path: `handoff.${team}.${issue.path}`,
            reason: `the ${team} team's handoff contract: ${issue.reason}`,
          }))
        : [{ path: 'team', reason: `${family.id} has no handoff contract for the ${team} team` }],
    );
  }
  await commitChange(record, {
    set: {
      routing: { ...record.routing, team, reason: `Transferred by ${from}: ${reason}` },
      waiting: { ...waiting, team },
      transferCount: (record.transferCount ?? 0) + 1,
      handedOffBy,
    },
    // The case joins the receiving team's queue; whoever held it in the old team is free.
    remove: ['assignee'],
    extraOf: releaseOf,
    events: [
      {
        type: 'case.transferred',
        actor: { kind: 'ops', id: ops.userId },
        detail: `Transferred from the ${from} team to the ${team} team`,
        data: {
          from,
          to: team,
          reason,
          ...(returnReason ? { returnReason } : {}),
          handoff: details.data as Record<string, unknown>,
        },
      },
    ],
  });
  await dispatchAfter(team, from);
  return json(200, { caseId, team, transferCount: (record.transferCount ?? 0) + 1 });
};

export const handler = apiHandler(transferCase);
