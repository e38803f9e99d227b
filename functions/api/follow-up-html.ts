import type { ApiResult } from '#commons/http/api-handler.ts';

/**
 * The small pages the follow-up's email links open (show-follow-up.ts, answer-follow-up-link.ts): plain
 * HTML, every value escaped, no script; the form posts to the address it was opened from. Kept out of
 * caches and referrers: the address carries the seller's signed token.
 */
const escapeHtml = (s: string): string =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

const HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'content-security-policy':
    "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
};

export const page = (status: number, title: string, body: string): ApiResult => ({
  statusCode: status,
  headers: HEADERS,
  body: `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)}</title><style>body{font:16px/1.5 system-ui,sans-serif;max-width:36rem;margin:2rem auto;padding:0 1rem}fieldset{border:1px solid #ccc;margin:1rem 0}textarea{width:100%}button{font-size:1rem;padding:.4rem 1rem}</style></head><body><h1>${escapeHtml(title)}</h1>${body}</body></html>`,
});

export const paragraph = (text: string): string => `<p>${escapeHtml(text)}</p>`;

/** The question, with the link's answer preselected; posting it answers the follow-up. */
export const formPage = (
  caseId: string,
  preselect: { readonly rating?: number | undefined; readonly handled?: boolean | undefined },
): ApiResult => {
  const handled = preselect.handled ?? true;
  const radio = (name: string, value: string, label: string, checked: boolean) =>
    `<label><input type="radio" name="${name}" value="${value}"${checked ? ' checked' : ''}> ${escapeHtml(label)}</label><br>`;
  return page(
    200,
    `Was your concern handled? (case ${caseId})`,
    [
      paragraph('Nothing is recorded until you confirm below.'),
      '<form method="post">',
      '<fieldset><legend>Was it handled?</legend>',
      radio('handled', 'yes', 'Yes, it was handled', handled),
      radio(
        'handled',
        'no',
        'No, it was not handled (we reopen the case while it can be reopened)',
        !handled,
      ),
      '</fieldset><fieldset><legend>How well did we handle it? (optional)</legend>',
      ...[5, 4, 3, 2, 1].map((r) => radio('rating', String(r), `${r}`, preselect.rating === r)),
      '</fieldset>',
      '<label for="comment">Anything to add? (optional, up to 2,000 characters)</label>',
      '<textarea id="comment" name="comment" rows="5" maxlength="2000"></textarea>',
      '<p><button type="submit">Confirm</button></p>',
      '</form>',
    ].join(''),
  );
};

/** What the seller's answer recorded (and, when "not handled" did not reopen the case, why). */
export const answeredPage = (
  status: number,
  caseId: string,
  answer: {
    readonly handled: boolean;
    readonly rating?: number | null | undefined;
    readonly reopened: boolean;
  },
  note?: string,
): ApiResult =>
  page(
    status,
    'Thank you',
    paragraph(
      `Your answer about case ${caseId} is recorded: ${answer.handled ? 'handled' : 'not handled'}${
        answer.rating ? `, rated ${answer.rating} of 5` : ''
      }${answer.reopened ? '; the case is reopened for the team that owns it' : ''}.`,
    ) + (note ? paragraph(`Note: ${note}.`) : ''),
  );

/** An error as a page: its message and each issue as `field: reason`. */
export const errorPage = (
  status: number,
  message: string,
  issues: readonly { readonly path: string; readonly reason: string }[] = [],
): ApiResult =>
  page(
    status,
    status === 422 ? 'Please check your answer' : status === 404 ? 'This link is not valid' : 'Not recorded',
    paragraph(message) +
      (issues.length > 0
        ? `<ul>${issues.map((i) => `<li>${escapeHtml(i.path)}: ${escapeHtml(i.reason)}</li>`).join('')}</ul>`
        : ''),
  );
