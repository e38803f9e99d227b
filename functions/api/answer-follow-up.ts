import { type ApiEvent, json } from '#commons/http/api-handler.ts';
import { requireSeller } from '#commons/http/principal.ts';
import { caseIdParam, jsonBody } from '#commons/http/request.ts';
import { answerFollowUp } from '#domain/follow-up.ts';
import { familyOf } from '#policy/families.ts';
import { caseFor } from './case-access.ts';
import { followUpBody } from './contracts.ts';

/**
 * `POST /cases/{caseId}/follow-up`: the seller answers the follow-up after resolution — handled or not, a
 * 1–5 rating, a comment — once (a second answer is 409). "Not handled" within the reopen window reopens the
 * case (202); after it, the answer is recorded and the case stays resolved (200, with a `note`).
 */
export const answerFollowUpRoute = async (event: ApiEvent) => {
  const seller = requireSeller(event);
  const caseId = caseIdParam(event);
  const answer = jsonBody(event, followUpBody);
  const record = await caseFor(seller, caseId);
  const result = await answerFollowUp(record, familyOf(record.family), seller.sellerId, answer);
  return json(result.reopened ? 202 : 200, { ...result, links: { self: `/cases/${caseId}` } });
};
