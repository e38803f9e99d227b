import { requireEnv } from '#commons/config.ts';
import { ENV } from '#commons/env-names.ts';
import { ConflictError, conflict, HttpError, notFound, unsupportedMediaType } from '#commons/errors.ts';
import { type ApiEvent, json } from '#commons/http/api-handler.ts';
import { header, rawJsonBody, validate } from '#commons/http/request.ts';
import { logCaseKeys } from '#domain/case-loader.ts';
import { getCase } from '#domain/case-store.ts';
import { answerFollowUp } from '#domain/follow-up.ts';
import { readFollowUpToken } from '#domain/follow-up-token.ts';
import { secretString } from '#gateways/secrets.ts';
import { familyOf } from '#policy/families.ts';
import { followUpBody } from './contracts.ts';
import { answeredPage, errorPage } from './follow-up-html.ts';

const config = { secretArn: requireEnv(ENV.replyTokenSecretArn) };

const FORM = /^application\/x-www-form-urlencoded\s*(;|$)/i;

/**
 * The answer as the page's form sends it, in the portal route's terms: `handled` yes/no, a rating as text,
 * an empty comment box as no comment. Anything else is passed on as it came, for the schema to refuse.
 */
const fromForm = (text: string): Record<string, unknown> => {
  const form = new URLSearchParams(text);
  const answer: Record<string, unknown> = {};
  for (const [key, value] of form) {
    if (key === 'handled') answer.handled = value === 'yes' ? true : value === 'no' ? false : value;
    else if (key === 'rating') {
      if (value !== '') answer.rating = /^\d{1,3}$/.test(value) ? Number(value) : value;
    } else if (key === 'comment') {
      if (value.trim() !== '') answer.comment = value;
    } else answer[key] = value;
  }
  return answer;
};

/**
 * `POST /follow-up/{token}`: the follow-up answered through its email's signed link — the page's form
 * (answered with a page) or JSON (answered as `POST /cases/{caseId}/follow-up` is). The same use case and
 * the same rules: once per follow-up, "not handled" reopens within the window. The token is the credential.
 */
export const answerFollowUpLink = async (event: ApiEvent) => {
  const form = FORM.test(header(event, 'content-type') ?? '');
  try {
    const read = readFollowUpToken(await secretString(config.secretArn), event.pathParameters?.token ?? '');
    if (!read) throw notFound('this link is not one of ours, or it was changed on the way');
    let body: unknown;
    if (form) {
      const text = event.isBase64Encoded
        ? Buffer.from(event.body ?? '', 'base64').toString('utf8')
        : event.body;
      body = fromForm(text ?? '');
    } else if (/json/i.test(header(event, 'content-type') ?? '')) body = rawJsonBody(event);
    else
      throw unsupportedMediaType('send the answer as the page’s form or as application/json', [
        {
          path: 'headers.content-type',
          reason: 'must be application/x-www-form-urlencoded or application/json',
        },
      ]);
    const answer = validate(body, followUpBody);
    const record = await getCase(read.caseId);
    if (!record) throw notFound('this link is not one of ours, or it was changed on the way');
    logCaseKeys(record);
    if (record.followUp?.id !== read.followUpId)
      throw conflict(`case ${record.caseId} has moved on since this email; this question is closed`);
    const result = await answerFollowUp(record, familyOf(record.family), record.sellerId, answer);
    const status = result.reopened ? 202 : 200;
    if (!form) return json(status, { ...result, links: { self: `/cases/${record.caseId}` } });
    return answeredPage(status, record.caseId, result, result.note);
  } catch (error) {
    if (!form) throw error;
    // A form gets a page; JSON callers get the API's error envelope (api-handler.ts).
    if (error instanceof ConflictError)
      return errorPage(
        409,
        'Someone answered at the same moment; open the link again to see what was recorded.',
      );
    if (error instanceof HttpError && error.expose)
      return errorPage(error.status, error.message, error.issues);
    throw error;
  }
};
