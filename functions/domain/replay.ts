import type {
  BaseIntake,
  Family,
  FamilyTemplates,
  MessageTemplate,
  Region,
  SellerHistory,
  SellerTier,
  TemplateSet,
  TriageFacts,
} from '#policy/family-policy.ts';
import type { PriorityRuleset } from '#policy/priority.ts';
import type { FamilyId } from '#state-machines/catalog.ts';
import type { CaseRecord } from './case.ts';
import { firstMatch, route } from './routing.ts';
import { type SlaState, startClocks } from './sla.ts';

/**
 * Replay: a past case's stored intake through a policy (the working tree's, or one a test changed), and
 * what would come out differently from what happened — the team routing chose, the priority the case
 * queued at, its SLA targets, the templates of the messages it got. Pure: no store, no clock, no side
 * effect; the policy is a parameter, so a changed rule can be replayed before it ships.
 */

/** A past case as replay needs it: its intake, what triage knew, and what the policy of its day chose. */
export interface PastCase {
  readonly caseId: string;
  readonly family: FamilyId;
  readonly createdAt: string;
  readonly sellerTier: SellerTier;
  readonly region: Region;
  /** The validated intake as stored. */
  readonly intake: Readonly<Record<string, unknown>>;
  /** The facts triage recorded: the seller's history comes from them (see `historyOf`). */
  readonly triage?: TriageFacts | undefined;
  readonly happened: {
    /** The team and rule of the case's routing (its `case.routed` event: transfers come later). */
    readonly team?: string | undefined;
    readonly ruleId?: string | undefined;
    /** The level it first queued at for a team (its first handoff), if it reached one. */
    readonly priority?: number | undefined;
    /** Its SLA targets in hours, as set at intake. */
    readonly sla?: { readonly firstResponseHours: number; readonly resolutionHours: number } | undefined;
    /** Every message's template as `id@version`, in the order they were sent. */
    readonly templates: readonly string[];
  };
}

/** The policy a replay runs: every family, and the priority rules of the team queues. */
export interface ReplayPolicy {
  readonly families: Readonly<Record<string, Family<BaseIntake>>>;
  readonly priority: PriorityRuleset;
}

export type ReplayField = 'team' | 'priority' | 'sla' | 'template' | 'triage';

/** One difference: what happened, and what the policy replayed would do. */
export interface ReplayDifference {
  readonly field: ReplayField;
  readonly from: string;
  readonly to: string;
}

export interface ReplayedCase {
  readonly caseId: string;
  readonly family: string;
  readonly differences: readonly ReplayDifference[];
}

/** How many cases one kind of change moves, e.g. team `payments-support → risk-operations`, with examples. */
export interface ReplayChange {
  readonly field: ReplayField;
  readonly from: string;
  readonly to: string;
  readonly cases: number;
  /** A few of the cases, newest first as they were given. */
  readonly examples: readonly string[];
}

export interface ReplayFamilySummary {
  readonly family: string;
  readonly cases: number;
  readonly changed: number;
  readonly changes: readonly ReplayChange[];
}

export interface ReplayReport {
  readonly cases: number;
  readonly changed: number;
  readonly families: readonly ReplayFamilySummary[];
  /** Every case that would change, and how. */
  readonly changedCases: readonly ReplayedCase[];
}

/** How many example case ids a change lists. */
export const REPLAY_EXAMPLES = 5;

/**
 * The signals in which families record the seller's count of cases over a year (triage keeps only the
 * 90-day count as a fact of its own); a family that records none does not read it.
 */
const YEARLY_SIGNALS = ['priorCases365d', 'priorHolds365d', 'priorAppeals365d', 'priorStrikes'] as const;

/** The history triage saw, from the facts it recorded (a case without facts had none: it was never triaged). */
export const historyOf = (facts: TriageFacts | undefined): SellerHistory => {
  const priorCases90d = facts?.priorCases90d ?? 0;
  const yearly = YEARLY_SIGNALS.map((name) => facts?.signals[name]).find((v) => typeof v === 'number');
  return { priorCases90d, priorCases365d: typeof yearly === 'number' ? yearly : priorCases90d };
};

const HOUR_MS = 3_600_000;
const hours = (ms: number) => Math.round((ms / HOUR_MS) * 1000) / 1000;

/** A case's SLA targets in hours, as replay compares them (to the thousandth of an hour). */
export const slaTargetsOf = (sla: SlaState | undefined): PastCase['happened']['sla'] =>
  sla?.firstResponse && sla.resolution
    ? {
        firstResponseHours: hours(sla.firstResponse.targetMs),
        resolutionHours: hours(sla.resolution.targetMs),
      }
    : undefined;

/** Only what replay reads of a stored audit event. */
export interface ReplayEvent {
  readonly type: string;
  readonly data?: {
    readonly team?: unknown;
    readonly ruleId?: unknown;
    readonly priority?: { readonly level?: unknown } | undefined;
  };
}

/**
 * A stored case as replay takes it: the record's intake, tier, region, facts and SLA targets; the team and
 * rule of its `case.routed` event; the level of its first `case.handed_off`; its messages' templates.
 * The intake goes whole: triage reads any of it (account recovery compares the seller's address).
 */
export const pastCaseOf = (
  record: CaseRecord,
  events: readonly ReplayEvent[],
  templates: readonly string[],
): PastCase => {
  const routed = events.find((e) => e.type === 'case.routed')?.data;
  const handedOff = events.find((e) => e.type === 'case.handed_off')?.data;
  const level = handedOff?.priority?.level;
  const sla = slaTargetsOf(record.sla);
  return {
    caseId: record.caseId,
    family: record.family,
    createdAt: record.createdAt,
    sellerTier: record.sellerTier,
    region: record.region,
    intake: record.intake as unknown as Record<string, unknown>,
    ...(record.triage ? { triage: record.triage } : {}),
    happened: {
      ...(typeof routed?.team === 'string' ? { team: routed.team } : {}),
      ...(typeof routed?.ruleId === 'string' ? { ruleId: routed.ruleId } : {}),
      ...(typeof level === 'number' ? { priority: level } : {}),
      ...(sla ? { sla } : {}),
      templates,
    },
  };
};
const slaText = (sla: { firstResponseHours: number; resolutionHours: number }) =>
  `first response ${sla.firstResponseHours}h, resolution ${sla.resolutionHours}h`;

type SetName = Exclude<keyof FamilyTemplates, 'snippets'>;
/** Where each template id of a family sits: a message kind's set, or a snippet's. */
type TemplateIndex = ReadonlyMap<string, TemplateSet<unknown>>;

const templateIndexes = new WeakMap<FamilyTemplates, TemplateIndex>();
const templateIndexOf = (templates: FamilyTemplates): TemplateIndex => {
  const known = templateIndexes.get(templates);
  if (known) return known;
  const index = new Map<string, TemplateSet<unknown>>();
  const add = (set: TemplateSet<unknown>) => {
    for (const template of [set.default, ...Object.values(set.regions ?? {})] as MessageTemplate<unknown>[])
      index.set(template.id, set);
  };
  for (const [name, set] of Object.entries(templates) as [SetName | 'snippets', unknown][]) {
    if (name === 'snippets') continue;
    if (set) add(set as TemplateSet<unknown>);
  }
  for (const snippet of templates.snippets) add(snippet.template as TemplateSet<unknown>);
  templateIndexes.set(templates, index);
  return index;
};

const refOf = (template: MessageTemplate<unknown>) => `${template.id}@${template.version}`;
const idOf = (ref: string) => {
  const at = ref.lastIndexOf('@');
  return at < 0 ? ref : ref.slice(0, at);
};

/**
 * The template the policy would choose for a message that went out with `ref`: the same kind of message
 * (the set its id belongs to), in the case's region. A template whose id the policy no longer holds has none.
 */
const templateNow = (templates: FamilyTemplates, ref: string, region: Region): string | undefined => {
  const set = templateIndexOf(templates).get(idOf(ref));
  return set ? refOf(set.regions?.[region] ?? set.default) : undefined;
};

/** What `policy` would do with one past case, as differences from what happened (none: it would not change). */
export const replayCase = (past: PastCase, policy: ReplayPolicy): ReplayDifference[] => {
  const family = policy.families[past.family];
  if (!family) return [{ field: 'triage', from: past.family, to: 'no such family in the policy' }];
  const intake = past.intake as unknown as BaseIntake;
  let facts: TriageFacts;
  let team: string;
  let ruleId: string;
  try {
    facts = family.triage(intake, historyOf(past.triage), past.sellerTier);
    ({ team, ruleId } = route(family.routing, facts));
  } catch (error) {
    return [
      {
        field: 'triage',
        from: past.happened.team ?? 'triaged',
        to: `fails: ${error instanceof Error ? error.message : String(error)}`,
      },
    ];
  }
  const differences: ReplayDifference[] = [];
  const { happened } = past;
  if (happened.team !== undefined && happened.team !== team)
    differences.push({
      field: 'team',
      from: `${happened.team}${happened.ruleId ? ` (${happened.ruleId})` : ''}`,
      to: `${team} (${ruleId})`,
    });
  if (happened.priority !== undefined) {
    const level = firstMatch(policy.priority.rules, facts)?.rule.level;
    if (level !== happened.priority)
      differences.push({
        field: 'priority',
        from: `P${happened.priority}`,
        to: level ? `P${level}` : 'none',
      });
  }
  if (happened.sla) {
    const clocks = startClocks(family, past.sellerTier, intake, past.createdAt);
    const now = {
      firstResponseHours: hours(clocks.firstResponse?.targetMs ?? 0),
      resolutionHours: hours(clocks.resolution?.targetMs ?? 0),
    };
    if (
      now.firstResponseHours !== happened.sla.firstResponseHours ||
      now.resolutionHours !== happened.sla.resolutionHours
    )
      differences.push({ field: 'sla', from: slaText(happened.sla), to: slaText(now) });
  }
  const seen = new Set<string>();
  for (const ref of happened.templates) {
    if (seen.has(ref)) continue;
    seen.add(ref);
    const chosen = templateNow(family.templates, ref, past.region) ?? 'no such template in the policy';
    if (chosen !== ref) differences.push({ field: 'template', from: ref, to: chosen });
  }
  return differences;
};

/** A replay under way: cases are added one at a time (pages as they arrive), and the report read at the end. */
export interface Replay {
  add(past: PastCase): void;
  report(): ReplayReport;
}

interface Tally {
  cases: number;
  changed: number;
  changes: Map<string, { field: ReplayField; from: string; to: string; cases: number; examples: string[] }>;
}

/** Starts a replay through `policy`. */
export const startReplay = (policy: ReplayPolicy): Replay => {
  const tallies = new Map<string, Tally>();
  const changedCases: ReplayedCase[] = [];
  let total = 0;
  return {
    add(past) {
      total += 1;
      let tally = tallies.get(past.family);
      if (!tally) {
        tally = { cases: 0, changed: 0, changes: new Map() };
        tallies.set(past.family, tally);
      }
      tally.cases += 1;
      const differences = replayCase(past, policy);
      if (differences.length === 0) return;
      tally.changed += 1;
      changedCases.push({ caseId: past.caseId, family: past.family, differences });
      for (const d of differences) {
        const key = `${d.field}\u0000${d.from}\u0000${d.to}`;
        let change = tally.changes.get(key);
        if (!change) {
          change = { ...d, cases: 0, examples: [] };
          tally.changes.set(key, change);
        }
        change.cases += 1;
        if (change.examples.length < REPLAY_EXAMPLES) change.examples.push(past.caseId);
      }
    },
    report() {
      const families = [...tallies.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([family, t]) => ({
          family,
          cases: t.cases,
          changed: t.changed,
          changes: [...t.changes.values()]
            .map((c) => ({ ...c, examples: [...c.examples] }))
            .sort(
              (a, b) => a.field.localeCompare(b.field) || b.cases - a.cases || a.from.localeCompare(b.from),
            ),
        }));
      return { cases: total, changed: changedCases.length, families, changedCases: [...changedCases] };
    },
  };
};

/**
 * Replays every case through `policy` and reports, by family, what would change against what happened:
 * each kind of change with how many cases it moves and a few of them, and every changed case.
 */
export const replay = (cases: Iterable<PastCase>, policy: ReplayPolicy): ReplayReport => {
  const run = startReplay(policy);
  for (const past of cases) run.add(past);
  return run.report();
};
