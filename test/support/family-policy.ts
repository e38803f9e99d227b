import type { z } from 'zod';
import { toIssues } from '#commons/validation.ts';
import { route } from '#domain/routing.ts';
import type {
  BaseIntake,
  Family,
  MessageTemplate,
  SellerHistory,
  SellerTier,
  TemplateSet,
} from '#policy/family-policy.ts';

/** Helpers the per-family policy tests share: intake issue paths, contracts, every template and message. */

// The families are typed against their own intake; these helpers only read what every family has.
type AnyFamily = Family<BaseIntake> | Family<never>;
const asBase = (family: AnyFamily) => family as unknown as Family<BaseIntake>;

/** A seller with no earlier cases. */
export const NO_HISTORY: SellerHistory = { priorCases90d: 0, priorCases365d: 0 };

/** What the family's intake refuses in `input`, as the API names it (`{ path, reason }`; empty when it parses). */
export const intakeIssuesOf = (family: AnyFamily) => (input: unknown) => {
  const result = asBase(family).intake.safeParse(input);
  return result.success ? [] : toIssues(result.error);
};

/** Where the family's routing sends an intake built by `intakeOf` (a seller with no history, standard tier by default). */
export const routeWith =
  <I extends BaseIntake>(family: Family<I>, intakeOf: (overrides: Partial<I>) => I) =>
  (overrides: Partial<I>, tier: SellerTier = 'standard') =>
    route(family.routing, family.triage(intakeOf(overrides), NO_HISTORY, tier));

/** The dotted field paths of what the family's intake refuses in `input` (empty when it parses). */
export const issuePathsOf = (family: AnyFamily) => (input: unknown) =>
  asBase(family)
    .intake.safeParse(input)
    .error?.issues.map((issue) => issue.path.join('.')) ?? [];

/** The handoff contract a team receives (its own, or the family's `*`). */
export const contractOf =
  (family: AnyFamily) =>
  (team: string): z.ZodType => {
    const { contracts } = asBase(family).handoff;
    const contract = contracts[team] ?? contracts['*'];
    if (!contract) throw new Error(`no contract for ${team}`);
    return contract;
  };

/** Every template of the family: each message kind's and each reply snippet's default and region variants. */
export const everyTemplate = (family: AnyFamily): MessageTemplate<never>[] => {
  const { snippets, ...messages } = asBase(family).templates;
  return [
    ...(Object.values(messages) as unknown as (TemplateSet<never> | undefined)[]),
    ...snippets.map((s) => s.template as unknown as TemplateSet<never>),
  ].flatMap((set) => (set ? [set.default, ...Object.values(set.regions ?? {})] : []));
};

/**
 * Every standard message of the family rendered with valid variables (each parsed by its template's own
 * schema first): `[template id, subject, text]`, region variants included.
 */
export const renderEveryMessage = (
  family: AnyFamily,
  base: { readonly caseId: string; readonly subject: string; readonly caseUrl: string },
  words: {
    readonly reasonLabel: string;
    readonly missing: readonly string[];
    readonly resolution: Record<string, string>;
  },
): [string, string, string][] => {
  const t = asBase(family).templates;
  const vars: Record<string, unknown> = {
    firstResponse: { ...base, reasonLabel: words.reasonLabel },
    evidenceRequest: {
      ...base,
      reasonLabel: words.reasonLabel,
      audience: 'seller',
      missing: words.missing,
      dueBy: '2026-12-01',
    },
    reminder: { ...base, missing: words.missing, dueBy: '2026-12-01' },
    resolution: {
      caseId: base.caseId,
      subject: base.subject,
      appealUrl: `${base.caseUrl}/appeal`,
      ...words.resolution,
    },
    appealAcknowledgement: base,
    reopenAcknowledgement: base,
  };
  return Object.entries(vars).flatMap(([kind, raw]) => {
    const set = t[kind as keyof typeof t] as TemplateSet<unknown> | undefined;
    if (!set) return [];
    return [set.default, ...Object.values(set.regions ?? {})].map((template): [string, string, string] => {
      const parsed = template.variables.parse(raw);
      return [template.id, template.subject(parsed), template.text(parsed)];
    });
  });
};
