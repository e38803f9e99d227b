import type { z } from 'zod';
import type { FamilyId } from '#state-machines/catalog.ts';
import type { IntakeChannel } from './intake-fields.ts';
import type {
  AcknowledgementVars,
  EvidenceRequestVars,
  FirstResponseVars,
  FollowUpVars,
  MediationOfferVars,
  ReminderVars,
  ResolutionVars,
  SnippetVars,
} from './template-vars.ts';

export type Risk = 'low' | 'medium' | 'high';
export type Urgency = 'normal' | 'high';
export const SELLER_TIERS = ['new', 'standard', 'top_rated'] as const;
export type SellerTier = (typeof SELLER_TIERS)[number];
export const REGIONS = ['US', 'EU', 'UK', 'CA', 'AU'] as const;
export type Region = (typeof REGIONS)[number];
export type Party = 'seller' | 'buyer';

/** A family-specific fact routing rules may match on (prior strikes, affected listings, a deadline…). */
export type Signal = string | number | boolean;

/** What triage knows about a case: the facts routing rules match on, all recorded on the case. */
export interface TriageFacts {
  readonly family: FamilyId;
  readonly reason: string;
  readonly region: Region;
  readonly tier: SellerTier;
  readonly amount?: number;
  readonly currency?: string;
  readonly priorCases90d: number;
  readonly risk: Risk;
  readonly urgency: Urgency;
  readonly signals: Readonly<Record<string, Signal>>;
}

/** The seller's history with this family, read from their cases. */
export interface SellerHistory {
  readonly priorCases90d: number;
  readonly priorCases365d: number;
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
  /** Each named signal must be at least this number. */
  readonly signalAtLeast?: Readonly<Record<string, number>>;
  /** Each named signal must be one of these values. */
  readonly signalIn?: Readonly<Record<string, readonly Signal[]>>;
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
  /** Identity, bank or tax documents: visible only to teams with the right (DESIGN decision 6). */
  readonly protected?: boolean;
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

/** A template and its regional variants (policy and wording differ by marketplace region). */
export interface TemplateSet<V> {
  readonly default: MessageTemplate<V>;
  readonly regions?: Partial<Record<Region, MessageTemplate<V>>>;
}

/**
 * An approved reply an agent writes to the seller from (seed 000 §5: approved wording, not free-form
 * mail): a template like every other (owner, version, review date, policy), plus what the agent may add.
 * `freeText` says whether the agent's own words go in (`none`, `optional`, `required`); a snippet that
 * `asksForEvidence` names the items the agent picks and opens a new evidence wait with a fresh reply address.
 */
export interface Snippet {
  /** Short id within the family (`status-update`); the template's id is `<family>.snippet.<id>`. */
  readonly id: string;
  /** What agents see in the composer. */
  readonly label: string;
  readonly freeText: 'none' | 'optional' | 'required';
  readonly asksForEvidence: boolean;
  readonly template: TemplateSet<SnippetVars>;
}

export interface FamilyTemplates {
  readonly firstResponse: TemplateSet<FirstResponseVars>;
  readonly evidenceRequest: TemplateSet<EvidenceRequestVars>;
  readonly reminder: TemplateSet<ReminderVars>;
  readonly resolution: TemplateSet<ResolutionVars>;
  readonly appealAcknowledgement: TemplateSet<AcknowledgementVars>;
  readonly reopenAcknowledgement: TemplateSet<AcknowledgementVars>;
  readonly mediationOffer?: TemplateSet<MediationOfferVars>;
  /** After resolution: was the concern handled, and a 1–5 rating (follow-up.ts). */
  readonly followUp: TemplateSet<FollowUpVars>;
  /** The replies an assignee may send from (the composer offers these and nothing else). */
  readonly snippets: readonly Snippet[];
}

/** Evidence a reply carried, as the evidence contract sees it. */
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
  readonly channel?: IntakeChannel | undefined;
}

/** The shape of a family's workflow: which parties owe evidence, whether a mediation offer comes first. */
export interface WorkflowShape {
  readonly evidenceFrom: readonly Party[];
  readonly mediation: boolean;
}

/** What a family offers in mediation, before any team decides. */
export interface MediationPolicy<I> {
  /** The outcome recorded when the seller accepts. */
  readonly outcome: string;
  /** The offer in the seller's words, e.g. "refund the buyer 50% (USD 44.99) and keep the item". */
  offer(intake: I): string;
}

/**
 * Quality reviews (issue 16): a share of the family's resolved cases is sampled for a reviewer to score,
 * chosen by a hash of the case id (so a retried resolution samples the same way). An appeal that
 * overturned a decision is always reviewed, whatever the share.
 */
export interface ReviewPolicy {
  /** The share of first resolutions sampled, from 0 (none) to 1 (every one). */
  readonly sampleShare: number;
}

/**
 * Everything that makes a family a family: policy as data (intake, triage, routing, evidence, outcomes,
 * templates, handoff contracts, waits, windows, SLAs) that platform engineers review like code. The
 * workflow's shape is `workflow`; state-machines/ turns it into ASL from shared blocks.
 */
export interface Family<I extends BaseIntake> {
  readonly id: FamilyId;
  readonly name: string;
  readonly description: string;
  readonly intake: z.ZodType<I>;
  /** Reason id → the words sellers read. */
  readonly reasons: Readonly<Record<string, string>>;
  triage(intake: I, history: SellerHistory, tier: SellerTier): TriageFacts;
  readonly routing: RoutingRuleset;
  readonly evidence: readonly EvidenceItemSpec[];
  /**
   * The teams that may open this family's protected evidence (identity, bank, tax documents: DESIGN
   * decision 6). Every other team sees such evidence redacted; supervisors, who belong to no team, see it.
   */
  readonly protectedAccess?: readonly string[];
  /** Evidence kinds the intake itself already provides. */
  evidenceAtIntake(intake: I): string[];
  evidenceFromReply(reply: ReplyContent, party: Party): string[];
  readonly outcomes: readonly Outcome[];
  readonly windows: { readonly appealDays: number; readonly reopenDays: number };
  /** Quality reviews: which resolved cases a reviewer other than the decider scores (domain/reviews.ts). */
  readonly review: ReviewPolicy;
  /**
   * The follow-up after resolution: how long after each resolution (an ISO 8601 duration: `P3D`, `PT12H`)
   * the seller is asked whether the concern was handled, with a 1–5 rating. Within the reopen window, so
   * that "not handled" can still reopen the case (define-family.ts checks it).
   */
  readonly followUp: { readonly after: string };
  /** Hard caps on the workflow's callback waits (ASL TimeoutSeconds). */
  readonly waits: {
    readonly evidenceSeconds: number;
    readonly decisionSeconds: number;
    readonly mediationSeconds?: number;
  };
  /** SLA targets by seller tier (hours), for issue 5's clocks and the ops view. */
  readonly sla: Readonly<
    Record<SellerTier, { readonly firstResponseHours: number; readonly resolutionHours: number }>
  >;
  /** How long a seller may go without hearing from us while the case is open (default 48 h). */
  readonly nextUpdateHours?: number;
  /** Each receiving team's turnaround target for a handoff, in hours (default 48 h). */
  readonly turnaroundHours?: Readonly<Record<string, number>>;
  /**
   * What the receiving team needs beyond the common handoff fields, and its contract per team (`*` for any
   * other team). A handoff is refused unless the details validate against the receiving team's contract.
   */
  readonly handoff: {
    details(intake: I, team: string, facts?: TriageFacts): Record<string, unknown>;
    readonly contracts: Readonly<Record<string, z.ZodType>>;
  };
  readonly templates: FamilyTemplates;
  readonly workflow: WorkflowShape;
  readonly mediation?: MediationPolicy<I>;
  /**
   * What happens when the seller's evidence wait reaches its cap: by default the team decides on the
   * evidence at hand; a family may instead close the case with a reason (an outcome of its own).
   */
  readonly evidenceTimeout?: {
    readonly action: 'close';
    readonly outcome: string;
    readonly rationale: string;
  };
  /**
   * A deadline outside our policy that the case must meet (a card network's chargeback evidence due date):
   * the resolution target becomes the earlier of the policy and this deadline minus a buffer.
   */
  externalDeadline?(intake: I): string | undefined;
  /** The buyer's address, for families that ask the buyer for evidence. */
  buyerEmail?(intake: I): string | undefined;
  /** A short label for ops lists and messages, e.g. "order 1234". */
  subject(intake: I): string;
  /**
   * The words the seller wrote at intake about their concern (a statement, an explanation, the buyer's
   * claim they pass on), which FAQ grouping reads (functions/domain/faq/); none for a family whose intake
   * is only facts.
   */
  statement?(intake: I): string | undefined;
  /**
   * The family's own words for case statuses where sellers know different ones (account recovery's
   * ready / waiting for customer action / under review / recovered / retired). Keys are case statuses,
   * or `resolved:<outcome>` for a resolved case with that outcome.
   */
  readonly statusLabels?: Readonly<Record<string, string>>;
}
