import { nowIso } from '#commons/clock.ts';
import { notFound } from '#commons/errors.ts';
import { type ApiEvent, apiHandler, json } from '#commons/http/api-handler.ts';
import { requireOps } from '#commons/http/principal.ts';
import { jsonBody } from '#commons/http/request.ts';
import { markFaqGroup, viewOf } from '#domain/faq/faq-groups.ts';
import { GROUP_ID } from '#domain/faq/faq-model.ts';
import { faqMarkBody } from './contracts.ts';

/**
 * `PUT /ops/faq/groups/{groupId}/candidate` `{ candidate, note? }`: anyone in ops marks a group of seller
 * statements as an FAQ candidate (or clears the mark); `sellerworks faq export` lists the marked groups.
 */
export const markFaqGroupHandler = async (event: ApiEvent) => {
  const ops = requireOps(event);
  const groupId = event.pathParameters?.groupId ?? '';
  const body = jsonBody(event, faqMarkBody);
  if (!GROUP_ID.test(groupId)) throw notFound(`no FAQ group ${JSON.stringify(groupId)}`);
  const group = await markFaqGroup(groupId, body, ops.userId, nowIso());
  if (!group) throw notFound(`no FAQ group ${groupId}`);
  return json(200, viewOf(group));
};

export const handler = apiHandler(markFaqGroupHandler);
