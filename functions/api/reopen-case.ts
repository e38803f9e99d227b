import { nowIso } from '#commons/clock.ts';
import { conflict } from '#commons/errors.ts';
import { type ApiEvent, apiHandler, json } from '#commons/http/api-handler.ts';
import { requireSeller } from '#commons/http/principal.ts';
import { caseIdParam, jsonBody } from '#commons/http/request.ts';
import { commitChange } from '#domain/case-store.ts';
import { isResolved } from '#domain/lifecycle.ts';
import { reopenable, reopenChange, reopenCloses, startReopened } from '#domain/reopen.ts';
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
  if (!reopenable(record, family)) {
    const closes = reopenCloses(record, family);
    throw conflict(
      `the reopen window for case ${caseId} closed on ${new Date(closes).toISOString().slice(0, 10)}; open a new case`,
    );
  }
  const { reopenCount, change } = reopenChange(record, seller.sellerId, reason, nowIso());
  await commitChange(record, change);
  await startReopened(record, reopenCount);
  return json(202, { caseId, status: 'reopened', reopenCount, links: { self: `/cases/${caseId}` } });
};

export const handler = apiHandler(reopenCase);
