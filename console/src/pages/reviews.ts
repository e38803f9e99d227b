import { get, post } from '../api.ts';
import { badge, facts, h, mount, panel } from '../dom.ts';
import { dateTime, words } from '../format.ts';
import type { CaseListPage, OpsCase, QueueLine, ReviewCriterion, ReviewQueuePage } from '../types.ts';
import { problem } from './case-actions.ts';
import { messagesPanel, timelinePanel } from './case-page.ts';

/** The four things a reviewer scores, with what each asks. */
export const CRITERIA: readonly (readonly [ReviewCriterion, string, string])[] = [
  ['decisionCorrectness', 'Decision correctness', 'was the outcome right, on the evidence and the policy'],
  ['explanationClarity', 'Explanation clarity', 'could the seller understand why, and what they can do'],
  ['handoffCompleteness', 'Handoff completeness', 'did the handoff carry what the team needed to decide'],
  ['policyAdherence', 'Policy adherence', 'did the handling follow the family’s policy'],
];

const PAGE = 25;

const reasonBadge = (reason: string) =>
  badge(reason === 'sample' ? 'sampled' : 'appeal overturned', reason === 'sample' ? 'muted' : 'breached');

const queueHref = (family: string, caseId?: string) => {
  const query = new URLSearchParams({ ...(family ? { family } : {}), ...(caseId ? { case: caseId } : {}) });
  return `#/reviews${query.size ? `?${query}` : ''}`;
};

const queueTable = (entries: readonly QueueLine[], family: string, selected: string) =>
  h(
    'table',
    { class: 'review-queue' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ['Case', 'Family', 'Why', 'Decision', 'Agent', 'Team', 'Template', 'Queued', ''].map((t) =>
          h('th', { scope: 'col' }, t),
        ),
      ),
    ),
    h(
      'tbody',
      {},
      entries.map((e) =>
        h(
          'tr',
          { 'data-case-id': e.caseId, 'aria-selected': e.caseId === selected ? 'true' : undefined },
          h('td', {}, h('a', { href: `#/cases/${encodeURIComponent(e.caseId)}` }, e.caseId)),
          h('td', {}, words(e.family)),
          h('td', {}, reasonBadge(e.reason)),
          h(
            'td',
            {},
            words(e.outcome),
            e.overturnedBy
              ? h('small', { class: 'muted' }, ` → ${words(e.overturnedBy.outcome)} on appeal`)
              : null,
          ),
          h('td', {}, e.agent),
          h('td', {}, words(e.team)),
          h('td', {}, h('code', {}, e.template)),
          h('td', {}, dateTime(e.queuedAt)),
          h(
            'td',
            {},
            e.mayReview
              ? h('a', { class: 'button', href: queueHref(family, e.caseId) }, 'Review')
              : h(
                  'span',
                  { class: 'muted', title: 'the decision’s deciders may not review it' },
                  'your decision',
                ),
          ),
        ),
      ),
    ),
  );

/** The handoff the team decided on: the last one before the decision, as the timeline recorded it. */
const handoffPanel = (c: OpsCase) => {
  const decided = c.timeline.findIndex((e) => e.type === 'case.decided' || e.type === 'appeal.decided');
  const before = decided < 0 ? c.timeline : c.timeline.slice(0, decided);
  const handoff = before.findLast((e) => e.type === 'case.handed_off' || e.type === 'appeal.handed_off');
  const payload =
    (handoff && 'data' in handoff ? (handoff.data?.payload as Record<string, unknown>) : undefined) ?? {};
  const show = (v: unknown): string | undefined => {
    if (v === undefined || v === null) return undefined;
    if (Array.isArray(v)) return v.length ? v.map((x) => show(x)).join(', ') : 'none';
    if (typeof v === 'object')
      return Object.entries(v)
        .map(([k, x]) => `${k}: ${show(x)}`)
        .join('; ');
    return String(v);
  };
  return panel(
    'review-handoff',
    'Handoff the team decided on',
    handoff
      ? [
          h('p', {}, handoff.detail),
          facts([
            ['Team', words(show(payload.team))],
            ['Risk / urgency', `${show(payload.risk) ?? '—'} / ${show(payload.urgency) ?? '—'}`],
            ['Evidence received', show(payload.evidenceReceived)],
            ['Evidence missing', show(payload.evidenceMissing)],
            ['Routing', show(payload.routing)],
            ['Appeal of', show(payload.appealOf)],
            ['Details', show(payload.details)],
          ]),
        ]
      : h('p', { class: 'muted' }, 'No handoff on the timeline (decided without one).'),
  );
};

const decisionPanel = (c: OpsCase, entry: QueueLine | undefined) =>
  panel(
    'review-decision',
    'Decision under review',
    entry
      ? facts([
          ['Why queued', reasonBadge(entry.reason)],
          ['Outcome', words(entry.outcome)],
          ['Decided by', `${entry.decidedBy} at ${dateTime(entry.decidedAt)}`],
          ['Held by', entry.agent],
          ['Team', words(entry.team)],
          ['Last email before it', h('code', {}, entry.template)],
          [
            'Overturned by',
            entry.overturnedBy
              ? `${words(entry.overturnedBy.outcome)} (${entry.overturnedBy.decidedBy}, ${dateTime(entry.overturnedBy.decidedAt)})`
              : null,
          ],
          ['Deciders (may not review)', entry.deciders.join(', ') || '—'],
        ])
      : null,
    c.decision
      ? facts([
          ['Latest decision', words(c.decision.outcome)],
          ['Rationale', 'rationale' in c.decision ? c.decision.rationale : undefined],
          ['Recorded by', 'decidedBy' in c.decision ? c.decision.decidedBy : undefined],
        ])
      : null,
  );

/** The scoring form: 1–5 on each criterion (a low score asks for a comment), with comments. */
const reviewForm = (caseId: string, done: () => void) => {
  const result = h('div', { class: 'result', role: 'status' });
  const form = h(
    'form',
    { class: 'action review-form', name: 'review' },
    CRITERIA.map(([id, label, hint]) =>
      h(
        'fieldset',
        { 'data-criterion': id },
        h('legend', {}, label, ' ', h('small', { class: 'muted' }, hint)),
        h(
          'div',
          { class: 'scale' },
          [1, 2, 3, 4, 5].map((n) =>
            h(
              'label',
              {},
              h('input', { type: 'radio', name: id, value: String(n), 'aria-label': `${label} ${n}` }),
              String(n),
            ),
          ),
        ),
        h('textarea', {
          name: `comment-${id}`,
          rows: 2,
          placeholder: 'Comment (needed for a score of 2 or less)',
        }),
      ),
    ),
    h('label', {}, h('span', {}, 'Overall comment'), h('textarea', { name: 'comment-overall', rows: 3 })),
    h('button', { type: 'submit' }, 'Record review'),
    result,
  ) as HTMLFormElement;
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const text = (name: string) => String(data.get(name) ?? '').trim();
    const scores = Object.fromEntries(
      CRITERIA.flatMap(([id]) => (data.get(id) === null ? [] : [[id, Number(data.get(id))]])),
    );
    const comments = Object.fromEntries(
      [...CRITERIA.map(([id]) => id), 'overall'].flatMap((id) =>
        text(`comment-${id}`) ? [[id, text(`comment-${id}`)]] : [],
      ),
    );
    const button = form.querySelector('button');
    if (button) button.disabled = true;
    result.className = 'result';
    result.replaceChildren('Sending…');
    try {
      // The API decides what is missing or wrong (a score left out is a 422 naming it), and who may review.
      await post(`/ops/reviews/${encodeURIComponent(caseId)}`, {
        scores,
        ...(Object.keys(comments).length ? { comments } : {}),
      });
      result.className = 'result ok';
      result.replaceChildren('Recorded.');
      done();
    } catch (error) {
      result.className = 'result error';
      result.replaceChildren(...[problem(error)].flat().filter((n) => n !== null));
      if (button) button.disabled = false;
    }
  });
  return form;
};

/**
 * Reviews: the quality-review queue (a family's, or every family's, oldest first; sampled resolutions and
 * overturned appeals), and, for the case picked, what a reviewer needs to judge it — the decision under
 * review, the handoff the team decided on, the emails with their templates, the timeline — and the form
 * that scores it. The API refuses the decision's own deciders; the list says which are yours.
 */
export const reviewsPage = (root: HTMLElement, params: URLSearchParams) => {
  const family = params.get('family') ?? '';
  const selected = params.get('case') ?? '';
  const list = h('div', { id: 'review-queue' }, h('p', { class: 'muted' }, 'Loading…'));
  const detail = h('div', { id: 'review-case' });
  const picker = h(
    'select',
    { name: 'family', 'aria-label': 'Family' },
    h('option', { value: '' }, 'every family'),
  ) as HTMLSelectElement;
  picker.addEventListener('change', () => {
    location.hash = queueHref(picker.value);
  });
  mount(
    root,
    h('h1', {}, 'Reviews'),
    h(
      'p',
      { class: 'muted' },
      'Resolved cases waiting for a quality review: each family’s sample, and every appeal that overturned a decision. Score what the decider could not judge for themselves. ',
      h('a', { href: '#/review-results' }, 'Results →'),
    ),
    h('label', { class: 'filter' }, 'Family ', picker),
    list,
    detail,
  );

  let entries: QueueLine[] = [];
  const loadQueue = async (cursor?: string) => {
    const query = new URLSearchParams({
      limit: String(PAGE),
      ...(family ? { family } : {}),
      ...(cursor ? { cursor } : {}),
    });
    const page = await get<ReviewQueuePage>(`/ops/reviews/queue?${query}`);
    entries = cursor ? [...entries, ...page.entries] : page.entries;
    const more = page.nextCursor
      ? h(
          'button',
          { type: 'button', class: 'more', onclick: () => void loadQueue(page.nextCursor ?? undefined) },
          'More',
        )
      : null;
    mount(
      list,
      entries.length === 0
        ? h('p', { class: 'empty' }, 'Nothing waiting for a review.')
        : queueTable(entries, family, selected),
      more,
    );
  };

  const loadCase = async () => {
    if (!selected) return;
    mount(detail, h('p', { class: 'muted' }, 'Loading the case…'));
    try {
      const c = await get<OpsCase>(`/ops/cases/${encodeURIComponent(selected)}`);
      const entry = entries.find((e) => e.caseId === selected);
      mount(
        detail,
        h('h2', {}, `Review ${c.familyName}: ${c.subject} `, h('code', {}, c.caseId)),
        h(
          'div',
          { class: 'case-grid' },
          panel(
            'review-score',
            'Your review',
            reviewForm(selected, () => void loadQueue()),
          ),
          decisionPanel(c, entry),
          handoffPanel(c),
          messagesPanel(c),
          timelinePanel(c),
        ),
      );
    } catch (error) {
      mount(detail, h('p', { class: 'error' }, (error as Error).message));
    }
  };

  void (async () => {
    try {
      // The families from the ops list's filters: on AWS a staff token is good on /ops routes only.
      const { filters } = await get<CaseListPage>('/ops/cases?limit=1');
      for (const id of filters.family) picker.append(h('option', { value: id, selected: id === family }, id));
      await loadQueue();
      await loadCase();
      root.dataset.loaded = 'true';
    } catch (error) {
      mount(list, h('p', { class: 'error' }, (error as Error).message));
    }
  })();
  return () => {};
};
