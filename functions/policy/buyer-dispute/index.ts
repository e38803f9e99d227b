import { bind, type Family } from '../family-policy.ts';
import { buyerDisputeEvidence, evidenceFromReply } from './evidence.ts';
import { buyerDisputeHandoff } from './handoff.ts';
import { type BuyerDisputeIntake, buyerDisputeIntake } from './intake.ts';
import { BUYER_DISPUTE_APPEAL_DAYS, buyerDisputeOutcomes } from './outcomes.ts';
import { buyerDisputeRouting } from './routing.ts';
import { evidenceRequest, firstResponse, resolution } from './templates.ts';
import { triageBuyerDispute } from './triage.ts';

const DAY = 86_400;

const reasonLabels = {
  item_defective: 'the buyer reports the item arrived defective',
  not_as_described: 'the buyer reports the item is not as described',
  not_received: 'the buyer reports the item never arrived',
} as const;

export const buyerDispute: Family<BuyerDisputeIntake> = {
  id: 'buyer-dispute',
  name: 'Buyer dispute',
  intake: buyerDisputeIntake,
  reasonLabels,
  triage: triageBuyerDispute,
  routing: buyerDisputeRouting,
  evidence: buyerDisputeEvidence,
  evidenceAtIntake: (intake) => ['buyer_statement', ...(intake.trackingNumber ? ['shipment_tracking'] : [])],
  evidenceFromReply,
  outcomes: buyerDisputeOutcomes,
  appealDays: BUYER_DISPUTE_APPEAL_DAYS,
  waits: { evidenceSeconds: 5 * DAY, decisionSeconds: 10 * DAY },
  handoff: buyerDisputeHandoff,
  buildHandoff: (ctx, allowedOutcomes) => ({
    caseId: ctx.caseId,
    family: 'buyer-dispute',
    team: ctx.team,
    orderId: ctx.intake.orderId,
    reason: ctx.intake.reason,
    amount: ctx.intake.amount,
    currency: ctx.intake.currency,
    region: ctx.intake.region,
    sellerTier: ctx.facts.tier,
    priorCases90d: ctx.facts.priorCases90d,
    risk: ctx.facts.risk,
    urgency: ctx.facts.urgency,
    buyerStatement: ctx.intake.buyerStatement,
    evidenceReceived: [...ctx.evidenceReceived],
    evidenceMissing: [...ctx.evidenceMissing],
    routing: ctx.routing,
    allowedOutcomes: [...allowedOutcomes],
  }),
  templates: [firstResponse, evidenceRequest, resolution] as never[],
  firstResponse: ({ caseId, intake, links }) =>
    bind(firstResponse, {
      caseId,
      orderId: intake.orderId,
      reasonLabel: reasonLabels[intake.reason],
      caseUrl: links.caseUrl,
    }),
  evidenceRequest: ({ caseId, intake, links }, missing, dueBy) =>
    bind(evidenceRequest, {
      caseId,
      orderId: intake.orderId,
      reasonLabel: reasonLabels[intake.reason],
      missing: missing.map((m) => m.label),
      dueBy,
      caseUrl: links.caseUrl,
    }),
  resolution: ({ caseId, intake, links }, decision) =>
    bind(resolution, {
      caseId,
      orderId: intake.orderId,
      outcomeLabel: decision.outcome.label,
      outcomeSummary: decision.outcome.sellerSummary,
      policyRef: decision.outcome.policyRef,
      rationale: decision.rationale,
      appealBy: decision.appealBy,
      appealUrl: links.appealUrl,
    }),
  subject: (intake) => `order ${intake.orderId}`,
};
