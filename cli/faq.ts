import type { Command } from 'commander';
import { type ConnectionOptions, DEFAULT_API_URL, EXIT_HELP, OpsApi } from './api.ts';

/**
 * `sellerworks faq export`: the groups of seller statements ops marked as FAQ candidates, every family and
 * reason (or one family), as Markdown for whoever writes the FAQ, or JSON. The families come from
 * `GET /families` (skipped with `--family`, which the API itself checks); each family's reasons from its
 * first `GET /ops/faq?candidates=true` answer; then, per reason, the marked groups page by page.
 */

interface ExportOptions extends ConnectionOptions {
  readonly json?: boolean;
  readonly family?: string;
}
interface Group {
  groupId: string;
  family: string;
  reason: string;
  size: number;
  cases: number;
  representative: string;
  trend: { direction: string; weeks: { week: string; count: number }[] };
  examples: string[];
  templates: { template: string; cases: number }[];
  candidate: { markedBy: string; markedAt: string; note?: string } | null;
}
interface FaqPage {
  reason: string;
  reasons: { id: string; label: string }[];
  groups: Group[];
  nextCursor: string | null;
}

/** Every marked group of one family and reason (its first reason when none is named), and its reasons. */
const markedGroups = async (api: OpsApi, family: string, reason?: string) => {
  const groups: Group[] = [];
  let asked = reason;
  let reasons: string[] = [];
  let cursor: string | null = null;
  do {
    const query = new URLSearchParams({ family, candidates: 'true', limit: '100' });
    if (asked) query.set('reason', asked);
    if (cursor) query.set('cursor', cursor);
    const page: FaqPage = await api.call((c, t) => c.request('GET', `/ops/faq?${query}`, { token: t }));
    groups.push(...page.groups);
    asked = page.reason;
    reasons = page.reasons.map((r) => r.id);
    cursor = page.nextCursor;
  } while (cursor);
  return { reason: asked, reasons, groups };
};

const exportCandidates = async (options: ExportOptions) => {
  const api = new OpsApi(options);
  const families = options.family
    ? [options.family]
    : // The ops list's filters name the families: on AWS a staff token is good on /ops routes only.
      (
        await api.call<{ filters: { family: string[] } }>((c, t) =>
          c.request('GET', '/ops/cases?limit=1', { token: t }),
        )
      ).filters.family;
  const groups: Group[] = [];
  for (const family of families) {
    const first = await markedGroups(api, family);
    groups.push(...first.groups);
    for (const reason of first.reasons.filter((r) => r !== first.reason))
      groups.push(...(await markedGroups(api, family, reason)).groups);
  }
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ candidates: groups }, null, 2)}\n`);
    return;
  }
  const lines = ['# FAQ candidates', ''];
  if (groups.length === 0) lines.push('No group is marked as an FAQ candidate.');
  for (const g of groups) {
    lines.push(
      `## ${g.family} · ${g.reason}: ${g.representative.replace(/\n/g, ' ')}`,
      '',
      `- group: \`${g.groupId}\``,
      `- size: ${g.size} statements from ${g.cases} cases; trend ${g.trend.direction} (${g.trend.weeks
        .map((w) => w.count)
        .join(' ')} over the last ${g.trend.weeks.length} weeks)`,
      `- answered with: ${g.templates.map((t) => `\`${t.template}\` (${t.cases})`).join(', ') || 'no email yet'}`,
      `- example cases: ${g.examples.join(', ')}`,
      `- marked by ${g.candidate?.markedBy ?? '?'} at ${g.candidate?.markedAt ?? '?'}${g.candidate?.note ? `: ${g.candidate.note}` : ''}`,
      '',
    );
  }
  process.stdout.write(`${lines.join('\n')}\n`);
};

export const addFaqCommands = (program: Command) => {
  const faq = program.command('faq').description('FAQ candidates: recurring seller statements ops marked');
  faq
    .command('export')
    .description('print the groups marked as FAQ candidates, as Markdown (or --json)')
    .option('--family <family>', 'only this family')
    .option('--json', 'print the groups as JSON')
    .option(
      '--api-url <url>',
      'the SellerWorks API (env SELLERWORKS_API_URL); its token comes from env SELLERWORKS_TOKEN, or for ' +
        'an API on this machine from the dev issuer',
      process.env.SELLERWORKS_API_URL ?? DEFAULT_API_URL,
    )
    .option('--as-team <team>', 'local API only: sign in as a member of this team (default: a supervisor)')
    .addHelpText('after', EXIT_HELP)
    .action(exportCandidates);
};
