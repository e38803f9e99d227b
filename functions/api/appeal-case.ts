import { nowIso, nowMs } from '#commons/clock.ts';
import { conflict } from '#commons/errors.ts';
import { type ApiEvent, apiHandler, json } from '#commons/http/api-handler.ts';
import { requireSeller } from '#commons/http/principal.ts';
import { caseIdParam, jsonBody } from '#commons/http/request.ts';
import { commitChange } from '#domain/case-store.ts';
import { moveTo } from '#domain/lifecycle.ts';
import { startWorkflow } from '#domain/workflow.ts';
import { familyOf } from '#policy/families.ts';
import { caseFor } from './case-access.ts';
import { appealBody } from './contracts.ts';

/**
 * `POST /cases/{caseId}/appeal`: the seller contests a decision within the family's appeal window. The
 * case re-enters its workflow with the history kept, and a reviewer other than the original decider decides.
 * One appeal per case.
 */
export const appealCase = async (event: ApiEvent) => {
  const seller = requireSeller(event);
  const caseId = caseIdParam(event);
  const { statement } = jsonBody(event, appealBody);
  const record = await caseFor(seller, caseId);
  const family = familyOf(record.family);
  if (record.status !== 'resolved' || !record.decision)
    throw conflict(`case ${caseId} has no decision to appeal (status ${record.status})`);
  if ((record.appealCount ?? 0) > 0)
    throw conflict(`case ${caseId} was already appealed; an appeal decision is final`);
  const closes = Date.parse(record.decision.decidedAt) + family.windows.appealDays * 86_400_000;
  if (nowMs() > closes) {
    throw conflict(
      `the appeal window for case ${caseId} closed on ${new Date(closes).toISOString().slice(0, 10)}`,
    );
  }
  const now = nowIso();
  const appealCount = (record.appealCount ?? 0) + 1;
  await commitChange(record, {
    move: moveTo('appealed'),
    set: { appealCount, appealOf: record.decision },
    evidence: [
      {
        evidenceId: `appeal-${appealCount}`,
        kinds: ['appeal_statement'],
        provider: 'seller',
        source: 'portal',
        receivedAt: now,
        text: statement,
      },
    ],
    events: [
      {
        type: 'case.appealed',
        actor: { kind: 'seller', id: seller.sellerId },
        detail: 'The seller appealed the decision',
        data: { appealOf: record.decision.outcome, decidedBy: record.decision.decidedBy },
      },
    ],
  });
  await startWorkflow(caseId, record.family, 'appeal', appealCount);
  return json(202, { caseId, status: 'appealed', links: { self: `/cases/${caseId}` } });
};

export const handler = apiHandler(appealCase);
