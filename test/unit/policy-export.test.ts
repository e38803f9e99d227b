import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv from 'ajv';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writePolicy } from '#domain/policy-export-files.ts';
import { firstMatch, route } from '#domain/routing.ts';
import { startClocks } from '#domain/sla.ts';
import { FAMILIES } from '#policy/families.ts';
import {
  type MessageTemplate,
  REGIONS,
  SELLER_TIERS,
  type TemplateSet,
  type TriageFacts,
} from '#policy/family-policy.ts';
import { PRIORITY } from '#policy/priority.ts';
import { FAMILY_IDS, type FamilyId } from '#state-machines/catalog.ts';
import { SAMPLE_INTAKES } from '../support/past-cases.ts';

/**
 * The exported policy, read back as another tool would read it: every document valid against its schema,
 * and each, interpreted by the rules its schema states (not by the code), doing what the code does.
 */

let dir: string;
const read = async (path: string) => JSON.parse(await readFile(join(dir, path), 'utf8'));

interface IndexDocument {
  families: FamilyId[];
  documents: { path: string; schema: string }[];
}
let index: IndexDocument;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sellerworks-policy-'));
  await writePolicy(dir);
  index = await read('index.json');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

// ---- An interpreter of the exported documents, written from their schemas' descriptions. -------------

type Condition = Record<string, unknown>;
const holds = (when: Condition, facts: TriageFacts): boolean =>
  Object.entries(when).every(([field, expected]) => {
    const value = (facts as unknown as Record<string, unknown>)[field];
    if (field === 'amountAtLeast')
      return typeof facts.amount === 'number' && facts.amount >= (expected as number);
    if (field === 'priorCases90dAtLeast') return facts.priorCases90d >= (expected as number);
    if (field === 'signalAtLeast')
      return Object.entries(expected as Record<string, number>).every(([name, least]) => {
        const signal = facts.signals[name];
        return typeof signal === 'number' && signal >= least;
      });
    if (field === 'signalIn')
      return Object.entries(expected as Record<string, unknown[]>).every(([name, allowed]) =>
        allowed.includes(facts.signals[name]),
      );
    return (expected as unknown[]).includes(value);
  });
const firstRule = <R extends { when: Condition }>(rules: R[], facts: TriageFacts) =>
  rules.find((rule) => holds(rule.when, facts));

interface Variant {
  when: Record<string, string>;
  subject: string;
  text: string;
}
const fill = (wording: string, vars: Record<string, unknown>) =>
  wording
    .split('\n')
    .map((line) => {
      const list = /\{\{(\w+)\[\]\}\}/.exec(line)?.[1];
      const once = (item?: string) =>
        line.replace(/\{\{(\w+)(\[\])?\}\}/g, (_, name: string, isList?: string) =>
          isList ? (item ?? '') : String(vars[name]),
        );
      return list ? ((vars[list] as string[]) ?? []).map(once).join('\n') : once();
    })
    .join('\n');
const stateOf = (value: unknown) =>
  value === undefined ? '(absent)' : value === '' ? '(empty)' : typeof value === 'string' ? value : '(given)';
const renderExported = (variants: Variant[], vars: Record<string, unknown>) => {
  const variant = variants.find((v) =>
    Object.entries(v.when).every(([name, state]) => {
      const actual = stateOf(vars[name]);
      return state === actual || (state === '(given)' && !['(absent)', '(empty)'].includes(actual));
    }),
  );
  if (!variant) throw new Error(`no variant for ${JSON.stringify(vars)}`);
  return { subject: fill(variant.subject, vars), text: fill(variant.text, vars) };
};

// -------------------------------------------------------------------------------------------------------

describe('policy export', () => {
  it('writes every document with a schema it validates against, and every schema is valid draft-07', async () => {
    const ajv = new Ajv({ allErrors: true, unknownFormats: 'ignore' });
    expect(index.families).toEqual([...FAMILY_IDS]);
    expect(index.documents.length).toBe(FAMILY_IDS.length * 6 + 2);
    for (const { path, schema } of [
      { path: 'index.json', schema: 'schemas/index.schema.json' },
      ...index.documents,
    ]) {
      const schemaDocument = await read(schema);
      expect(ajv.validateSchema(schemaDocument), `${schema}: ${ajv.errorsText()}`).toBe(true);
      const valid = ajv.validate(schemaDocument, await read(path));
      expect(valid, `${path}: ${ajv.errorsText()}`).toBe(true);
    }
  });

  it('refuses a document that breaks its schema', async () => {
    const ajv = new Ajv({ allErrors: true });
    const routing = await read('payout-hold/routing.json');
    routing.rules[0].when.amountAtleast = 5000;

    expect(ajv.validate(await read('schemas/routing.schema.json'), routing)).toBe(false);
    expect(ajv.errorsText()).toMatch(/additional properties/);
  });

  it('exports intake and handoff schemas that are JSON Schema and accept the sample intakes', async () => {
    const ajv = new Ajv({ allErrors: true, unknownFormats: 'ignore' });
    for (const family of FAMILY_IDS) {
      const intake = await read(`${family}/intake.json`);
      expect(ajv.validateSchema(intake.schema), family).toBe(true);
      expect(ajv.validate(intake.schema, SAMPLE_INTAKES[family]), `${family}: ${ajv.errorsText()}`).toBe(
        true,
      );
      expect(ajv.validate(intake.schema, { ...SAMPLE_INTAKES[family], reason: 'no_such_reason' })).toBe(
        false,
      );
      const evidence = await read(`${family}/evidence.json`);
      for (const contract of Object.values(evidence.handoffContracts))
        expect(ajv.validateSchema(contract as object), family).toBe(true);
    }
  });

  it('routes, prioritises and sets SLA targets as the code does, for generated intakes', async () => {
    const documents = Object.fromEntries(
      await Promise.all(
        FAMILY_IDS.map(async (family) => [
          family,
          { routing: await read(`${family}/routing.json`), sla: await read(`${family}/sla.json`) },
        ]),
      ),
    );
    const priority = await read('priority.json');
    const intakes = fc.constantFrom(...FAMILY_IDS).chain((family) =>
      fc.record({
        family: fc.constant(family),
        reason: fc.constantFrom(...Object.keys(FAMILIES[family].reasons)),
        region: fc.constantFrom(...REGIONS),
        tier: fc.constantFrom(...SELLER_TIERS),
        amount: fc.integer({ min: 1, max: 3_000_000 }).map((cents) => cents / 100),
        priorCases90d: fc.nat(8),
        more365d: fc.nat(6),
      }),
    );
    fc.assert(
      fc.property(intakes, ({ family, reason, region, tier, amount, priorCases90d, more365d }) => {
        const sample = SAMPLE_INTAKES[family];
        const intake = {
          ...sample,
          reason,
          region,
          ...(typeof sample.amount === 'number' ? { amount } : {}),
        };
        const policy = FAMILIES[family];
        const facts = policy.triage(
          intake as never,
          { priorCases90d, priorCases365d: priorCases90d + more365d },
          tier,
        );
        const exported = documents[family];

        const rule = firstRule(
          exported.routing.rules as { id: string; team: string; when: Condition }[],
          facts,
        );
        const routed = route(policy.routing, facts);
        expect([rule?.team, rule?.id]).toEqual([routed.team, routed.ruleId]);
        expect(firstRule(priority.rules as { level: number; when: Condition }[], facts)?.level).toBe(
          firstMatch(PRIORITY.rules, facts)?.rule.level,
        );
        if (exported.sla.externalDeadline === null) {
          const clocks = startClocks(policy, tier, intake as never, '2026-11-20T10:00:00.000Z');
          expect(exported.sla.byTier[tier]).toEqual({
            firstResponseHours: (clocks.firstResponse?.targetMs ?? 0) / 3_600_000,
            resolutionHours: (clocks.resolution?.targetMs ?? 0) / 3_600_000,
          });
        } else {
          expect(exported.sla.byTier[tier]).toEqual(policy.sla[tier]);
        }
      }),
      { numRuns: 2_000 },
    );
  });

  it('holds every template with its governance, and its wording equals the code’s for generated variables', async () => {
    const words = fc.stringMatching(/^[A-Za-z0-9 .,:@/_-]{0,24}$/);
    for (const family of FAMILY_IDS) {
      const exported = (await read(`${family}/templates.json`)).templates as {
        id: string;
        version: number;
        owner: string;
        reviewBy: string;
        policyRef: string;
        variants: Variant[];
      }[];
      const { snippets, ...sets } = FAMILIES[family].templates;
      const code = [
        ...Object.values(sets).flatMap((set) => {
          const s = set as TemplateSet<unknown> | undefined;
          return s ? [s.default, ...Object.values(s.regions ?? {})] : [];
        }),
        ...snippets.flatMap((s) => [s.template.default, ...Object.values(s.template.regions ?? {})]),
      ] as MessageTemplate<Record<string, unknown>>[];
      expect(exported.map((t) => `${t.id}@${t.version}`).sort()).toEqual(
        code.map((t) => `${t.id}@${t.version}`).sort(),
      );

      for (const template of code) {
        const document = exported.find((t) => t.id === template.id);
        expect(document).toMatchObject({
          owner: template.owner,
          reviewBy: template.reviewBy,
          policyRef: template.policyRef,
        });
        const shape = (template.variables as unknown as { shape: Record<string, { def: { type: string } }> })
          .shape;
        const field = (name: string): fc.Arbitrary<unknown> => {
          const def = shape[name]?.def as {
            type: string;
            innerType?: { def: { type: string; entries?: object } };
            entries?: object;
          };
          const inner = def.type === 'optional' ? def.innerType?.def : def;
          const value =
            inner?.type === 'enum'
              ? fc.constantFrom(...Object.values(inner.entries ?? {}))
              : inner?.type === 'array'
                ? fc.array(words, { minLength: 1, maxLength: 4 })
                : words;
          return def.type === 'optional' ? fc.option(value, { nil: undefined }) : value;
        };
        const vars = fc.record(Object.fromEntries(Object.keys(shape).map((name) => [name, field(name)])));
        fc.assert(
          fc.property(vars, (v) => {
            const defined = Object.fromEntries(Object.entries(v).filter(([, x]) => x !== undefined));
            expect(renderExported(document?.variants ?? [], defined)).toEqual({
              subject: template.subject(defined),
              text: template.text(defined),
            });
          }),
          { numRuns: 60 },
        );
      }
    }
  });

  it('states the escalation ladder the SLA clocks climb', async () => {
    const escalation = await read('escalation.json');
    expect(escalation).toEqual({
      warnAtShare: 0.75,
      levels: [
        { level: 1, atShare: 1, escalateTo: 'senior-reviewer' },
        { level: 2, atShare: 1.5, escalateTo: 'team-manager' },
      ],
      beyond: 'operations-lead',
      failures: { reasons: ['step_failed', 'escalation_failed'], escalateTo: 'support-operations' },
      reasons: ['evidence_timeout', 'decision_overdue', 'step_failed', 'sla_breach', 'escalation_failed'],
    });
  });
});
