import type { Command } from 'commander';
import { type ConnectionOptions, DEFAULT_API_URL, EXIT_HELP, OpsApi } from './api.ts';
import { fields, oneLine, table, when } from './table.ts';

/**
 * `sellerworks cases …`: the ops API's case routes from a terminal. Each command is one or a few API
 * calls and a way to print the answer; what a case may do is the API's call, never decided here.
 */

export interface OutputOptions extends ConnectionOptions {
  readonly json?: boolean;
}

const print = (text: string) => process.stdout.write(`${text}\n`);
const printJson = (value: unknown) => print(JSON.stringify(value, null, 2));

/** The options every `cases` command takes: where the API is, who to sign in as, and `--json`. */
export const connected = (command: Command) =>
  command
    .option(
      '--api-url <url>',
      'the SellerWorks API (env SELLERWORKS_API_URL); its token comes from env SELLERWORKS_TOKEN, or for ' +
        'an API on this machine from the dev issuer',
      process.env.SELLERWORKS_API_URL ?? DEFAULT_API_URL,
    )
    .option('--as-team <team>', 'local API only: sign in as a member of this team (default: a supervisor)')
    .option('--as-agent <agentId>', 'local API only: sign in as this agent (with --as-team)')
    .option('--json', "print the API's JSON answer unchanged")
    .addHelpText('after', EXIT_HELP);

interface ListRow {
  caseId: string;
  family: string;
  status: string;
  sellerId: string;
  team: string | null;
  createdAt: string;
  sla?: { risk?: string; leftHours?: number | null };
}
interface ListPage {
  cases: ListRow[];
  nextCursor: string | null;
  partial?: boolean;
  [key: string]: unknown;
}

const slaCell = (sla: ListRow['sla']) => {
  if (!sla?.risk) return '-';
  if (sla.leftHours === null || sla.leftHours === undefined) return sla.risk;
  return sla.leftHours < 0 ? `${sla.risk} (${-sla.leftHours}h over)` : `${sla.risk} (${sla.leftHours}h left)`;
};

/** The list query as the API names it: each filter option that was given, and the page size and cursor. */
const LIST_FILTERS = {
  family: 'family',
  status: 'status',
  team: 'team',
  seller: 'seller',
  tier: 'tier',
  region: 'region',
  channel: 'channel',
  sla: 'sla',
  query: 'q',
  limit: 'limit',
  cursor: 'cursor',
} as const;

const listCases = async (options: OutputOptions & Record<string, unknown>) => {
  const api = new OpsApi(options);
  const query: Record<string, string> = {};
  for (const [option, param] of Object.entries(LIST_FILTERS)) {
    const value = options[option];
    if (typeof value === 'string') query[param] = value;
  }
  let page = await api.call((c, t) => c.listCases(t, query) as Promise<{ status: number; body: ListPage }>);
  const rows = [...page.cases];
  // `--all` follows the cursor to the end, partial pages included (the API stops a read at 2,000 items).
  while (options.all && page.nextCursor) {
    const cursor = page.nextCursor;
    page = await api.call(
      (c, t) => c.listCases(t, { ...query, cursor }) as Promise<{ status: number; body: ListPage }>,
    );
    rows.push(...page.cases);
  }
  if (options.json) {
    printJson(options.all ? { ...page, cases: rows, partial: false } : page);
    return;
  }
  print(
    table(
      ['CASE', 'FAMILY', 'STATUS', 'TEAM', 'SELLER', 'SLA', 'CREATED'],
      rows.map((r) => [
        r.caseId,
        r.family,
        r.status,
        r.team ?? '-',
        r.sellerId,
        slaCell(r.sla),
        when(r.createdAt),
      ]),
    ),
  );
  if (rows.length === 0) print(page.partial ? '(none on this page)' : '(no cases)');
  if (page.nextCursor) {
    print(
      `${page.partial ? 'the API read its limit for this page; ' : ''}more: --cursor ${page.nextCursor} (or --all)`,
    );
  }
};

interface OpsCase {
  caseId: string;
  family: string;
  familyName?: string;
  subject?: string;
  status: string;
  statusLabel?: string;
  sellerId?: string;
  sellerTier?: string;
  next?: { from: string; action: string; dueBy?: string };
  routing?: { team: string; ruleId: string; reason?: string };
  waiting?: { step?: string; from?: string; team?: string; deadline?: string };
  assignee?: { agentId: string; name?: string; assignedAt?: string; rule?: string; reason?: string } | null;
  queue?: { team: string; position: number; positionIsAtLeast?: boolean; priority: string | null };
  priority?: { level: string; reason?: string };
  allowedOutcomes?: { id: string }[];
  transferTo?: string[];
  decision?: { outcome: string; decidedBy?: string; decidedAt?: string };
  escalationLevel?: number;
  counts?: { transfers: number; reopens: number; appeals: number };
  sla?: Record<
    string,
    {
      state: string;
      usedHours: number;
      targetHours: number;
      leftHours: number;
      dueAt: string;
      breached: boolean;
    }
  >;
  evidence?: {
    receivedAt: string;
    source?: string;
    kinds?: string[];
    attachments?: unknown[];
    redacted?: { reason?: string; visibleTo?: string[] };
  }[];
  messages?: { sentAt: string; subject: string }[];
  timeline?: { at: string; type: string; actor: string; detail?: unknown }[];
}

const holder = (view: OpsCase) => {
  if (view.assignee) {
    const { agentId, name, assignedAt, rule } = view.assignee;
    return `${agentId}${name ? ` (${name})` : ''} since ${when(assignedAt)}${rule ? `, by ${rule}` : ''}`;
  }
  if (view.queue) {
    const { team, position, positionIsAtLeast, priority } = view.queue;
    return `queued for ${team}: position ${positionIsAtLeast ? '≥ ' : ''}${position}${priority ? `, priority ${priority}` : ''}`;
  }
  return '-';
};

const showCase = (view: OpsCase) => {
  const team = view.waiting?.team ?? view.routing?.team;
  const pairs: [string, string][] = [
    ['case', view.caseId],
    ['family', `${view.family}${view.familyName ? ` (${view.familyName})` : ''}`],
    ...(view.subject ? [['subject', oneLine(view.subject)] as [string, string]] : []),
    ['status', `${view.status}${view.statusLabel ? ` — ${view.statusLabel}` : ''}`],
    ['seller', `${view.sellerId ?? '-'}${view.sellerTier ? ` (${view.sellerTier})` : ''}`],
    ['team', team ? `${team}${view.routing ? ` (rule ${view.routing.ruleId})` : ''}` : '-'],
    ['holder', holder(view)],
    [
      'next',
      view.next
        ? `${view.next.from}: ${oneLine(view.next.action)}${view.next.dueBy ? ` (due ${when(view.next.dueBy)})` : ''}`
        : '-',
    ],
  ];
  if (view.priority) pairs.push(['priority', `${view.priority.level}: ${oneLine(view.priority.reason)}`]);
  if (view.allowedOutcomes?.length)
    pairs.push(['outcomes', view.allowedOutcomes.map((o) => o.id).join(', ')]);
  if (view.transferTo?.length) pairs.push(['transfer to', view.transferTo.join(', ')]);
  if (view.decision) {
    const { outcome, decidedBy, decidedAt } = view.decision;
    pairs.push(['decision', `${outcome}${decidedBy ? ` by ${decidedBy}` : ''} at ${when(decidedAt)}`]);
  }
  if (view.escalationLevel) pairs.push(['escalated', `level ${view.escalationLevel}`]);
  if (view.counts) {
    const { transfers, reopens, appeals } = view.counts;
    pairs.push(['counts', `${transfers} transfers, ${reopens} reopens, ${appeals} appeals`]);
  }
  const messages = view.messages ?? [];
  const last = messages.at(-1);
  pairs.push([
    'messages',
    `${messages.length}${last ? ` (last ${when(last.sentAt)}: ${oneLine(last.subject)})` : ''}`,
  ]);
  pairs.push([
    'timeline',
    `${view.timeline?.length ?? 0} events (sellerworks cases timeline ${view.caseId})`,
  ]);
  print(fields(pairs));

  const clocks = Object.entries(view.sla ?? {});
  if (clocks.length) {
    print('\nSLA clocks');
    print(
      table(
        ['CLOCK', 'STATE', 'USED', 'TARGET', 'LEFT', 'DUE'],
        clocks.map(([name, c]) => [
          name,
          c.breached ? `${c.state}, breached` : c.state,
          `${c.usedHours}h`,
          `${c.targetHours}h`,
          `${c.leftHours}h`,
          when(c.dueAt),
        ]),
      ),
    );
  }
  const evidence = view.evidence ?? [];
  print(`\nEvidence (${evidence.length})`);
  if (evidence.length) {
    print(
      table(
        ['RECEIVED', 'SOURCE', 'KINDS', 'FILES'],
        evidence.map((e) => [
          when(e.receivedAt),
          e.source ?? '-',
          (e.kinds ?? []).join(', ') || '-',
          e.redacted
            ? `redacted (visible to ${(e.redacted.visibleTo ?? []).join(', ') || 'no one here'})`
            : String(e.attachments?.length ?? 0),
        ]),
      ),
    );
  }
};

const printTimeline = (view: OpsCase) => {
  print(
    table(
      ['TIME', 'ACTOR', 'TYPE', 'DETAIL'],
      (view.timeline ?? []).map((e) => [when(e.at), e.actor, e.type, oneLine(e.detail)]),
    ),
  );
};

/** Adds `cases list|show|timeline|decide|transfer|assign` to the program. */
export const addCasesCommands = (program: Command) => {
  const cases = program
    .command('cases')
    .description('find, read and act on cases through the ops API (as the console does)')
    .addHelpText('after', EXIT_HELP);

  connected(
    cases
      .command('list')
      .description(
        'list cases newest first (open cases by SLA risk with --sla), one page unless --all; filters are ' +
          'those of GET /ops/cases, checked by the API',
      )
      .option('--family <family>', 'an issue family id, e.g. buyer-dispute')
      .option('--status <status>', 'a case status, e.g. handed_off')
      .option('--team <team>', 'the team that owns the case')
      .option('--seller <sellerId>', "one seller's cases")
      .option('--tier <tier>', 'seller tier: new, standard, top_rated')
      .option('--region <region>', "the seller's region")
      .option('--channel <channel>', 'intake channel: portal, api, agent')
      .option('--sla <risk>', 'breached, at_risk, on_track or stopped')
      .option('-q, --query <caseId>', 'find a case by its id')
      .option('--limit <n>', 'cases a page (1-200; the API defaults to 50)')
      .option('--cursor <cursor>', 'go on from a previous page')
      .option('--all', 'follow the cursor to the last page (with --json: one answer with every case)'),
  ).action((options: OutputOptions & Record<string, unknown>) => listCases(options));

  connected(
    cases
      .command('show')
      .description(
        'one case as ops see it: status, family, team, holder or queue place, next step, SLA clocks, ' +
          'evidence, messages',
      )
      .argument('<caseId>'),
  ).action(async (caseId: string, options: OutputOptions) => {
    const view = await new OpsApi(options).call(
      (c, t) => c.getOpsCase(t, caseId) as unknown as Promise<{ status: number; body: OpsCase }>,
    );
    if (options.json) printJson(view);
    else showCase(view);
  });

  connected(
    cases
      .command('timeline')
      .description("a case's audit events in order, one line each: time, actor, type, detail")
      .argument('<caseId>'),
  ).action(async (caseId: string, options: OutputOptions) => {
    const view = await new OpsApi(options).call(
      (c, t) => c.getOpsCase(t, caseId) as unknown as Promise<{ status: number; body: OpsCase }>,
    );
    if (options.json) printJson(view.timeline ?? []);
    else printTimeline(view);
  });

  connected(
    cases
      .command('decide')
      .description(
        "record a team's decision on a case waiting for it (the outcomes allowed are on `cases show`)",
      )
      .argument('<caseId>')
      .requiredOption('--outcome <outcome>', 'one of the outcomes the case allows')
      .requiredOption('--rationale <text>', 'why, in words the audit trail keeps'),
  ).action(async (caseId: string, options: OutputOptions & { outcome: string; rationale: string }) => {
    const answer = await new OpsApi(options).call((c, t) =>
      c.decide(t, caseId, options.outcome, options.rationale),
    );
    if (options.json) printJson(answer);
    else print(`${caseId}: decided ${options.outcome}; the workflow resumes`);
  });

  connected(
    cases
      .command('transfer')
      .description("pass a case waiting for a decision to another of its family's teams")
      .argument('<caseId>')
      .requiredOption('--team <team>', 'the receiving team')
      .requiredOption('--reason <text>', 'why it goes there')
      .option('--return-reason <text>', 'needed to send it back to a team that already handed it off'),
  ).action(
    async (
      caseId: string,
      options: OutputOptions & { team: string; reason: string; returnReason?: string },
    ) => {
      const answer = await new OpsApi(options).call((c, t) =>
        c.transfer(t, caseId, {
          team: options.team,
          reason: options.reason,
          ...(options.returnReason ? { returnReason: options.returnReason } : {}),
        }),
      );
      if (options.json) printJson(answer);
      else print(`${caseId}: transferred to ${options.team}`);
    },
  );

  connected(
    cases
      .command('assign')
      .description("as a supervisor, give a case waiting for its team to one of the team's available agents")
      .argument('<caseId>')
      .requiredOption('--agent <agentId>', 'the agent who takes it')
      .option('--reason <text>', 'why (default: assigned by the supervisor)'),
  ).action(async (caseId: string, options: OutputOptions & { agent: string; reason?: string }) => {
    const answer = await new OpsApi(options).call((c, t) =>
      c.assign(t, caseId, { agentId: options.agent, ...(options.reason ? { reason: options.reason } : {}) }),
    );
    if (options.json) printJson(answer);
    else print(`${caseId}: assigned to ${options.agent}`);
  });
};
