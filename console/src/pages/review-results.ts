import { get } from '../api.ts';
import { barChart } from '../charts/bar-chart.ts';
import { h, mount, svg } from '../dom.ts';
import { number, words } from '../format.ts';
import type { ReviewDimension, ReviewFigures, ReviewResults } from '../types.ts';
import { CRITERIA } from './reviews.ts';

const DIMENSIONS: readonly (readonly [ReviewDimension, string])[] = [
  ['team', 'Team'],
  ['agent', 'Agent'],
  ['template', 'Template version'],
  ['family', 'Issue family'],
  ['reason', 'Why reviewed'],
];

const label = (by: ReviewDimension, f: ReviewFigures) =>
  by === 'agent' || by === 'template' ? f.segment : words(f.segment);

/**
 * Review results: the mean score of each criterion (1–5) over every review, and by team, agent (whose
 * decision it was), template version (the last email to the seller before the decision), family and why
 * the case was reviewed — read from totals kept as reviews commit, never recomputed over them.
 */
export const reviewResultsPage = (root: HTMLElement, params: URLSearchParams) => {
  const by = (DIMENSIONS.find(([d]) => d === params.get('by'))?.[0] ?? 'team') satisfies ReviewDimension;
  const byLabel = DIMENSIONS.find(([d]) => d === by)?.[1] ?? by;
  mount(root, h('h1', {}, 'Review results'), h('p', { class: 'muted' }, 'Loading…'));
  void (async () => {
    try {
      const results = await get<ReviewResults>('/ops/reviews/scores');
      const lines = results.segments[by];
      const cell = (_figures: ReviewFigures, id: string, value: string) => h('td', { 'data-kpi': id }, value);
      mount(
        root,
        h('h1', {}, 'Review results'),
        h(
          'p',
          { class: 'muted' },
          'Mean scores from 1 (poor) to 5 (exemplary). ',
          h('a', { href: '#/reviews' }, '← the queue'),
        ),
        h(
          'div',
          { class: 'kpis', id: 'review-kpis' },
          h(
            'div',
            { class: 'kpi', 'data-kpi': 'reviews' },
            h('span', { class: 'label' }, 'Reviews'),
            h('strong', {}, String(results.all.reviews)),
            h('small', {}, `${results.all.lowScored} with a score of 2 or less`),
          ),
          h(
            'div',
            { class: 'kpi', 'data-kpi': 'overall' },
            h('span', { class: 'label' }, 'Overall'),
            h('strong', {}, number(results.all.overall)),
            h('small', {}, 'the mean of the four criteria'),
          ),
          CRITERIA.map(([id, name]) =>
            h(
              'div',
              { class: 'kpi', 'data-kpi': id },
              h('span', { class: 'label' }, name),
              h('strong', {}, number(results.all.criteria[id].mean)),
              h('small', {}, results.all.criteria[id].distribution.join(' · ')),
            ),
          ),
        ),
        h(
          'nav',
          { class: 'segments', 'aria-label': 'Segment by' },
          'Segment by: ',
          DIMENSIONS.map(([d, name]) =>
            h(
              'a',
              {
                href: `#/review-results?by=${d}`,
                class: d === by ? 'active' : undefined,
                'aria-current': d === by ? 'page' : undefined,
              },
              name,
            ),
          ),
        ),
        lines.length === 0
          ? h('p', { class: 'empty' }, 'No reviews yet.')
          : [
              h(
                'table',
                { class: 'scoreboard review-results', 'data-by': by },
                h(
                  'thead',
                  {},
                  h(
                    'tr',
                    {},
                    h('th', { scope: 'col' }, byLabel),
                    h('th', { scope: 'col' }, 'Reviews'),
                    h('th', { scope: 'col' }, 'Overall'),
                    CRITERIA.map(([, name]) => h('th', { scope: 'col' }, name)),
                    h('th', { scope: 'col' }, 'Scored 2 or less'),
                  ),
                ),
                h(
                  'tbody',
                  {},
                  lines.map((f) =>
                    h(
                      'tr',
                      { 'data-segment': f.segment },
                      h('th', { scope: 'row' }, label(by, f)),
                      cell(f, 'reviews', String(f.reviews)),
                      cell(f, 'overall', number(f.overall)),
                      CRITERIA.map(([id]) => cell(f, id, number(f.criteria[id].mean))),
                      cell(f, 'low', String(f.lowScored)),
                    ),
                  ),
                ),
              ),
              h(
                'div',
                { class: 'charts' },
                // Two criteria a chart: the chart's legend has room for two short names side by side.
                (
                  [
                    [
                      'Decision and policy',
                      'decisionCorrectness',
                      'correctness',
                      'policyAdherence',
                      'policy',
                    ],
                    [
                      'Explanation and handoff',
                      'explanationClarity',
                      'clarity',
                      'handoffCompleteness',
                      'handoff',
                    ],
                  ] as const
                ).map(([title, a, aName, b, bName]) =>
                  svg(
                    barChart({
                      title: `${title} by ${byLabel.toLowerCase()} (mean, 1–5)`,
                      series: [aName, bName],
                      rows: lines.map((f) => ({
                        label: label(by, f),
                        values: [f.criteria[a].mean, f.criteria[b].mean],
                      })),
                      format: (v) => number(v),
                      max: 5,
                    }),
                  ),
                ),
              ),
            ],
      );
      root.dataset.loaded = 'true';
    } catch (error) {
      mount(root, h('h1', {}, 'Review results'), h('p', { class: 'error' }, (error as Error).message));
    }
  })();
  return () => {};
};
