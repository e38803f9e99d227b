import { z } from 'zod';

/**
 * The variables every family's templates receive, one schema per message kind. Families word their
 * messages differently (and by region), but the domain fills the same variables for all of them.
 */
export const firstResponseVars = z.object({
  caseId: z.string(),
  subject: z.string(),
  reasonLabel: z.string(),
  caseUrl: z.url(),
});
export type FirstResponseVars = z.infer<typeof firstResponseVars>;

export const evidenceRequestVars = z.object({
  caseId: z.string(),
  subject: z.string(),
  reasonLabel: z.string(),
  audience: z.enum(['seller', 'buyer']),
  missing: z.array(z.string()).min(1),
  dueBy: z.string(),
  caseUrl: z.url(),
});
export type EvidenceRequestVars = z.infer<typeof evidenceRequestVars>;

export const reminderVars = z.object({
  caseId: z.string(),
  subject: z.string(),
  missing: z.array(z.string()).min(1),
  dueBy: z.string(),
  caseUrl: z.url(),
});
export type ReminderVars = z.infer<typeof reminderVars>;

export const resolutionVars = z.object({
  caseId: z.string(),
  subject: z.string(),
  outcomeLabel: z.string(),
  outcomeSummary: z.string(),
  policyRef: z.string(),
  rationale: z.string(),
  appealBy: z.string(),
  appealUrl: z.url(),
});
export type ResolutionVars = z.infer<typeof resolutionVars>;

export const acknowledgementVars = z.object({
  caseId: z.string(),
  subject: z.string(),
  caseUrl: z.url(),
});
export type AcknowledgementVars = z.infer<typeof acknowledgementVars>;

/**
 * The follow-up after resolution: one signed link per answer (each opens a page where the seller may add a
 * comment and confirm; opening it changes nothing), and the case page, where the portal asks the same.
 * One variable per link rather than a list, so the wording places each where it reads best.
 */
export const followUpVars = z.object({
  caseId: z.string(),
  subject: z.string(),
  outcomeLabel: z.string(),
  answerBy: z.string(),
  rate5Url: z.url(),
  rate4Url: z.url(),
  rate3Url: z.url(),
  rate2Url: z.url(),
  rate1Url: z.url(),
  notHandledUrl: z.url(),
  caseUrl: z.url(),
});
export type FollowUpVars = z.infer<typeof followUpVars>;

export const mediationOfferVars = z.object({
  caseId: z.string(),
  subject: z.string(),
  offer: z.string(),
  respondBy: z.string(),
  caseUrl: z.url(),
});
export type MediationOfferVars = z.infer<typeof mediationOfferVars>;

/** Most characters of an agent's own words in a reply. */
export const FREE_TEXT_MAX = 2000;

export const snippetVars = z.object({
  caseId: z.string(),
  subject: z.string(),
  /** The agent's own words, where the snippet takes them. */
  freeText: z.string().max(FREE_TEXT_MAX).optional(),
  /** The items asked for, in the seller's words (snippets that ask for evidence). */
  missing: z.array(z.string()).min(1).optional(),
  dueBy: z.string().optional(),
  caseUrl: z.url(),
});
export type SnippetVars = z.infer<typeof snippetVars>;
