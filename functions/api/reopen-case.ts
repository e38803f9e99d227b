import { nowIso, nowMs } from '#commons/clock.ts';
import { conflict } from '#commons/errors.ts';
import { type ApiEvent, apiHandler, json } from '#commons/http/api-handler.ts';
import { requireSeller } from '#commons/http/principal.ts';
import { caseIdParam, jsonBody } from '#commons/http/request.ts';
import { commitChange } from '#domain/case-store.ts';
import { isResolved, moveTo } from '#domain/lifecycle.ts';
import { startWorkflow } from '#domain/workflow.ts';
import { familyOf } from '#policy/families.ts';
import { caseFor } from './case-access.ts';
import { reopenBody } from './contracts.ts';

/**
 * `POST /cases/{caseId}/reopen`: the problem came back or was not solved. Within the family's reopen window
 * the case re-enters its workflow, back to its owning team, with the history kept; reopens are counted.
 */
export const reopenCase = async (event: ApiEvent) => {
  const seller = requireSeller(event);
  const caseId = caseIdParam(event);
  const { reason } = jsonBody(event, reopenBody);
  const record = await caseFor(seller, caseId);
  const family = familyOf(record.family);
  if (!isResolved(record.status)) {
    throw conflict(`case ${caseId} is still open (status ${record.status}); nothing to reopen`);
  }
  const resolvedAt = Date.parse(record.decision?.decidedAt ?? record.updatedAt);
  const closes = resolvedAt + family.windows.reopenDays * 86_400_000;
  if (nowMs() > closes) {
    throw conflict(
      `the reopen window for case ${caseId} closed on ${new Date(closes).toISOString().slice(0, 10)}; open a new case`,
    );
  }
  const now = nowIso();
  const reopenCount = (record.reopenCount ?? 0) + 1;
  await commitChange(record, {
    move: moveTo('reopened'),
    set: { reopenCount },
    evidence: [
      {
        evidenceId: `reopen-${reopenCount}`,
        kinds: ['reopen_statement'],
        provider: 'seller',
        source: 'portal',
        receivedAt: now,
        text: reason,
      },
    ],
    events: [
      {
        type: 'case.reopened',
        actor: { kind: 'seller', id: seller.sellerId },
        detail: `The seller reopened the case (reopen ${reopenCount})`,
        data: { reopenCount },
      },
    ],
  });
  await startWorkflow(caseId, record.family, 'reopen', reopenCount);
  return json(202, { caseId, status: 'reopened', reopenCount, links: { self: `/cases/${caseId}` } });
};

export const handler = apiHandler(reopenCase);
