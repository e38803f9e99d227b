import { getLocal } from '../api.ts';
import { badge, h, mount } from '../dom.ts';
import { dateTime } from '../format.ts';
import type { OutboxEntry } from '../types.ts';

/** Each channel's badge: its text and style. */
const BADGES: Record<OutboxEntry['channel'], readonly [string, string]> = {
  email: ['email', 'muted'],
  sns: ['SNS', 'at_risk'],
  eventbridge: ['event', 'muted'],
};

/**
 * Everything the product sent: SES emails to sellers and buyers and SNS escalations to teams, newest
 * first, as the local SES and SNS endpoints received them (on AWS this is the mail log and the topics).
 */
export const outboxPage = (root: HTMLElement, params: URLSearchParams) => {
  const caseId = params.get('caseId') ?? '';
  const load = async () => {
    const entries = await getLocal<OutboxEntry[]>(
      `/dev/outbox${caseId ? `?caseId=${encodeURIComponent(caseId)}` : ''}`,
    );
    const newest = [...entries].reverse();
    mount(
      root,
      h('h1', {}, caseId ? `Outbox for ${caseId}` : 'Outbox'),
      h(
        'p',
        { class: 'muted' },
        `${entries.length} message${entries.length === 1 ? '' : 's'}: emails (SES), escalations (SNS) and domain events (EventBridge).`,
      ),
      newest.map((m) =>
        h(
          'details',
          { class: `outbox ${m.channel}`, 'data-channel': m.channel },
          h(
            'summary',
            {},
            badge(BADGES[m.channel][0], BADGES[m.channel][1]),
            h('span', { class: 'when' }, ` ${dateTime(m.sentAt)} `),
            h('strong', {}, m.subject),
            ` → ${m.to}`,
            m.caseId ? [' · ', h('a', { href: `#/cases/${m.caseId}` }, m.caseId)] : null,
          ),
          h('pre', {}, m.text),
        ),
      ),
    );
    root.dataset.loaded = 'true';
  };
  load().catch((error: Error) =>
    mount(root, h('h1', {}, 'Outbox'), h('p', { class: 'error' }, error.message)),
  );
  const timer = setInterval(() => {
    if (document.visibilityState === 'visible' && !root.querySelector('details[open]'))
      load().catch(() => undefined);
  }, 5000);
  return () => clearInterval(timer);
};
