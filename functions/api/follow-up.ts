import { notFound } from '#commons/errors.ts';
import { type ApiEvent, apiHandler } from '#commons/http/api-handler.ts';
import { answerFollowUpRoute } from './answer-follow-up.ts';
import { answerFollowUpLink } from './answer-follow-up-link.ts';
import { showFollowUp } from './show-follow-up.ts';

/**
 * The follow-up's function: one Lambda for its three routes (routes.ts), each a thin handler of its own —
 * the portal's `POST /cases/{caseId}/follow-up`, and the email link's `GET`/`POST /follow-up/{token}`.
 */
const ROUTE_HANDLERS: Readonly<Record<string, (event: ApiEvent) => ReturnType<typeof showFollowUp>>> = {
  'POST /cases/{caseId}/follow-up': answerFollowUpRoute,
  'GET /follow-up/{token}': showFollowUp,
  'POST /follow-up/{token}': answerFollowUpLink,
};

export const followUpRoutes = async (event: ApiEvent) => {
  const route = ROUTE_HANDLERS[event.routeKey];
  if (!route) throw notFound(`no route ${event.routeKey}`);
  return route(event);
};

export const handler = apiHandler(followUpRoutes);
