import type { z } from 'zod';
import type { FamilyId } from '#state-machines/catalog.ts';

export type Risk = 'low' | 'medium' | 'high';
export type Urgency = 'normal' | 'high';
export const SELLER_TIERS = ['new', 'standard', 'top_rated'] as const;
export type SellerTier = (typeof SELLER_TIERS)[number];
export const REGIONS = ['US', 'EU', 'UK', 'CA', 'AU'] as const;
export type Region = (typeof REGIONS)[number];

/** What triage knows about a case: the facts routing rules match on, all recorded on the case. */
export interface TriageFacts {
  readonly family: FamilyId;
  readonly reason: string;
  readonly amount: number;
  readonly currency: string;
  readonly region: Region;
  readonly tier: SellerTier;
  readonly priorCases90d: number;
  readonly risk: Risk;
  readonly urgency: Urgency;
}

/** The seller's recent history with this family, read from their cases. */
export interface SellerHistory {
  readonly priorCases90d: number;
}

/** A condition over facts; every present field must hold for the rule to match. */
export interface RuleCondition {
  readonly reason?: readonly string[];
  readonly risk?: readonly Risk[];
  readonly urgency?: readonly Urgency[];
  readonly tier?: readonly SellerTier[];
  readonly region?: readonly Region[];
  readonly amountAtLeast?: number;
  readonly priorCases90dAtLeast?: number;
}

export interface RoutingRule {
  readonly id: string;
  readonly description: string;
  readonly when: RuleCondition;
  readonly team: string;
}

/** Ordered rules: the first that matches chooses the team. The last rule should match everything. */
export interface RoutingRuleset {
  readonly version: string;
  readonly rules: readonly RoutingRule[];
}

export interface EvidenceItemSpec {
  readonly kind: string;
  readonly label: string;
  readonly provider: 'seller' | 'buyer' | 'internal';
  /** Claim reasons for which this item is required. */
  readonly requiredFor: readonly string[];
}

export interface Outcome {
  readonly id: string;
  readonly label: string;
  /** What the seller is told the outcome means for them. */
  readonly sellerSummary: string;
  readonly policyRef: string;
}

export interface MessageTemplate<V> {
  readonly id: string;
  readonly version: number;
  readonly owner: string;
  /** ISO date by which the owner must review the wording again. */
  readonly reviewBy: string;
  readonly policyRef: string;
  readonly variables: z.ZodType<V>;
  readonly subject: (vars: V) => string;
  /** Plain-text body; the HTML part is derived from it with every variable escaped. */
  readonly text: (vars: V) => string;
}

/** Evidence a seller's reply carried, as the evidence contract sees it. */
export interface ReplyContent {
  readonly text: string;
  readonly attachments: readonly { readonly contentType: string; readonly filename: string }[];
}

/** Fields every family's intake carries. */
export interface BaseIntake {
  readonly family: FamilyId;
  readonly reason: string;
  readonly region: Region;
  readonly sellerEmail: string;
}

/** Links a message may point the seller to. */
export interface MessageLinks {
  readonly caseUrl: string;
  readonly appealUrl: string;
}

export interface MessageContext<I> {
  readonly caseId: string;
  readonly intake: I;
  readonly links: MessageLinks;
}

/** The decision a team recorded, as messages use it. */
export interface DecisionFacts {
  readonly outcome: Outcome;
  readonly rationale: string;
  readonly appealBy: string;
}

export interface HandoffContext<I> {
  readonly caseId: string;
  readonly intake: I;
  readonly facts: TriageFacts;
  readonly team: string;
  readonly routing: { readonly ruleId: string; readonly reason: string };
  readonly evidenceReceived: readonly string[];
  readonly evidenceMissing: readonly string[];
}

/**
 * Everything that makes a family a family: policy as data (intake, triage, routing, evidence, outcomes,
 * templates, waits) that platform engineers review like code. The workflow shape lives in state-machines/.
 */
export interface Family<I extends BaseIntake> {
  readonly id: FamilyId;
  readonly name: string;
  readonly intake: z.ZodType<I>;
  readonly reasonLabels: Readonly<Record<string, string>>;
  triage(intake: I, history: SellerHistory, tier: SellerTier): TriageFacts;
  readonly routing: RoutingRuleset;
  readonly evidence: readonly EvidenceItemSpec[];
  /** Evidence kinds the intake itself already provides. */
  evidenceAtIntake(intake: I): string[];
  evidenceFromReply(reply: ReplyContent): string[];
  readonly outcomes: readonly Outcome[];
  readonly appealDays: number;
  /** Hard caps on the workflow's callback waits (ASL TimeoutSeconds). */
  readonly waits: { readonly evidenceSeconds: number; readonly decisionSeconds: number };
  /** Builds the receiving team's payload; the result is validated before any handoff is recorded. */
  readonly handoff: z.ZodType<unknown>;
  buildHandoff(ctx: HandoffContext<I>, allowedOutcomes: readonly string[]): unknown;
  /** Every template the family sends, for the governance check. */
  readonly templates: readonly MessageTemplate<never>[];
  firstResponse(ctx: MessageContext<I>): RenderedTemplate;
  evidenceRequest(
    ctx: MessageContext<I>,
    missing: readonly EvidenceItemSpec[],
    dueBy: string,
  ): RenderedTemplate;
  resolution(ctx: MessageContext<I>, decision: DecisionFacts): RenderedTemplate;
  /** A short label for ops lists, e.g. "order 1234". */
  subject(intake: I): string;
}

/** A template and its variables, bound; the domain renders and validates it. */
export interface RenderedTemplate {
  readonly template: MessageTemplate<never>;
  readonly vars: unknown;
}

/** Binds a template to its variables with the types checked at the call site. */
export const bind = <V>(template: MessageTemplate<V>, vars: V): RenderedTemplate => ({
  template: template as unknown as MessageTemplate<never>,
  vars,
});
