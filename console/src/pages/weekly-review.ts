import type { WeeklyReview } from '../../../functions/domain/weekly-review.ts';
import { ApiError, get } from '../api.ts';
import { barChart } from '../charts/bar-chart.ts';
import { h, mount, svg } from '../dom.ts';
import { hours, number, percent, words } from '../format.ts';

/** Example cases as links to their pages (a figure lists the first few it counts). */
const caseLinks = (ids: readonly string[]) =>
  ids.length === 0
    ? '—'
    : h(
        'span',
        { class: 'case-links' },
        ids.flatMap((id, i) => [
          i > 0 ? ', ' : '',
          h('a', { href: `#/cases/${encodeURIComponent(id)}` }, id),
        ]),
      );

/** A table of a figure's lines, the last column its example cases. */
const figureTable = (
  id: string,
  headers: readonly string[],
  rows: readonly { key: string; cells: readonly string[]; cases: readonly string[] }[],
) =>
  rows.length === 0
    ? h('p', { class: 'muted', 'data-figure': id }, 'None this week.')
    : h(
        'table',
        { class: 'scoreboard', 'data-figure': id },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            [...headers, 'Cases'].map((c) => h('th', { scope: 'col' }, c)),
          ),
        ),
        h(
          'tbody',
          {},
          rows.map((r) =>
            h(
              'tr',
              { 'data-row': r.key },
              h('th', { scope: 'row' }, r.cells[0] ?? ''),
              r.cells.slice(1).map((c) => h('td', {}, c)),
              h('td', { class: 'cases' }, caseLinks(r.cases)),
            ),
          ),
        ),
      );

const chart = (markup: string | undefined) => (markup ? h('figure', {}, svg(markup)) : null);

/** A section per figure: a heading, a chart (where there is something to draw) and its table. */
const section = (id: string, title: string, ...children: (HTMLElement | null)[]) =>
  h(
    'section',
    { class: 'panel', id, 'aria-labelledby': `${id}-title` },
    h('h2', { id: `${id}-title` }, title),
    children,
  );

const count = (v: number) => String(v);

const figures = (r: WeeklyReview) => {
  const ttr = r.timeToResolution;
  return [
    section(
      'where-the-time-went',
      'Where the time went',
      h(
        'p',
        {},
        ttr.stretches === 0
          ? 'No case was resolved this week.'
          : `${ttr.stretches} resolution${ttr.stretches === 1 ? '' : 's'}: ${hours(ttr.hours)} from intake (or a reopen or an appeal) to resolution in all, ${hours(ttr.meanHours)} on average.`,
      ),
      chart(
        ttr.phases.length > 0
          ? barChart({
              title: 'Share of time to resolution by phase',
              series: ['share'],
              rows: ttr.phases.map((p) => ({ label: words(p.phase), values: [p.share] })),
              format: (v) => percent(v),
              max: 1,
            })
          : undefined,
      ),
      figureTable(
        'phases',
        ['Phase', 'Time', 'Share', 'Resolutions'],
        ttr.phases.map((p) => ({
          key: p.phase,
          cells: [p.label, hours(p.hours), percent(p.share), count(p.stretches)],
          cases: p.cases,
        })),
      ),
      h('h3', {}, 'Teams holding the largest share'),
      chart(
        ttr.teams.length > 0
          ? barChart({
              title: 'Hours held by team',
              series: ['queued', 'with an agent', 'after an escalation'],
              rows: ttr.teams.map((t) => ({
                label: words(t.team),
                values: [t.queuedHours, t.withAgentHours, t.escalatedHours],
              })),
              format: hours,
            })
          : undefined,
      ),
      figureTable(
        'teams',
        ['Team', 'Time held', 'Share', 'Queued', 'With an agent', 'After an escalation'],
        ttr.teams.map((t) => ({
          key: t.team,
          cells: [
            words(t.team),
            hours(t.hours),
            percent(t.share),
            hours(t.queuedHours),
            hours(t.withAgentHours),
            hours(t.escalatedHours),
          ],
          cases: t.cases,
        })),
      ),
    ),
    section(
      'escalation-reasons',
      'Most common escalation reasons',
      chart(
        r.escalationReasons.length > 0
          ? barChart({
              title: 'Escalations by reason',
              series: ['escalations'],
              rows: r.escalationReasons.map((e) => ({ label: words(e.reason), values: [e.count] })),
              format: count,
            })
          : undefined,
      ),
      figureTable(
        'escalations',
        ['Reason', 'Escalations'],
        r.escalationReasons.map((e) => ({
          key: e.reason,
          cells: [words(e.reason), count(e.count)],
          cases: e.cases,
        })),
      ),
    ),
    section(
      'reopens',
      `Most reopened (${r.reopens.total} reopen${r.reopens.total === 1 ? '' : 's'})`,
      chart(
        r.reopens.reasons.length > 0
          ? barChart({
              title: 'Reopens by family and reason',
              series: ['reopens'],
              rows: r.reopens.reasons.map((x) => ({
                label: `${words(x.family)}: ${words(x.reason)}`,
                values: [x.count],
              })),
              format: count,
            })
          : undefined,
      ),
      figureTable(
        'reopen-families',
        ['Family', 'Reopens'],
        r.reopens.families.map((f) => ({
          key: f.family,
          cells: [words(f.family), count(f.count)],
          cases: f.cases,
        })),
      ),
      figureTable(
        'reopen-reasons',
        ['Family', 'Reason', 'Reopens'],
        r.reopens.reasons.map((x) => ({
          key: `${x.family}/${x.reason}`,
          cells: [words(x.family), words(x.reason), count(x.count)],
          cases: x.cases,
        })),
      ),
    ),
    section(
      'bounced-transfers',
      'Transfers that bounced',
      figureTable(
        'bounces',
        ['Path', 'Bounced', 'Times'],
        r.bouncedTransfers.map((b) => ({
          key: b.path.join('>'),
          cells: [b.path.map(words).join(' → '), b.kind, count(b.count)],
          cases: b.cases,
        })),
      ),
    ),
    section(
      'sla-breaches',
      'SLA breaches by team',
      chart(
        r.slaBreaches.length > 0
          ? barChart({
              title: 'SLA breaches by team',
              series: ['breaches'],
              rows: r.slaBreaches.map((b) => ({ label: words(b.team), values: [b.count] })),
              format: count,
            })
          : undefined,
      ),
      figureTable(
        'breaches',
        ['Team', 'Breaches'],
        r.slaBreaches.map((b) => ({ key: b.team, cells: [words(b.team), count(b.count)], cases: b.cases })),
      ),
    ),
    section(
      'templates',
      'Template versions with the worst reopen rate or CSAT',
      chart(
        r.templates.worstReopenRate.length > 0
          ? barChart({
              title: 'Reopen rate by template version',
              series: ['reopen rate'],
              rows: r.templates.worstReopenRate.map((t) => ({ label: t.template, values: [t.reopenRate] })),
              format: (v) => percent(v),
              max: 1,
            })
          : undefined,
      ),
      figureTable(
        'worst-reopen-rate',
        ['Template', 'Resolved', 'Reopened', 'Reopen rate'],
        r.templates.worstReopenRate.map((t) => ({
          key: t.template,
          cells: [t.template, count(t.resolved), count(t.reopened), percent(t.reopenRate)],
          cases: t.cases,
        })),
      ),
      chart(
        r.templates.worstCsat.length > 0
          ? barChart({
              title: 'Mean CSAT (1–5) by template version',
              series: ['mean rating'],
              rows: r.templates.worstCsat.map((t) => ({ label: t.template, values: [t.csat.meanRating] })),
              format: (v) => number(v),
              max: 5,
            })
          : undefined,
      ),
      figureTable(
        'worst-csat',
        ['Template', 'Answers', 'Mean rating', 'Not handled'],
        r.templates.worstCsat.map((t) => ({
          key: t.template,
          cells: [t.template, count(t.csat.responses), number(t.csat.meanRating), count(t.csat.notHandled)],
          cases: t.cases,
        })),
      ),
    ),
  ];
};

/**
 * The weekly review (seed 000: "weekly reviews of the top delays and the most common escalation reasons"):
 * an ISO week's figures as charts and tables, each line with its example cases linked to their pages. The
 * week is in the URL (`#/weekly?week=2026-W49`); without one, the API's current week.
 */
export const weeklyReviewPage = (root: HTMLElement, params: URLSearchParams) => {
  const asked = params.get('week');
  mount(root, h('h1', {}, 'Weekly review'), h('p', { class: 'muted' }, 'Loading…'));
  const go = (week: string) => {
    location.hash = `#/weekly?week=${encodeURIComponent(week)}`;
  };
  const picker = (week: string) => {
    const input = h('input', {
      type: 'week',
      id: 'review-week',
      value: week,
      'aria-label': 'ISO week',
      onchange: (event) => {
        const value = (event.target as HTMLInputElement).value;
        if (value) go(value);
      },
    }) as HTMLInputElement;
    const step = (by: number) => () => {
      if (by < 0) input.stepDown();
      else input.stepUp();
      if (input.value) go(input.value);
    };
    return h(
      'nav',
      { class: 'segments', 'aria-label': 'Week' },
      h('button', { type: 'button', onclick: step(-1) }, '← previous week'),
      ' ',
      h('label', {}, 'Week ', input),
      ' ',
      h('button', { type: 'button', onclick: step(1) }, 'next week →'),
    );
  };
  const load = async () => {
    const review = await get<WeeklyReview>(
      `/ops/reviews/weekly${asked ? `?week=${encodeURIComponent(asked)}` : ''}`,
    );
    mount(
      root,
      h('h1', {}, `Weekly review ${review.week}`),
      h(
        'p',
        { class: 'muted' },
        `${review.from.slice(0, 10)} to ${new Date(Date.parse(review.to) - 1).toISOString().slice(0, 10)} (UTC). ` +
          `Each figure lists up to ${review.examplesPerFigure} example cases. ` +
          'Time to resolution counts in the week of the resolution; a template version counts the resolutions it ended that week and what came of them.',
      ),
      picker(review.week),
      h('div', { class: 'weekly-review' }, figures(review)),
    );
    root.dataset.loaded = 'true';
  };
  load().catch((error: Error) =>
    mount(
      root,
      h('h1', {}, 'Weekly review'),
      picker(asked ?? ''),
      h(
        'p',
        { class: 'error', role: 'alert' },
        error.message,
        error instanceof ApiError && error.issues.length
          ? h(
              'ul',
              {},
              error.issues.map((i) => h('li', {}, `${i.path}: ${i.reason}`)),
            )
          : null,
      ),
    ),
  );
  return () => undefined;
};
