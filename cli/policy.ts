import { resolve } from 'node:path';
import type { Command } from 'commander';
import { writePolicy } from '../functions/domain/policy-export-files.ts';
import { type ReplayReport, startReplay } from '../functions/domain/replay.ts';
import type { ReplayCasesPage } from '../functions/domain/replay-export.ts';
import { FAMILIES } from '../functions/policy/families.ts';
import { PRIORITY } from '../functions/policy/priority.ts';
import { CliError, EXIT, OpsApi } from './api.ts';
import { connected } from './cases.ts';
import { table } from './table.ts';

/**
 * `sellerworks policy export DIR` and `sellerworks replay`: the policy of this working tree, written out as
 * JSON for other tools, and tried on past cases before it ships. Both run this checkout's policy code in
 * this process; replay reads the past cases from the ops API and changes nothing anywhere.
 */

const print = (text: string) => process.stdout.write(`${text}\n`);

const exportPolicy = async (dir: string) => {
  const target = resolve(dir);
  try {
    const written = await writePolicy(target);
    print(`wrote ${written.documents} policy documents and ${written.schemas} JSON Schemas to ${target}`);
  } catch (cause) {
    const reason = (cause as { code?: string; message?: string }).code ?? String(cause);
    // Nothing was refused by an API here: a folder that cannot be written is the command's own failure.
    throw new CliError(`cannot write the policy to ${target}: ${reason}`, EXIT.refused, [], { cause });
  }
};

interface ReplayOptions {
  readonly apiUrl: string;
  readonly asTeam?: string;
  readonly asAgent?: string;
  readonly since?: string;
  readonly family?: string;
  readonly json?: boolean;
}

/** Every past case the API hands out for the options, page by page, through the working tree's policy. */
const replayPastCases = async (options: ReplayOptions): Promise<ReplayReport> => {
  const api = new OpsApi(options);
  const run = startReplay({ families: FAMILIES, priority: PRIORITY });
  let cursor: string | null | undefined;
  do {
    const query = new URLSearchParams();
    if (options.since) query.set('since', options.since);
    if (options.family) query.set('family', options.family);
    if (cursor) query.set('cursor', cursor);
    const page = await api.call(
      (c, token) =>
        c.request('GET', `/ops/replay/cases?${query}`, { token }) as unknown as Promise<{
          status: number;
          body: ReplayCasesPage;
        }>,
    );
    for (const past of page.cases) run.add(past);
    cursor = page.nextCursor;
  } while (cursor);
  return run.report();
};

const printReport = (report: ReplayReport, options: ReplayOptions) => {
  const scope = [
    options.since ? `since ${options.since}` : 'every day',
    options.family ? options.family : 'every family',
  ].join(', ');
  print(
    `replayed ${report.cases} past cases (${scope}) through this working tree's policy: ` +
      `${report.changed} would change`,
  );
  for (const family of report.families) {
    print(`\n${family.family}: ${family.cases} cases, ${family.changed} would change`);
    if (family.changes.length === 0) continue;
    print(
      table(
        ['field', 'from', 'to', 'cases', 'examples'],
        family.changes.map((c) => [c.field, c.from, c.to, String(c.cases), c.examples.join(' ')]),
      )
        .split('\n')
        .map((line) => `  ${line}`)
        .join('\n'),
    );
  }
};

export const addPolicyCommands = (program: Command) => {
  const policy = program.command('policy').description("this working tree's policy, for other tools");
  policy
    .command('export')
    .description(
      'write the policy as JSON documents, each with its JSON Schema (draft-07) in DIR/schemas: per family ' +
        'DIR/<family>/{family,intake,routing,evidence,sla,templates}.json, then DIR/priority.json, ' +
        'DIR/escalation.json and DIR/index.json listing every document and its schema (files of the same ' +
        'name are replaced, others left alone)',
    )
    .argument('<dir>', 'the folder to write to (created if need be)')
    .addHelpText(
      'after',
      `
Exit status:
  0  written
  1  the folder could not be written
  2  usage error (unknown option, missing argument)`,
    )
    .action(exportPolicy);

  connected(
    program
      .command('replay')
      .description(
        "re-run past cases' stored intakes through this working tree's policy (triage, routing, priority, " +
          'SLA targets, templates chosen) and report, by family, what would change against what happened, ' +
          'with example cases; reads GET /ops/replay/cases (supervisors) and changes nothing',
      )
      .option('--since <day>', 'cases opened on this day (YYYY-MM-DD, UTC) or later')
      .option('--family <family>', 'one issue family, e.g. payout-hold'),
  ).action(async (options: ReplayOptions) => {
    const report = await replayPastCases(options);
    if (options.json) print(JSON.stringify(report, null, 2));
    else printReport(report, options);
  });
};
