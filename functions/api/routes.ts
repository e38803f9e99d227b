import type { FunctionId } from '../registry.ts';

/**
 * The HTTP API's routes: API Gateway on AWS and the local HTTP adapter are both built from this list.
 * Every route sits behind the JWT authorizer (role checks happen in the handlers, from the verified
 * claims) except those marked `auth: 'none'`: pages an email links to, whose signed token in the path is
 * the only credential (the seller reading their mail holds no API token).
 */
export interface RouteSpec {
  readonly method: 'GET' | 'POST' | 'PUT';
  /** API Gateway path syntax: `{name}` for a path parameter. */
  readonly path: string;
  readonly functionId: FunctionId;
  /** `none`: no JWT authorizer; the handler checks the signed token its path carries. */
  readonly auth?: 'none';
  /**
   * The route's contract and OpenAPI operationId when one function serves several routes of a feature (the
   * follow-up's three: a function is some ten CloudFormation resources, and the stack stays under 500).
   */
  readonly operation?: string;
}

export const ROUTES = [
  { method: 'GET', path: '/families', functionId: 'ListFamilies' },
  { method: 'POST', path: '/cases', functionId: 'CreateCase' },
  { method: 'GET', path: '/cases/{caseId}', functionId: 'GetCase' },
  { method: 'POST', path: '/cases/{caseId}/evidence/uploads', functionId: 'CreateUpload' },
  { method: 'POST', path: '/cases/{caseId}/evidence', functionId: 'AddEvidence' },
  { method: 'POST', path: '/cases/{caseId}/appeal', functionId: 'AppealCase' },
  { method: 'POST', path: '/cases/{caseId}/reopen', functionId: 'ReopenCase' },
  { method: 'POST', path: '/cases/{caseId}/mediation', functionId: 'RespondToMediation' },
  { method: 'POST', path: '/cases/{caseId}/follow-up', functionId: 'FollowUp', operation: 'AnswerFollowUp' },
  {
    method: 'GET',
    path: '/follow-up/{token}',
    functionId: 'FollowUp',
    operation: 'ShowFollowUp',
    auth: 'none',
  },
  {
    method: 'POST',
    path: '/follow-up/{token}',
    functionId: 'FollowUp',
    operation: 'AnswerFollowUpLink',
    auth: 'none',
  },
  { method: 'GET', path: '/ops/sla', functionId: 'GetSlaBoard' },
  { method: 'GET', path: '/ops/metrics', functionId: 'GetMetrics' },
  { method: 'GET', path: '/ops/faq', functionId: 'ListFaqGroups' },
  { method: 'PUT', path: '/ops/faq/groups/{groupId}/candidate', functionId: 'MarkFaqGroup' },
  { method: 'GET', path: '/ops/reviews/weekly', functionId: 'GetWeeklyReview' },
  { method: 'GET', path: '/ops/cases', functionId: 'ListOpsCases' },
  { method: 'GET', path: '/ops/replay/cases', functionId: 'ListReplayCases' },
  { method: 'GET', path: '/ops/cases/{caseId}/execution', functionId: 'GetCaseExecution' },
  { method: 'GET', path: '/ops/cases/{caseId}', functionId: 'GetOpsCase' },
  { method: 'POST', path: '/ops/cases/{caseId}/decision', functionId: 'RecordDecision' },
  { method: 'POST', path: '/ops/cases/{caseId}/transfer', functionId: 'TransferCase' },
  { method: 'POST', path: '/ops/cases/{caseId}/assign', functionId: 'AssignCase' },
  { method: 'POST', path: '/ops/cases/{caseId}/notes', functionId: 'AddCaseNote' },
  { method: 'POST', path: '/ops/cases/{caseId}/replies', functionId: 'ReplyToSeller' },
  { method: 'POST', path: '/ops/queue/next', functionId: 'TakeNextCase' },
  { method: 'GET', path: '/ops/reviews/queue', functionId: 'Reviews', operation: 'GetReviewQueue' },
  { method: 'POST', path: '/ops/reviews/{caseId}', functionId: 'Reviews', operation: 'SubmitReview' },
  { method: 'GET', path: '/ops/reviews/scores', functionId: 'Reviews', operation: 'GetReviewScores' },
  { method: 'GET', path: '/ops/agents', functionId: 'ListAgents' },
  { method: 'PUT', path: '/ops/agents/{agentId}', functionId: 'PutAgent' },
  { method: 'PUT', path: '/ops/agents/{agentId}/status', functionId: 'SetAgentStatus' },
] as const satisfies readonly RouteSpec[];
