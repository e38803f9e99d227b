import { notFound } from '#commons/errors.ts';
import { type ApiEvent, apiHandler, json } from '#commons/http/api-handler.ts';
import { requireOps } from '#commons/http/principal.ts';
import { caseIdParam, validate } from '#commons/http/request.ts';
import { logCaseKeys } from '#domain/case-loader.ts';
import { getCase } from '#domain/case-store.ts';
import { caseExecutions, executionDetail } from '#domain/executions.ts';
import { executionQuery } from './contracts.ts';

/**
 * `GET /ops/cases/{caseId}/execution[?name=]`: the case's workflow runs and one run's state machine
 * definition and event history (the latest run unless `name` picks another) — what the console draws.
 */
export const getCaseExecution = async (event: ApiEvent) => {
  requireOps(event);
  const caseId = caseIdParam(event);
  const { name } = validate(event.queryStringParameters ?? {}, executionQuery);
  const record = await getCase(caseId);
  if (!record) throw notFound(`no case ${caseId}`);
  logCaseKeys(record);
  const executions = await caseExecutions(record);
  const selected = name ? executions.find((e) => e.name === name) : executions.at(-1);
  if (!selected)
    throw notFound(name ? `case ${caseId} has no run named ${name}` : `case ${caseId} has no run yet`);
  return json(200, { caseId, executions, execution: selected, ...(await executionDetail(selected)) });
};

export const handler = apiHandler(getCaseExecution);
