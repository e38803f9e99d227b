import { z } from 'zod';
import { FAMILIES } from '#policy/families.ts';
import {
  type BaseIntake,
  type Family,
  type MessageTemplate,
  REGIONS,
  SELLER_TIERS,
  type TemplateSet,
} from '#policy/family-policy.ts';
import { PRIORITY, type PriorityRuleset } from '#policy/priority.ts';
import { ESCALATION_REASONS, escalationTarget } from './escalation.ts';
import {
  DEADLINE_BUFFER_MS,
  DEFAULT_NEXT_UPDATE_HOURS,
  DEFAULT_TURNAROUND_HOURS,
  ESCALATE_AT,
  WARN_AT,
} from './sla.ts';

/**
 * The portable policy (`sellerworks policy export DIR`): the families' taxonomy, intake schemas, routing
 * rules, evidence contracts, SLA targets, the escalation ladder, the queue priorities and every template
 * with its governance, as JSON documents, each validated by a JSON Schema (draft-07) written beside them.
 * Built from the very objects the code runs (`FAMILIES`, `PRIORITY`, sla.ts, escalation.ts), so it cannot
 * drift from them; the test holds each document, interpreted, equal to what the code does.
 *
 * What is code and not data is said so, never described loosely: triage (how an intake and the seller's
 * history become the facts routing matches on), how a reply maps to evidence kinds, which evidence an
 * intake itself carries, an external deadline's source, the handoff payload's builder, and intake checks
 * beyond what JSON Schema holds (dates in range, cents). Each is `{ "as": "code", "module": … }`.
 */

/** A part of the policy that runs as TypeScript: where it is, and what it decides. */
const codeRef = z
  .object({
    as: z.literal('code'),
    module: z.string().describe('the module of the repository that holds it'),
    decides: z.string(),
  })
  .strict();
type CodeRef = z.infer<typeof codeRef>;

/** A JSON Schema generated from the zod schema the code validates with (draft-07). */
const jsonSchema = z.record(z.string(), z.unknown()).describe('a JSON Schema (draft-07)');

const condition = z
  .object({
    reason: z.array(z.string()).optional(),
    risk: z.array(z.enum(['low', 'medium', 'high'])).optional(),
    urgency: z.array(z.enum(['normal', 'high'])).optional(),
    tier: z.array(z.enum(SELLER_TIERS)).optional(),
    region: z.array(z.enum(REGIONS)).optional(),
    amountAtLeast: z.number().optional(),
    priorCases90dAtLeast: z.number().optional(),
    signalAtLeast: z.record(z.string(), z.number()).optional(),
    signalIn: z.record(z.string(), z.array(z.union([z.string(), z.number(), z.boolean()]))).optional(),
  })
  .strict()
  .describe(
    'every field present must hold of the triage facts: a list, the fact is one of it; `…AtLeast`, the fact ' +
      '(amount, priorCases90d, or the named signal, a number) is at least it; `signalIn`, the named signal ' +
      'is one of the values. An empty condition always holds.',
  );

const triageFacts = [
  'family',
  'reason',
  'region',
  'tier',
  'amount',
  'currency',
  'priorCases90d',
  'risk',
  'urgency',
  'signals',
] as const;

/** Each kind of document, by the name of its schema file (`schemas/<kind>.schema.json`). */
export const POLICY_DOCUMENT_SCHEMAS = {
  index: z
    .object({
      format: z.literal('sellerworks-policy'),
      formatVersion: z.literal(1),
      families: z.array(z.string()),
      documents: z.array(z.object({ path: z.string(), schema: z.string() }).strict()),
    })
    .strict(),
  family: z
    .object({
      id: z.string(),
      name: z.string(),
      description: z.string(),
      reasons: z.array(z.object({ id: z.string(), label: z.string() }).strict()),
      outcomes: z.array(
        z
          .object({ id: z.string(), label: z.string(), sellerSummary: z.string(), policyRef: z.string() })
          .strict(),
      ),
      windows: z.object({ appealDays: z.number(), reopenDays: z.number() }).strict(),
      waits: z.record(z.string(), z.number()).describe('hard caps on the workflow’s waits, in seconds'),
      workflow: z.object({ evidenceFrom: z.array(z.string()), mediation: z.boolean() }).strict(),
      statusLabels: z.record(z.string(), z.string()).optional(),
      triage: codeRef.extend({ facts: z.array(z.enum(triageFacts)) }),
    })
    .strict(),
  intake: z
    .object({
      family: z.string(),
      schema: jsonSchema,
      beyondSchema: codeRef.describe('checks the JSON Schema cannot hold (refinements)'),
    })
    .strict(),
  routing: z
    .object({
      family: z.string(),
      version: z.string(),
      order: z.literal('first-match').describe('the first rule whose condition holds chooses the team'),
      rules: z.array(
        z.object({ id: z.string(), description: z.string(), when: condition, team: z.string() }).strict(),
      ),
    })
    .strict(),
  priority: z
    .object({
      version: z.string(),
      order: z.literal('first-match'),
      rules: z.array(
        z
          .object({ id: z.string(), description: z.string(), level: z.number().int(), when: condition })
          .strict(),
      ),
    })
    .strict(),
  evidence: z
    .object({
      family: z.string(),
      items: z.array(
        z
          .object({
            kind: z.string(),
            label: z.string(),
            provider: z.enum(['seller', 'buyer', 'internal']),
            requiredFor: z.array(z.string()),
            protected: z.boolean(),
          })
          .strict(),
      ),
      protectedAccess: z.array(z.string()).describe('teams that may open protected evidence'),
      handoffContracts: z
        .record(z.string(), jsonSchema)
        .describe('what a receiving team gets beyond the common handoff; `*` for any other team'),
      fromReply: codeRef,
      atIntake: codeRef,
      handoffDetails: codeRef,
    })
    .strict(),
  sla: z
    .object({
      family: z.string(),
      byTier: z.record(
        z.enum(SELLER_TIERS),
        z.object({ firstResponseHours: z.number(), resolutionHours: z.number() }).strict(),
      ),
      nextUpdateHours: z.number(),
      turnaroundHours: z
        .object({ default: z.number(), byTeam: z.record(z.string(), z.number()) })
        .strict()
        .describe('a receiving team’s target from handoff to decision'),
      externalDeadline: codeRef
        .extend({ bufferHours: z.number() })
        .nullable()
        .describe(
          'where the intake carries a deadline, the resolution target is the earlier of the tier’s and the ' +
            'deadline less the buffer (at least one hour)',
        ),
    })
    .strict(),
  escalation: z
    .object({
      warnAtShare: z.number().describe('share of a target used when the owning team is warned'),
      levels: z.array(
        z.object({ level: z.number().int(), atShare: z.number(), escalateTo: z.string() }).strict(),
      ),
      beyond: z.string().describe('where an escalation past the last level goes'),
      failures: z.object({ reasons: z.array(z.string()), escalateTo: z.string() }).strict(),
      reasons: z.array(z.string()),
    })
    .strict(),
  templates: z
    .object({
      family: z.string(),
      placeholders: z
        .string()
        .describe('how `subject` and `text` are filled in (the same words for every template)'),
      templates: z.array(
        z
          .object({
            id: z.string(),
            version: z.number().int(),
            owner: z.string(),
            reviewBy: z.string(),
            policyRef: z.string(),
            message: z.string().describe('the kind of message (`firstResponse`…) or `snippet:<id>`'),
            region: z.enum(REGIONS).nullable().describe('null: the default wording'),
            snippet: z
              .object({ label: z.string(), freeText: z.string(), asksForEvidence: z.boolean() })
              .strict()
              .optional(),
            variables: jsonSchema,
            variants: z.array(
              z
                .object({
                  when: z.record(z.string(), z.string()),
                  subject: z.string(),
                  text: z.string(),
                })
                .strict(),
            ),
          })
          .strict(),
      ),
    })
    .strict(),
} as const;

export type PolicyDocumentKind = keyof typeof POLICY_DOCUMENT_SCHEMAS;

/** Each schema file's JSON Schema, generated from the zod schema above. */
export const policySchemas = (): Record<PolicyDocumentKind, Record<string, unknown>> =>
  Object.fromEntries(
    Object.entries(POLICY_DOCUMENT_SCHEMAS).map(([kind, schema]) => [
      kind,
      { ...z.toJSONSchema(schema, { target: 'draft-7' }), title: `SellerWorks policy: ${kind}` },
    ]),
  ) as unknown as Record<PolicyDocumentKind, Record<string, unknown>>;

const toJson = (schema: z.ZodType) =>
  z.toJSONSchema(schema, { target: 'draft-7', io: 'input', unrepresentable: 'any' }) as Record<
    string,
    unknown
  >;

// ---------------------------------------------------------------------------------------------------------
// Templates as data. A template's wording is a function of its variables; it is written out by rendering it
// with each variable as a placeholder, once per variant: each value of an enum variable, and for an optional
// one whether it is absent, empty or given (the wording may differ, e.g. an agent's own words or not).

export const PLACEHOLDERS =
  'Pick the variant whose `when` holds for the variables: a variable named there equals the value, or is ' +
  '"(absent)", "(empty)" (the empty string) or "(given)" (any other value). In its subject and text, ' +
  '`{{name}}` is the variable’s value; a line holding `{{name[]}}` is written once per item of that list, ' +
  'with the item in its place, the lines joined by a newline. Nothing else is special.';

const ABSENT = '(absent)';
const EMPTY = '(empty)';
const GIVEN = '(given)';

interface Axis {
  readonly name: string;
  readonly states: readonly string[];
}

const fieldsOf = (schema: z.ZodType): [string, z.ZodType][] =>
  schema instanceof z.ZodObject ? (Object.entries(schema.shape) as [string, z.ZodType][]) : [];

/** The variables a template's wording may branch on, and the states each can be in. */
const axesOf = (schema: z.ZodType): Axis[] =>
  fieldsOf(schema).flatMap(([name, field]) => {
    const optional = field instanceof z.ZodOptional;
    const inner = optional ? (field.unwrap() as z.ZodType) : field;
    if (inner instanceof z.ZodEnum)
      return [{ name, states: [...(optional ? [ABSENT] : []), ...(inner.options as string[])] }];
    if (inner instanceof z.ZodArray) return optional ? [{ name, states: [ABSENT, GIVEN] }] : [];
    return optional ? [{ name, states: [ABSENT, EMPTY, GIVEN] }] : [];
  });

const combinations = (axes: readonly Axis[]): Record<string, string>[] =>
  axes.reduce<Record<string, string>[]>(
    (all, axis) => all.flatMap((when) => axis.states.map((state) => ({ ...when, [axis.name]: state }))),
    [{}],
  );

/** The template's variables for one variant: placeholders, or the state the variant names. */
const placeholderVars = (schema: z.ZodType, when: Record<string, string>): Record<string, unknown> =>
  Object.fromEntries(
    fieldsOf(schema).flatMap(([name, field]) => {
      const inner = field instanceof z.ZodOptional ? (field.unwrap() as z.ZodType) : field;
      const state = when[name];
      if (state === ABSENT) return [];
      if (state === EMPTY) return [[name, '']];
      if (state !== undefined && state !== GIVEN) return [[name, state]];
      return [[name, inner instanceof z.ZodArray ? [`{{${name}[]}}`] : `{{${name}}}`]];
    }),
  );

const templateDocument = <V>(
  template: MessageTemplate<V>,
  message: string,
  region: string | null,
  snippet?: { label: string; freeText: string; asksForEvidence: boolean },
) => ({
  id: template.id,
  version: template.version,
  owner: template.owner,
  reviewBy: template.reviewBy,
  policyRef: template.policyRef,
  message,
  region,
  ...(snippet ? { snippet } : {}),
  variables: toJson(template.variables),
  variants: combinations(axesOf(template.variables)).map((when) => {
    const vars = placeholderVars(template.variables, when) as V;
    return { when, subject: template.subject(vars), text: template.text(vars) };
  }),
});

const setDocuments = <V>(set: TemplateSet<V>, message: string) => [
  templateDocument(set.default, message, null),
  ...(Object.entries(set.regions ?? {}) as [string, MessageTemplate<V>][]).map(([region, template]) =>
    templateDocument(template, message, region),
  ),
];

// ---------------------------------------------------------------------------------------------------------

const familyModule = (family: string, file: string) => `functions/policy/${family}/${file}`;

const familyDocuments = (family: Family<BaseIntake>) => {
  const id = family.id;
  const code = (file: string, decides: string): CodeRef => ({
    as: 'code',
    module: familyModule(id, file),
    decides,
  });
  const { snippets, ...sets } = family.templates;
  return {
    family: {
      id,
      name: family.name,
      description: family.description,
      reasons: Object.entries(family.reasons).map(([reason, label]) => ({ id: reason, label })),
      outcomes: family.outcomes.map((o) => ({
        id: o.id,
        label: o.label,
        sellerSummary: o.sellerSummary,
        policyRef: o.policyRef,
      })),
      windows: { ...family.windows },
      waits: { ...family.waits },
      workflow: { evidenceFrom: [...family.workflow.evidenceFrom], mediation: family.workflow.mediation },
      ...(family.statusLabels ? { statusLabels: { ...family.statusLabels } } : {}),
      triage: {
        ...code('triage.ts', 'the facts routing and priority rules match on, from the intake and history'),
        facts: [...triageFacts],
      },
    },
    intake: {
      family: id,
      schema: toJson(family.intake),
      beyondSchema: code('intake.ts', 'refinements: dates within their range, amounts in cents'),
    },
    routing: {
      family: id,
      version: family.routing.version,
      order: 'first-match' as const,
      rules: family.routing.rules.map((r) => ({
        id: r.id,
        description: r.description,
        when: r.when,
        team: r.team,
      })),
    },
    evidence: {
      family: id,
      items: family.evidence.map((e) => ({
        kind: e.kind,
        label: e.label,
        provider: e.provider,
        requiredFor: [...e.requiredFor],
        protected: e.protected === true,
      })),
      protectedAccess: [...(family.protectedAccess ?? [])],
      handoffContracts: Object.fromEntries(
        Object.entries(family.handoff.contracts).map(([team, contract]) => [team, toJson(contract)]),
      ),
      fromReply: code('evidence.ts', 'which evidence kinds a reply provides (attachment types, words)'),
      atIntake: code('index.ts', 'which evidence kinds the intake itself provides'),
      handoffDetails: code('handoff.ts', 'the handoff payload a receiving team gets, from the intake'),
    },
    sla: {
      family: id,
      byTier: Object.fromEntries(SELLER_TIERS.map((tier) => [tier, { ...family.sla[tier] }])),
      nextUpdateHours: family.nextUpdateHours ?? DEFAULT_NEXT_UPDATE_HOURS,
      turnaroundHours: { default: DEFAULT_TURNAROUND_HOURS, byTeam: { ...family.turnaroundHours } },
      externalDeadline: family.externalDeadline
        ? {
            ...code('index.ts', 'the deadline outside our policy an intake carries'),
            bufferHours: DEADLINE_BUFFER_MS / 3_600_000,
          }
        : null,
    },
    templates: {
      family: id,
      placeholders: PLACEHOLDERS,
      templates: [
        ...Object.entries(sets).flatMap(([message, set]) =>
          set ? setDocuments(set as TemplateSet<unknown>, message) : [],
        ),
        ...snippets.flatMap((s) =>
          [
            templateDocument(s.template.default, `snippet:${s.id}`, null, {
              label: s.label,
              freeText: s.freeText,
              asksForEvidence: s.asksForEvidence,
            }),
          ].concat(
            (Object.entries(s.template.regions ?? {}) as [string, MessageTemplate<unknown>][]).map(
              ([region, template]) => templateDocument(template, `snippet:${s.id}`, region),
            ),
          ),
        ),
      ],
    },
  } satisfies Partial<Record<PolicyDocumentKind, unknown>>;
};

/** The escalation ladder as escalation.ts and sla.ts run it. */
const escalationDocument = () => {
  const levels = ESCALATE_AT.map((share, i) => ({
    level: i + 1,
    atShare: share,
    escalateTo: escalationTarget('sla_breach', i + 1),
  }));
  const failures = ESCALATION_REASONS.filter((r) => escalationTarget(r, 1) === escalationTarget(r, 9));
  return {
    warnAtShare: WARN_AT,
    levels,
    beyond: escalationTarget('sla_breach', levels.length + 1),
    failures: { reasons: [...failures], escalateTo: escalationTarget(failures[0] ?? 'step_failed', 1) },
    reasons: [...ESCALATION_REASONS],
  };
};

export interface PolicyFile {
  /** Where it goes, relative to the export's folder. */
  readonly path: string;
  /** Its schema's path, relative to the export's folder (for a schema file: none). */
  readonly schema?: string;
  readonly content: unknown;
}

export const schemaPath = (kind: PolicyDocumentKind) => `schemas/${kind}.schema.json`;

/**
 * Every file of the export: per family a folder (`<family>/family.json`, `intake.json`, `routing.json`,
 * `evidence.json`, `sla.json`, `templates.json`), the rules every family shares at the top
 * (`priority.json`, `escalation.json`), `index.json` listing each document with its schema, and
 * `schemas/<kind>.schema.json`: one schema per kind of document, shared by the families.
 */
export const policyFiles = (
  families: Readonly<Record<string, Family<BaseIntake>>> = FAMILIES,
  priority: PriorityRuleset = PRIORITY,
): PolicyFile[] => {
  const documents: { path: string; kind: PolicyDocumentKind; content: unknown }[] = [];
  for (const family of Object.values(families)) {
    for (const [kind, content] of Object.entries(familyDocuments(family)))
      documents.push({ path: `${family.id}/${kind}.json`, kind: kind as PolicyDocumentKind, content });
  }
  documents.push({
    path: 'priority.json',
    kind: 'priority',
    content: { version: priority.version, order: 'first-match', rules: priority.rules },
  });
  documents.push({ path: 'escalation.json', kind: 'escalation', content: escalationDocument() });
  const index = {
    format: 'sellerworks-policy',
    formatVersion: 1,
    families: Object.keys(families),
    documents: documents.map((d) => ({ path: d.path, schema: schemaPath(d.kind) })),
  };
  const schemas = policySchemas();
  return [
    { path: 'index.json', schema: schemaPath('index'), content: index },
    ...documents.map((d) => ({ path: d.path, schema: schemaPath(d.kind), content: d.content })),
    ...(Object.keys(schemas) as PolicyDocumentKind[]).map((kind) => ({
      path: schemaPath(kind),
      content: schemas[kind],
    })),
  ];
};
