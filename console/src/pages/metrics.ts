import { get } from '../api.ts';
import { barChart } from '../charts/bar-chart.ts';
import { h, mount, svg } from '../dom.ts';
import { hours, number, percent, words } from '../format.ts';
import type { Metrics, SegmentDimension, SegmentFigures } from '../types.ts';

const DIMENSIONS: readonly (readonly [SegmentDimension, string])[] = [
  ['family', 'Issue family'],
  ['sellerTier', 'Seller tier'],
  ['channel', 'Channel'],
  ['region', 'Region'],
  ['team', 'Team'],
  ['assignee', 'Assignee'],
  ['template', 'Template version'],
];

/** A follow-up tally as one line: mean rating, the share that said handled, how many answered. */
const csatLine = (c: SegmentFigures['csat'] | undefined) =>
  !c || c.responses === 0
    ? '—'
    : `${c.meanRating === null ? 'no rating' : `${number(c.meanRating)} / 5`} · ${percent(c.handledShare)} handled (${c.responses})`;

/** An agent's own figures, on the assignee lines: what they did, wherever their cases count now. */
const AGENT_KPIS: readonly {
  readonly id: string;
  readonly label: string;
  readonly show: (f: SegmentFigures) => string;
}[] = [
  { id: 'handled', label: 'Handled', show: (f) => String(f.agent?.handled ?? 0) },
  { id: 'handle-time', label: 'Median handle time', show: (f) => hours(f.agent?.medianHandleHours) },
  { id: 'reassigned-away', label: 'Reassigned away', show: (f) => String(f.agent?.reassignedAway ?? 0) },
  { id: 'agent-csat', label: 'CSAT of their decisions', show: (f) => csatLine(f.agent?.csat) },
];

/** The scoreboard's figures: the seed's headline metric first, then what keeps it honest. */
const KPIS: readonly {
  readonly id: string;
  readonly label: string;
  readonly show: (f: SegmentFigures) => string;
  readonly hint: string;
}[] = [
  {
    id: 'cases',
    label: 'Cases',
    show: (f) => `${f.cases} (${f.resolved} resolved)`,
    hint: 'opened, and resolved at least once',
  },
  {
    id: 'ttr',
    label: 'Time to resolution',
    show: (f) =>
      `${hours(f.timeToResolution.medianHours)} median · ${hours(f.timeToResolution.p90Hours)} p90`,
    hint: 'intake to first resolution',
  },
  {
    id: 'frt',
    label: 'First-response time',
    show: (f) => `${hours(f.firstResponse.medianHours)} median · ${hours(f.firstResponse.p90Hours)} p90`,
    hint: 'intake to the first email to the seller',
  },
  {
    id: 'reopen',
    label: 'Reopen rate',
    show: (f) => percent(f.reopenRate),
    hint: 'resolved cases the seller reopened',
  },
  {
    id: 'transfers',
    label: 'Transfers per case',
    show: (f) => `${number(f.transfersPerCase)} (${percent(f.transferredShare)} transferred)`,
    hint: 'team changes after routing',
  },
  {
    id: 'escalation',
    label: 'Escalation rate',
    show: (f) => percent(f.escalationRate),
    hint: 'cases escalated at least once',
  },
  {
    id: 'touchless',
    label: 'Solved without manual touch',
    show: (f) => percent(f.solvedWithoutTouchShare),
    hint: 'resolved with no action by a person on a team',
  },
  {
    id: 'touches',
    label: 'Manual touches per resolved case',
    show: (f) => number(f.manualTouchesPerResolved),
    hint: 'decisions, transfers and appeal decisions by people',
  },
  {
    id: 'csat',
    label: 'Seller satisfaction (follow-up)',
    show: (f) => csatLine(f.csat),
    hint: 'the follow-up after resolution: mean rating 1–5, share handled, answers',
  },
];

const charts = (segments: readonly SegmentFigures[], by: string) => {
  const label = (f: SegmentFigures) => words(f.segment);
  const share = (title: string, pick: (f: SegmentFigures) => number | null) =>
    barChart({
      title,
      series: [title],
      rows: segments.map((f) => ({ label: label(f), values: [pick(f)] })),
      format: (v) => percent(v),
      max: 1,
    });
  return [
    barChart({
      title: `Time to resolution by ${by}`,
      series: ['median', 'p90'],
      rows: segments.map((f) => ({
        label: label(f),
        values: [f.timeToResolution.medianHours, f.timeToResolution.p90Hours],
      })),
      format: hours,
    }),
    barChart({
      title: `First-response time by ${by}`,
      series: ['median', 'p90'],
      rows: segments.map((f) => ({
        label: label(f),
        values: [f.firstResponse.medianHours, f.firstResponse.p90Hours],
      })),
      format: hours,
    }),
    share(`Reopen rate by ${by}`, (f) => f.reopenRate),
    share(`Escalation rate by ${by}`, (f) => f.escalationRate),
    share(`Solved without manual touch by ${by}`, (f) => f.solvedWithoutTouchShare),
    barChart({
      title: `Mean follow-up rating by ${by}`,
      series: ['mean rating (1–5)'],
      rows: segments.map((f) => ({ label: label(f), values: [f.csat.meanRating] })),
      format: (v) => number(v),
      max: 5,
    }),
    share(`Handled, as sellers answered the follow-up, by ${by}`, (f) => f.csat.handledShare),
    barChart({
      title: `Transfers per case by ${by}`,
      series: ['transfers per case'],
      rows: segments.map((f) => ({ label: label(f), values: [f.transfersPerCase] })),
      format: (v) => number(v),
    }),
    barChart({
      title: `Cases by ${by}`,
      series: ['opened', 'resolved'],
      rows: segments.map((f) => ({ label: label(f), values: [f.cases, f.resolved] })),
      format: (v) => String(v),
    }),
  ];
};

/** The agents side by side (by id, as the rosters name them): decisions, cases taken away, handle time. */
const agentCharts = (segments: readonly SegmentFigures[]) => {
  const agents = segments.filter((f) => f.agent && f.segment !== 'unassigned');
  return [
    barChart({
      title: 'Cases handled and reassigned away by agent',
      series: ['handled', 'reassigned away'],
      rows: agents.map((f) => ({
        label: f.segment,
        values: [f.agent?.handled ?? 0, f.agent?.reassignedAway ?? 0],
      })),
      format: (v) => String(v),
    }),
    barChart({
      title: 'Median handle time by agent',
      series: ['median'],
      rows: agents.map((f) => ({ label: f.segment, values: [f.agent?.medianHandleHours ?? null] })),
      format: hours,
    }),
  ];
};

/**
 * The support scoreboard (seed 000 §6): the headline figures over every case, and each one segmented by
 * issue family, seller tier, channel, region, the team that owns a case or the agent who holds it (with
 * each agent's handled cases, median handle time and cases taken from them), because an average hides who
 * waits longest; and by template version (the last email before resolution), where the follow-up's
 * ratings show which wording works.
 */
export const metricsPage = (root: HTMLElement, params: URLSearchParams) => {
  const by = (DIMENSIONS.find(([d]) => d === params.get('by'))?.[0] ?? 'family') satisfies SegmentDimension;
  const byLabel = DIMENSIONS.find(([d]) => d === by)?.[1] ?? by;
  mount(root, h('h1', {}, 'Metrics'), h('p', { class: 'muted' }, 'Loading…'));
  const load = async () => {
    const metrics = await get<Metrics>('/ops/metrics');
    const segments = metrics.segments[by];
    const columns = by === 'assignee' ? [...AGENT_KPIS, ...KPIS] : KPIS;
    mount(
      root,
      h('h1', {}, 'Metrics'),
      h(
        'p',
        { class: 'muted' },
        'Computed from the audit events of every case (the same figures CloudWatch gets on AWS).',
      ),
      h(
        'div',
        { class: 'kpis', id: 'kpis' },
        KPIS.map((k) =>
          h(
            'div',
            { class: 'kpi', 'data-kpi': k.id },
            h('span', { class: 'label' }, k.label),
            h('strong', {}, k.show(metrics.all)),
            h('small', {}, k.hint),
          ),
        ),
      ),
      h(
        'nav',
        { class: 'segments', 'aria-label': 'Segment by' },
        'Segment by: ',
        DIMENSIONS.map(([d, label]) =>
          h(
            'a',
            {
              href: `#/metrics?by=${d}`,
              class: d === by ? 'active' : undefined,
              'aria-current': d === by ? 'page' : undefined,
            },
            label,
          ),
        ),
      ),
      h(
        'table',
        { class: 'scoreboard', 'data-by': by },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            h('th', { scope: 'col' }, byLabel),
            columns.map((k) => h('th', { scope: 'col' }, k.label)),
          ),
        ),
        h(
          'tbody',
          {},
          segments.map((f) =>
            h(
              'tr',
              { 'data-segment': f.segment },
              h('th', { scope: 'row' }, words(f.segment)),
              columns.map((k) => h('td', { 'data-kpi': k.id }, k.show(f))),
            ),
          ),
        ),
      ),
      h(
        'div',
        { class: 'charts' },
        [...(by === 'assignee' ? agentCharts(segments) : []), ...charts(segments, byLabel.toLowerCase())].map(
          (markup) => h('figure', {}, svg(markup)),
        ),
      ),
    );
    root.dataset.loaded = 'true';
  };
  load().catch((error: Error) =>
    mount(root, h('h1', {}, 'Metrics'), h('p', { class: 'error' }, error.message)),
  );
  const timer = setInterval(() => {
    if (document.visibilityState === 'visible') load().catch(() => undefined);
  }, 10_000);
  return () => clearInterval(timer);
};
