import { get } from '../api.ts';
import { badge, type Child, facts, h, mount, panel } from '../dom.ts';
import { dateTime, hours, words } from '../format.ts';
import type { OpsCase } from '../types.ts';
import { actionsPanel, ownerPanel, replyPanel } from './case-actions.ts';
import { executionPanel } from './execution-view.ts';

const REFRESH_MS = 3000;
const SETTLED = new Set(['resolved', 'failed']);

// Intake fields by what they are about, so the page reads as seed 001's "one place": order, delivery and
// recovery context side by side. Anything not named here is still shown, under the case facts.
const DELIVERY = /carrier|tracking|shipped|deliver/i;
const RECOVERY = /login|contactEmail|accountId/i;
const HIDDEN = new Set(['family', 'reason', 'region', 'sellerEmail', 'channel']);

const value = (v: unknown): Child =>
  v === null || v === undefined ? '—' : typeof v === 'object' ? JSON.stringify(v) : String(v);

const intakeFacts = (intake: Record<string, unknown>, match: (key: string) => boolean) =>
  Object.entries(intake)
    .filter(([key]) => !HIDDEN.has(key) && match(key))
    .map(([key, v]) => [words(key.replace(/([a-z])([A-Z])/g, '$1 $2')).toLowerCase(), value(v)] as const);

const factsPanel = (c: OpsCase) => {
  const intake = c.intake as unknown as Record<string, unknown>;
  const delivery = intakeFacts(intake, (k) => DELIVERY.test(k));
  const recovery = c.family === 'account-recovery' ? intakeFacts(intake, (k) => RECOVERY.test(k)) : [];
  const other = intakeFacts(intake, (k) => !DELIVERY.test(k) && !(recovery.length && RECOVERY.test(k)));
  return panel(
    'facts',
    'Seller and order',
    facts([
      ['Seller', c.sellerId],
      ['Seller email', c.intake.sellerEmail],
      ['Seller tier', words(c.sellerTier)],
      ['Region', c.intake.region],
      ['Channel', c.channel],
      ['Reason', words(c.intake.reason)],
      ...other,
    ]),
    delivery.length ? [h('h3', {}, 'Delivery'), facts(delivery)] : null,
    recovery.length ? [h('h3', {}, 'Account recovery'), facts(recovery)] : null,
  );
};

/** The newest thing that passed between us and the seller (or buyer): an email sent or evidence received. */
const latestPanel = (c: OpsCase) => {
  const sent = c.messages.at(-1);
  const received = [...c.evidence].sort((a, b) => a.receivedAt.localeCompare(b.receivedAt)).at(-1);
  const latest =
    sent && (!received || sent.sentAt >= received.receivedAt)
      ? h(
          'div',
          {},
          h(
            'p',
            {},
            `Sent to the ${sent.audience} ${dateTime(sent.sentAt)}: `,
            h('strong', {}, sent.subject),
          ),
          h('p', { class: 'muted' }, `template ${sent.template}`),
        )
      : received
        ? h(
            'div',
            {},
            h(
              'p',
              {},
              `Received from the ${received.provider} by ${received.source} ${dateTime(received.receivedAt)}`,
            ),
            'redacted' in received
              ? h('p', { class: 'redacted' }, 'Protected content')
              : h('blockquote', {}, received.text ?? '(attachments only)'),
          )
        : h('p', { class: 'muted' }, 'Nothing sent or received yet.');
  return panel(
    'latest',
    'Latest communication',
    latest,
    h('p', {}, h('strong', {}, 'Next, as the seller reads it: '), c.next.action),
  );
};

const evidencePanel = (c: OpsCase) =>
  panel(
    'evidence',
    `Evidence (${c.evidence.length})`,
    h(
      'ul',
      { class: 'checklist' },
      c.evidenceChecklist.map((item) =>
        h('li', { class: item.status }, badge(item.status, item.status), ` ${item.label} (${item.provider})`),
      ),
    ),
    c.evidence.length === 0
      ? h('p', { class: 'muted' }, 'No evidence yet.')
      : c.evidence.map((e) =>
          h(
            'article',
            { class: 'evidence', 'data-evidence-id': e.evidenceId },
            h(
              'header',
              {},
              h('strong', {}, e.kinds.map((k) => words(k)).join(', ') || 'unclassified'),
              ` from the ${e.provider} by ${e.source}, ${dateTime(e.receivedAt)}`,
              'late' in e && e.late ? badge('late', 'at_risk') : null,
              'unparsed' in e && e.unparsed
                ? badge(
                    'unparsed: the whole message, as no words of its own could be told from its quote',
                    'muted',
                  )
                : null,
            ),
            'redacted' in e && e.redacted
              ? h(
                  'p',
                  { class: 'redacted', 'data-redacted': 'true' },
                  `Redacted: ${e.redacted.reason}. Visible to ${e.redacted.visibleTo.map(words).join(', ') || 'supervisors'}.`,
                )
              : 'text' in e && e.text
                ? h('blockquote', {}, e.text)
                : null,
            e.attachments.length
              ? h(
                  'ul',
                  { class: 'attachments' },
                  e.attachments.map((a) =>
                    'filename' in a
                      ? h(
                          'li',
                          {},
                          'url' in a && a.url
                            ? h('a', { href: a.url, target: '_blank', rel: 'noopener' }, a.filename)
                            : a.filename,
                          ` · ${a.contentType} · ${Math.ceil(a.size / 1024)} KiB`,
                          h('span', { class: 'hash', title: 'SHA-256' }, ` ${a.sha256.slice(0, 12)}…`),
                        )
                      : h('li', {}, `protected file · ${a.contentType} · ${Math.ceil(a.size / 1024)} KiB`),
                  ),
                )
              : null,
          ),
        ),
  );

export const messagesPanel = (c: OpsCase) =>
  panel(
    'messages',
    `Messages (${c.messages.length})`,
    c.messages.length === 0
      ? h('p', { class: 'muted' }, 'No email sent yet.')
      : c.messages.map((m) =>
          h(
            'details',
            { class: 'message' },
            h(
              'summary',
              {},
              h('span', { class: 'when' }, dateTime(m.sentAt)),
              ` to the ${m.audience}: `,
              h('strong', {}, m.subject),
              ' ',
              h('code', { class: 'template' }, m.template),
            ),
            h('pre', {}, m.text),
          ),
        ),
  );

const routingPanel = (c: OpsCase) =>
  panel(
    'routing',
    'Routing',
    c.routing
      ? [
          h(
            'p',
            {},
            'Routed to ',
            h('strong', {}, words(c.routing.team)),
            ` by rule ${c.routing.ruleId}: ${c.routing.reason}`,
          ),
          facts([
            ['Ruleset', c.routing.rulesetVersion],
            ...Object.entries(c.routing.matched).map(([k, v]) => [`matched ${k}`, value(v)] as const),
            ...(c.triage
              ? Object.entries(c.triage as unknown as Record<string, unknown>).map(
                  ([k, v]) => [`triage ${k}`, value(v)] as const,
                )
              : []),
            ['Transfers', String(c.counts.transfers)],
            ['Handed off by', c.handedOffBy?.join(', ')],
          ]),
        ]
      : h('p', { class: 'muted' }, 'Not routed yet.'),
  );

const slaFacts = (c: OpsCase) =>
  c.sla
    ? facts(
        Object.entries(c.sla).map(([name, clock]) => [
          words(name.replace(/([a-z])([A-Z])/g, '$1 $2')).toLowerCase(),
          `${clock.state}${clock.breached ? ', breached' : ''} · due ${dateTime(clock.dueAt)} · ${hours(clock.leftHours)} left of ${hours(clock.targetHours)}`,
        ]),
      )
    : null;

/** The follow-up after resolution: when it is asked, and what the seller answered (their comment is evidence). */
const followUpPanel = (c: OpsCase) => {
  const f = c.followUp;
  if (!f) return null;
  const answer = f.answer;
  return panel(
    'follow-up',
    'Follow-up',
    h(
      'p',
      { 'data-follow-up': f.status },
      f.status === 'scheduled'
        ? `Asks the seller whether the concern was handled on ${dateTime(f.dueAt)}`
        : f.status === 'asked'
          ? `Asked ${dateTime(f.askedAt)}; no answer yet`
          : `Answered ${dateTime(answer?.at)}: ${answer?.handled ? 'handled' : 'not handled'}${
              answer?.rating ? `, rated ${answer.rating} of 5` : ''
            }${answer?.reopened ? ' (reopened the case)' : ''}`,
    ),
  );
};

export const timelinePanel = (c: OpsCase) =>
  panel(
    'timeline',
    `Timeline (${c.timeline.length})`,
    h(
      'ol',
      { class: 'timeline' },
      c.timeline.map((e) =>
        h(
          'li',
          { 'data-type': e.type },
          h('span', { class: 'when' }, dateTime(e.at)),
          h('code', {}, e.type),
          h('span', { class: 'actor' }, e.actor),
          h('span', {}, e.detail),
          'data' in e && e.data
            ? h('details', {}, h('summary', {}, 'data'), h('pre', {}, JSON.stringify(e.data, null, 2)))
            : null,
        ),
      ),
    ),
  );

/**
 * Seed 001's "one place": the seller and order facts, delivery and recovery details where the family has
 * them, the latest communication, evidence with its files, messages with their template id@version, why
 * the case went where it did, its timeline, and its workflow run.
 */
export const casePage = (root: HTMLElement, caseId: string) => {
  const header = h('div', {});
  const sections = h('div', { class: 'case-grid' });
  const execution = executionPanel(caseId);
  mount(root, h('p', {}, h('a', { href: '#/cases' }, '← all cases')), header, sections, execution.element);

  let settled = false;
  let shownVersion = -1;
  const load = async () => {
    try {
      const c = await get<OpsCase>(`/ops/cases/${encodeURIComponent(caseId)}`);
      settled = SETTLED.has(c.status);
      // Redraw only when the case moved, so what the reader opened (a message, event data) stays open.
      // Nor while the user is filling in a decision or a transfer: the refresh would wipe it.
      if (c.version === shownVersion || sections.querySelector('form[data-dirty]')) {
        if (execution.running()) await execution.load();
        return;
      }
      shownVersion = c.version;
      mount(
        header,
        h('h1', {}, `${c.familyName}: ${c.subject}`),
        h(
          'p',
          { class: 'case-head' },
          h('code', {}, c.caseId),
          ' ',
          badge(c.statusLabel, `status-${c.status}`),
          c.escalationLevel > 0 ? badge(`escalated ×${c.escalationLevel}`, 'breached') : null,
          c.decision ? ` decided: ${words(c.decision.outcome)}` : null,
          ` · opened ${dateTime(c.createdAt)} · updated ${dateTime(c.updatedAt)}`,
        ),
        slaFacts(c),
      );
      mount(
        sections,
        actionsPanel(c, () => void load()),
        replyPanel(c, () => void load()),
        ownerPanel(c, () => void load()),
        factsPanel(c),
        latestPanel(c),
        routingPanel(c),
        evidencePanel(c),
        messagesPanel(c),
        followUpPanel(c),
        timelinePanel(c),
      );
      root.dataset.loaded = 'true';
    } catch (error) {
      mount(header, h('h1', {}, caseId), h('p', { class: 'error' }, (error as Error).message));
      settled = true;
    }
    await execution.load();
  };
  void load();
  // An open case moves on its own (replies, timers, decisions); a settled one does not.
  const timer = setInterval(() => {
    if (!settled && document.visibilityState === 'visible') void load();
  }, REFRESH_MS);
  return () => clearInterval(timer);
};
