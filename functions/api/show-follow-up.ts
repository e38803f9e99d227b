import { requireEnv } from '#commons/config.ts';
import { ENV } from '#commons/env-names.ts';
import type { ApiEvent } from '#commons/http/api-handler.ts';
import { logCaseKeys } from '#domain/case-loader.ts';
import { getCase } from '#domain/case-store.ts';
import { readFollowUpToken } from '#domain/follow-up-token.ts';
import { secretString } from '#gateways/secrets.ts';
import { followUpPreselect } from './contracts.ts';
import { answeredPage, errorPage, formPage, page, paragraph } from './follow-up-html.ts';

const config = { secretArn: requireEnv(ENV.replyTokenSecretArn) };

/**
 * `GET /follow-up/{token}`: the page a follow-up email's link opens — the question with the link's answer
 * preselected, and a form that posts it. Opening it changes nothing (mail scanners open links), so it is
 * safe to open twice; once the follow-up is answered it shows what was recorded.
 */
export const showFollowUp = async (event: ApiEvent) => {
  const read = readFollowUpToken(await secretString(config.secretArn), event.pathParameters?.token ?? '');
  if (!read) return errorPage(404, 'This link is not one of ours, or it was changed on the way.');
  const parsed = followUpPreselect.safeParse({
    rating: event.queryStringParameters?.rating,
    handled: event.queryStringParameters?.handled,
  });
  if (!parsed.success) {
    return errorPage(
      422,
      'This link was changed on the way; open it again from the email.',
      parsed.error.issues.map((i) => ({ path: `query.${i.path.join('.')}`, reason: i.message })),
    );
  }
  const record = await getCase(read.caseId);
  if (!record) return errorPage(404, 'This link is not one of ours, or it was changed on the way.');
  logCaseKeys(record);
  const followUp = record.followUp;
  if (followUp?.id !== read.followUpId || followUp.status === 'scheduled')
    return page(
      200,
      'This question is closed',
      paragraph(
        `Case ${record.caseId} has moved on since this email; a new question follows its next resolution. The case page has its status.`,
      ),
    );
  if (followUp.status === 'answered' && followUp.answer)
    return answeredPage(200, record.caseId, followUp.answer);
  return formPage(record.caseId, {
    rating: parsed.data.rating === undefined ? undefined : Number(parsed.data.rating),
    handled: parsed.data.handled === undefined ? undefined : parsed.data.handled === 'yes',
  });
};
