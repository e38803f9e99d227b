import type { Command } from 'commander';
import type { WeeklyReview } from '../functions/domain/weekly-review.ts';
import { OpsApi } from './api.ts';
import { connected, type OutputOptions } from './cases.ts';

/**
 * `sellerworks reviews weekly`: the weekly review (`GET /ops/reviews/weekly`) as a Markdown document to
 * paste into the week's meeting notes, or the API's JSON with `--json`. The figures are the API's; this only
 * lays them out.
 */

/** A table cell: pipes escaped, line breaks folded, so a value cannot break the table. */
const cell = (value: unknown): string =>
  (value === null || value === undefined ? '–' : String(value)).replace(/\|/g, '\\|').replace(/\s+/g, ' ');

/** Hours as the most readable unit (as the console shows them): seconds, minutes, hours, days past two. */
const hours = (h: number | null) => {
  if (h === null) return '–';
  if (h < 1 / 60) return `${Math.round(h * 3600)} s`;
  if (h < 1) return `${Math.round(h * 60)} min`;
  if (h < 48) return `${Math.round(h * 10) / 10} h`;
  return `${Math.round((h / 24) * 10) / 10} d`;
};
const percent = (share: number | null) => (share === null ? '–' : `${Math.round(share * 1000) / 10} %`);

const mdTable = (
  headers: readonly string[],
  rows: readonly (readonly unknown[])[],
  right: readonly number[] = [],
) =>
  rows.length === 0
    ? '_None this week._'
    : [
        `| ${headers.join(' | ')} |`,
        `| ${headers.map((_, i) => (right.includes(i) ? '---:' : '---')).join(' | ')} |`,
        ...rows.map((row) => `| ${row.map(cell).join(' | ')} |`),
      ].join('\n');

/** The example cases of a figure: ids, or links into the ops console when its address is known. */
const casesOf = (ids: readonly string[], consoleUrl: string | undefined) =>
  ids.length === 0
    ? '–'
    : ids
        .map((id) => (consoleUrl ? `[${id}](${consoleUrl.replace(/\/+$/, '')}/#/cases/${id})` : `\`${id}\``))
        .join(', ');

const day = (iso: string) => iso.slice(0, 10);

/** The weekly review as Markdown: a section per figure, each row with its example cases. */
export const weeklyMarkdown = (review: WeeklyReview, consoleUrl?: string): string => {
  const cases = (ids: readonly string[]) => casesOf(ids, consoleUrl);
  const ttr = review.timeToResolution;
  const lastDay = day(new Date(Date.parse(review.to) - 1).toISOString());
  const sections = [
    `# Weekly review ${review.week} (${day(review.from)} to ${lastDay}, UTC)`,
    '## Where the time went',
    ttr.stretches === 0
      ? 'No case was resolved this week.'
      : `${ttr.stretches} resolution${ttr.stretches === 1 ? '' : 's'}, ${hours(ttr.hours)} from intake (or a ` +
        `reopen or an appeal) to resolution in all, ${hours(ttr.meanHours)} on average.`,
    mdTable(
      ['phase', 'time', 'share', 'resolutions', 'cases'],
      ttr.phases.map((p) => [p.label, hours(p.hours), percent(p.share), p.stretches, cases(p.cases)]),
      [1, 2, 3],
    ),
    '### Teams holding the largest share',
    mdTable(
      ['team', 'time held', 'share', 'queued', 'with an agent', 'after an escalation', 'cases'],
      ttr.teams.map((t) => [
        t.team,
        hours(t.hours),
        percent(t.share),
        hours(t.queuedHours),
        hours(t.withAgentHours),
        hours(t.escalatedHours),
        cases(t.cases),
      ]),
      [1, 2, 3, 4, 5],
    ),
    '## Most common escalation reasons',
    mdTable(
      ['reason', 'escalations', 'cases'],
      review.escalationReasons.map((e) => [e.reason, e.count, cases(e.cases)]),
      [1],
    ),
    '## Most reopened',
    `${review.reopens.total} reopen${review.reopens.total === 1 ? '' : 's'} this week.`,
    mdTable(
      ['family', 'reopens', 'cases'],
      review.reopens.families.map((f) => [f.family, f.count, cases(f.cases)]),
      [1],
    ),
    mdTable(
      ['family', 'reason', 'reopens', 'cases'],
      review.reopens.reasons.map((r) => [r.family, r.reason, r.count, cases(r.cases)]),
      [2],
    ),
    '## Transfers that bounced',
    mdTable(
      ['path', 'bounced', 'times', 'cases'],
      review.bouncedTransfers.map((b) => [b.path.join(' → '), b.kind, b.count, cases(b.cases)]),
      [2],
    ),
    '## SLA breaches by team',
    mdTable(
      ['team', 'breaches', 'cases'],
      review.slaBreaches.map((b) => [b.team, b.count, cases(b.cases)]),
      [1],
    ),
    '## Template versions with the worst reopen rate',
    mdTable(
      ['template', 'resolved', 'reopened', 'reopen rate', 'cases'],
      review.templates.worstReopenRate.map((t) => [
        t.template,
        t.resolved,
        t.reopened,
        percent(t.reopenRate),
        cases(t.cases),
      ]),
      [1, 2, 3],
    ),
    '## Template versions with the worst CSAT',
    mdTable(
      ['template', 'answers', 'mean rating', 'not handled', 'cases'],
      review.templates.worstCsat.map((t) => [
        t.template,
        t.csat.responses,
        t.csat.meanRating,
        t.csat.notHandled,
        cases(t.cases),
      ]),
      [1, 2, 3],
    ),
    `_Each figure lists at most ${review.examplesPerFigure} example cases._`,
  ];
  return `${sections.join('\n\n')}\n`;
};

export const addReviewsCommands = (program: Command) => {
  const reviews = program.command('reviews').description('the reviews ops hold: the weekly review');
  connected(
    reviews
      .command('weekly')
      .description(
        "print an ISO week's review as Markdown: where the time to resolution went (phases, teams), the " +
          'most common escalation reasons, the most reopened families and reasons, transfers that bounced, ' +
          'SLA breaches by team, and the template versions with the worst reopen rate or CSAT, each with ' +
          'example cases',
      )
      .option('--week <YYYY-Www>', 'the ISO week (UTC), e.g. 2026-W49 (default: the current week)')
      .option(
        '--console-url <url>',
        'link the example cases to this ops console (env SELLERWORKS_CONSOLE_URL)',
        process.env.SELLERWORKS_CONSOLE_URL,
      ),
  ).action(async (options: OutputOptions & { week?: string; consoleUrl?: string }) => {
    const query = options.week ? `?${new URLSearchParams({ week: options.week })}` : '';
    const review = await new OpsApi(options).call<WeeklyReview>((c, t) =>
      c.request<WeeklyReview>('GET', `/ops/reviews/weekly${query}`, { token: t }),
    );
    process.stdout.write(
      options.json ? `${JSON.stringify(review, null, 2)}\n` : weeklyMarkdown(review, options.consoleUrl),
    );
  });
};
