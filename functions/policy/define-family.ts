import { z } from 'zod';
import type { BaseIntake, Family, Party, RoutingRuleset } from './family-policy.ts';
import { durationMs } from './standard-policy.ts';

/**
 * A family as its author writes it: everything of `Family` except what follows from the rest. The workflow
 * shape is derived (which parties owe evidence: the providers of its evidence items; a mediation offer:
 * whether it has a mediation policy), so it cannot disagree with the policy it orchestrates.
 */
export interface FamilyDefinition<I extends BaseIntake> extends Omit<Family<I>, 'workflow'> {
  /**
   * Reasons that legitimately need no evidence at all, each with why. Every other reason must have at
   * least one evidence item required for it: a reason nothing is asked for is usually a forgotten one.
   */
  readonly evidenceNotNeeded?: Readonly<Record<string, string>>;
}

/** One broken invariant: which family, what is wrong, and where in the definition. */
export interface FamilyViolation {
  readonly family: string;
  readonly where: string;
  readonly what: string;
}

/** Thrown when a family's definition breaks its invariants; lists every violation, not just the first. */
export class FamilyDefinitionError extends Error {
  override readonly name = 'FamilyDefinitionError';
  constructor(readonly violations: readonly FamilyViolation[]) {
    const families = [...new Set(violations.map((v) => v.family))].join(', ');
    super(
      [
        `family ${families} breaks ${violations.length} invariant${violations.length === 1 ? '' : 's'}:`,
        ...violations.map((v) => `  - ${v.family} ${v.where}: ${v.what}`),
      ].join('\n'),
    );
  }
}

/** The parties the workflow asks for evidence, in the order it asks them. */
const PARTIES: readonly Party[] = ['seller', 'buyer'];

/** Every team a ruleset can choose, in rule order. */
export const routingTeams = (routing: RoutingRuleset): string[] => [
  ...new Set(routing.rules.map((r) => r.team)),
];

const duplicates = (values: readonly string[]): string[] => [
  ...new Set(values.filter((v, i) => values.indexOf(v) !== i)),
];

const isPlain = (value: unknown): value is Record<string, unknown> =>
  Array.isArray(value) ||
  (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype);

/**
 * Every message template a family holds — defaults, region variants, and whatever other sets it gains —
 * found by walking its plain objects and arrays (never into a schema) for anything shaped like a template.
 */
const templateIds = (value: unknown): string[] => {
  if (!isPlain(value)) return [];
  if (typeof value.id === 'string' && typeof value.version === 'number' && typeof value.text === 'function')
    return [value.id];
  return Object.values(value).flatMap(templateIds);
};

/** The reasons the intake schema's `reason` accepts, when it is a plain enum on an object (as it should be). */
const intakeReasons = (intake: z.ZodType): readonly string[] | undefined => {
  if (!(intake instanceof z.ZodObject)) return undefined;
  const reason = (intake.shape as Record<string, unknown>).reason;
  return reason instanceof z.ZodEnum ? (reason.options as string[]) : undefined;
};

/**
 * The family's invariants, each violation named. What a case relies on when it reaches a step: a team
 * routing chooses can receive a handoff; some rule always matches; the evidence checklist knows every
 * reason; an outcome the workflow records exists; access and turnaround name teams that exist.
 */
export const familyViolations = <I extends BaseIntake>(
  definition: FamilyDefinition<I>,
): FamilyViolation[] => {
  const violations: FamilyViolation[] = [];
  const add = (where: string, what: string) => violations.push({ family: definition.id, where, what });
  const reasons = Object.keys(definition.reasons);
  const known = new Set(reasons);
  const rules = definition.routing.rules;
  const teams = routingTeams(definition.routing);
  const outcomes = new Set(definition.outcomes.map((o) => o.id));
  const contracts = definition.handoff.contracts;

  // Routing: a rule for every case, a contract for every team, reasons that exist.
  const last = rules.at(-1);
  if (!last) add('routing.rules', 'no rules: every case needs a team');
  else if (Object.keys(last.when).length > 0)
    add(`routing rule ${last.id}`, 'the last rule must match everything (an empty `when`)');
  for (const id of duplicates(rules.map((r) => r.id))) add(`routing rule ${id}`, 'rule id used twice');
  for (const rule of rules) {
    for (const reason of rule.when.reason ?? [])
      if (!known.has(reason)) add(`routing rule ${rule.id}`, `matches unknown reason "${reason}"`);
  }
  if (!Object.hasOwn(contracts, '*')) {
    for (const team of teams)
      if (!Object.hasOwn(contracts, team))
        add(`handoff.contracts`, `no contract for team "${team}", which routing can choose (nor a "*" one)`);
  }

  // Evidence: every reason covered (or declared as needing none), every item for known reasons.
  const notNeeded = definition.evidenceNotNeeded ?? {};
  for (const id of duplicates(definition.evidence.map((e) => e.kind)))
    add(`evidence ${id}`, 'evidence kind listed twice');
  for (const item of definition.evidence) {
    for (const reason of item.requiredFor)
      if (!known.has(reason)) add(`evidence ${item.kind}`, `requiredFor names unknown reason "${reason}"`);
  }
  for (const reason of reasons) {
    const required = definition.evidence.some((e) => e.requiredFor.includes(reason));
    if (!required && !Object.hasOwn(notNeeded, reason))
      add(
        `reason ${reason}`,
        'no evidence item is required for it; add one, or declare it in `evidenceNotNeeded` with why',
      );
    if (required && Object.hasOwn(notNeeded, reason))
      add(`evidenceNotNeeded.${reason}`, 'declared as needing no evidence, yet evidence items require it');
  }
  for (const reason of Object.keys(notNeeded))
    if (!known.has(reason)) add(`evidenceNotNeeded.${reason}`, 'not one of the family’s reasons');

  // Intake: the schema accepts exactly the declared reasons.
  const accepted = intakeReasons(definition.intake);
  if (!accepted) add('intake.reason', 'must be a z.enum of the declared reasons on a z.object intake');
  else {
    const missing = reasons.filter((r) => !accepted.includes(r));
    const extra = accepted.filter((r) => !known.has(r));
    if (missing.length > 0) add('intake.reason', `does not accept declared reasons: ${missing.join(', ')}`);
    if (extra.length > 0) add('intake.reason', `accepts undeclared reasons: ${extra.join(', ')}`);
  }

  // Outcomes the workflow records on its own must exist.
  for (const id of duplicates(definition.outcomes.map((o) => o.id)))
    add(`outcome ${id}`, 'outcome id used twice');
  if (definition.mediation && !outcomes.has(definition.mediation.outcome))
    add('mediation.outcome', `"${definition.mediation.outcome}" is not one of the family's outcomes`);
  if (definition.evidenceTimeout && !outcomes.has(definition.evidenceTimeout.outcome))
    add(
      'evidenceTimeout.outcome',
      `"${definition.evidenceTimeout.outcome}" is not one of the family's outcomes`,
    );
  // The follow-up: a real wait, and one that ends while "not handled" can still reopen the case.
  const followUpMs = durationMs(definition.followUp.after);
  if (followUpMs === undefined)
    add('followUp.after', `"${definition.followUp.after}" is not an ISO 8601 duration in days/hours (P3D)`);
  else if (followUpMs < 3_600_000) add('followUp.after', 'must be at least an hour after resolution');
  else if (followUpMs >= definition.windows.reopenDays * 86_400_000)
    add(
      'followUp.after',
      `must come before the reopen window (${definition.windows.reopenDays} days) closes`,
    );
  if (definition.mediation && !definition.templates.mediationOffer)
    add('templates.mediationOffer', 'a family that mediates needs a mediation offer template');
  if (!definition.mediation && definition.templates.mediationOffer)
    add('templates.mediationOffer', 'a mediation offer template without a mediation policy is never sent');

  // Teams named outside routing must be teams routing uses.
  for (const team of definition.protectedAccess ?? [])
    if (!teams.includes(team)) add('protectedAccess', `team "${team}" is not a team routing can choose`);
  for (const team of Object.keys(definition.turnaroundHours ?? {}))
    if (!teams.includes(team)) add('turnaroundHours', `team "${team}" is not a team routing can choose`);

  // Quality reviews: a share is a fraction of the resolved cases.
  const share = definition.review.sampleShare;
  if (!(Number.isFinite(share) && share >= 0 && share <= 1))
    add('review.sampleShare', `must be a share from 0 to 1, not ${share}`);

  // Templates: each id names one wording (messages record id@version).
  for (const id of duplicates(templateIds(definition.templates)))
    add(`template ${id}`, 'template id used twice');

  // Snippets: one id each, and a request for more needs something the seller can be asked for.
  const snippets = definition.templates.snippets;
  for (const id of duplicates(snippets.map((x) => x.id))) add(`snippet ${id}`, 'snippet id used twice');
  if (snippets.some((x) => x.asksForEvidence) && !definition.evidence.some((e) => e.provider === 'seller'))
    add('templates.snippets', 'a snippet asks for evidence, but the family has no seller evidence items');

  return violations;
};

/** The workflow's shape, as the policy implies it. */
const workflowOf = <I extends BaseIntake>(definition: FamilyDefinition<I>): Family<I>['workflow'] => ({
  evidenceFrom: PARTIES.filter((party) => definition.evidence.some((e) => e.provider === party)),
  mediation: definition.mediation !== undefined,
});

/**
 * Every family's one entry point: checks the definition's invariants when the module loads (a broken
 * family fails `npm test`, the emit check and every cold start, never a case halfway through) and derives
 * the rest. Throws a `FamilyDefinitionError` listing every violation.
 */
export const defineFamily = <I extends BaseIntake>(definition: FamilyDefinition<I>): Family<I> => {
  const violations = familyViolations(definition);
  if (violations.length > 0) throw new FamilyDefinitionError(violations);
  return { ...definition, workflow: workflowOf(definition) };
};
