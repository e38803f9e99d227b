import type { FamilyTemplates, MessageTemplate, Snippet } from './family-policy.ts';
import {
  type AcknowledgementVars,
  acknowledgementVars,
  type EvidenceRequestVars,
  evidenceRequestVars,
  type FirstResponseVars,
  type FollowUpVars,
  firstResponseVars,
  followUpVars,
  type ReminderVars,
  type ResolutionVars,
  reminderVars,
  resolutionVars,
  type SnippetVars,
  snippetVars,
} from './template-vars.ts';

/** What a family says about itself in the standard messages; the structure is shared. */
export interface StandardWording {
  readonly familyId: string;
  /** Who answers for the wording (a team address). */
  readonly owner: string;
  /** ISO date of the next wording review. */
  readonly reviewBy: string;
  /** The policy each message rests on. */
  readonly policy: {
    readonly acknowledgement: string;
    readonly evidence: string;
    readonly decision: string;
    readonly appeal: string;
  };
  /** The case in the seller's words, from its subject: `(s) => \`the payout hold on ${s}\``. */
  readonly topic: (subject: string) => string;
  /** What happens after the first response when nothing is needed from the seller. */
  readonly nextAfterFirstResponse: string;
  /** Template version: bump when wording changes. */
  readonly version?: number;
}

const SIGN_OFF = 'SellerWorks Support';

/**
 * The standard message set for a family: first response, evidence request, reminder, resolution, appeal
 * and reopen acknowledgements. Subjects carry `[case <id>]` so replies can be matched even without a token.
 */
export const standardTemplates = (w: StandardWording): Omit<FamilyTemplates, 'mediationOffer'> => {
  const meta = (name: string, policyRef: string) => ({
    id: `${w.familyId}.${name}`,
    version: w.version ?? 1,
    owner: w.owner,
    reviewBy: w.reviewBy,
    policyRef,
  });
  const firstResponse: MessageTemplate<FirstResponseVars> = {
    ...meta('first-response', w.policy.acknowledgement),
    variables: firstResponseVars,
    subject: (v) => `We are handling ${w.topic(v.subject)} [case ${v.caseId}]`,
    text: (v) =>
      [
        'Hello,',
        `We have opened case ${v.caseId} about ${w.topic(v.subject)}: ${v.reasonLabel}.`,
        `What happens next: ${w.nextAfterFirstResponse}`,
        `You can follow the case at any time: ${v.caseUrl}`,
        SIGN_OFF,
      ].join('\n\n'),
  };
  const evidenceRequest: MessageTemplate<EvidenceRequestVars> = {
    ...meta('evidence-request', w.policy.evidence),
    variables: evidenceRequestVars,
    subject: (v) =>
      v.audience === 'seller'
        ? `Action needed: evidence for ${w.topic(v.subject)} [case ${v.caseId}]`
        : `Your information is needed: ${w.topic(v.subject)} [case ${v.caseId}]`,
    text: (v) =>
      [
        'Hello,',
        v.audience === 'seller'
          ? `We have opened case ${v.caseId} about ${w.topic(v.subject)}: ${v.reasonLabel}. To decide it fairly, we need the following from you:`
          : `We are reviewing ${w.topic(v.subject)} (case ${v.caseId}). To decide it fairly, we need the following from you:`,
        v.missing.map((item) => `  - ${item}`).join('\n'),
        `Please reply to this email by ${v.dueBy}, attaching photos or documents. Your reply goes straight to case ${v.caseId}.`,
        `If we do not hear from you by then, the case is decided on the evidence at hand. Case page: ${v.caseUrl}`,
        SIGN_OFF,
      ].join('\n\n'),
  };
  const reminder: MessageTemplate<ReminderVars> = {
    ...meta('reminder', w.policy.evidence),
    variables: reminderVars,
    subject: (v) => `Reminder: evidence still needed for ${w.topic(v.subject)} [case ${v.caseId}]`,
    text: (v) =>
      [
        'Hello,',
        `We are still waiting for the following for case ${v.caseId}:`,
        v.missing.map((item) => `  - ${item}`).join('\n'),
        `Please reply to our earlier email by ${v.dueBy}. Case page: ${v.caseUrl}`,
        SIGN_OFF,
      ].join('\n\n'),
  };
  const resolution: MessageTemplate<ResolutionVars> = {
    ...meta('resolution', w.policy.decision),
    variables: resolutionVars,
    subject: (v) => `Decision on ${w.topic(v.subject)}: ${v.outcomeLabel} [case ${v.caseId}]`,
    text: (v) =>
      [
        'Hello,',
        `We have decided ${w.topic(v.subject)}.`,
        `Outcome: ${v.outcomeLabel}. ${v.outcomeSummary}`,
        `Why: ${v.rationale}`,
        `Policy: ${v.policyRef}`,
        `If you disagree, you can appeal until ${v.appealBy}: ${v.appealUrl} . A different reviewer will look at your appeal.`,
        SIGN_OFF,
      ].join('\n\n'),
  };
  const acknowledgement = (
    name: string,
    opening: string,
    body: string,
  ): MessageTemplate<AcknowledgementVars> => ({
    ...meta(name, w.policy.appeal),
    variables: acknowledgementVars,
    subject: (v) => `${opening} ${w.topic(v.subject)} [case ${v.caseId}]`,
    text: (v) =>
      [
        'Hello,',
        `${opening} ${w.topic(v.subject)} (case ${v.caseId}). ${body}`,
        `Case page: ${v.caseUrl}`,
        SIGN_OFF,
      ].join('\n\n'),
  });
  const followUp: MessageTemplate<FollowUpVars> = {
    ...meta('follow-up', w.policy.appeal),
    variables: followUpVars,
    subject: (v) => `Was ${w.topic(v.subject)} handled? [case ${v.caseId}]`,
    text: (v) =>
      [
        'Hello,',
        `We resolved ${w.topic(v.subject)} (case ${v.caseId}): ${v.outcomeLabel}. Was your concern handled?`,
        [
          'If it was, how well did we handle it? Pick a rating; the page it opens lets you add a comment before you confirm:',
          `  5 (excellent): ${v.rate5Url}`,
          `  4 (good): ${v.rate4Url}`,
          `  3 (fair): ${v.rate3Url}`,
          `  2 (poor): ${v.rate2Url}`,
          `  1 (very poor): ${v.rate1Url}`,
        ].join('\n'),
        `If it was not handled, tell us by ${v.answerBy} and we reopen the case for the team that owns it: ${v.notHandledUrl}`,
        `You can also answer on the case page: ${v.caseUrl}`,
        SIGN_OFF,
      ].join('\n\n'),
  };
  const snippet = (
    id: string,
    how: Pick<Snippet, 'label' | 'freeText' | 'asksForEvidence'>,
    policyRef: string,
    subject: (v: SnippetVars) => string,
    body: (v: SnippetVars) => readonly string[],
  ): Snippet => ({
    id,
    ...how,
    template: {
      default: {
        ...meta(`snippet.${id}`, policyRef),
        variables: snippetVars,
        subject,
        text: (v) => ['Hello,', ...body(v), SIGN_OFF].join('\n\n'),
      },
    },
  });
  const snippets: Snippet[] = [
    snippet(
      'status-update',
      { label: 'Status update (your words optional)', freeText: 'optional', asksForEvidence: false },
      w.policy.acknowledgement,
      (v) => `An update on ${w.topic(v.subject)} [case ${v.caseId}]`,
      (v) => [
        `This is an update on ${w.topic(v.subject)} (case ${v.caseId}). We are working on it.`,
        ...(v.freeText ? [v.freeText] : []),
        `Nothing is needed from you now; we will email you the decision. Case page: ${v.caseUrl}`,
      ],
    ),
    snippet(
      'delay-notice',
      { label: 'Taking longer than expected', freeText: 'none', asksForEvidence: false },
      w.policy.decision,
      (v) => `Your case is taking longer than we expected [case ${v.caseId}]`,
      (v) => [
        `We are sorry: deciding ${w.topic(v.subject)} (case ${v.caseId}) is taking longer than we expected.`,
        `The team that owns it has everything it needs and will decide as soon as it can; we will email you the decision. Nothing is needed from you. Case page: ${v.caseUrl}`,
      ],
    ),
    snippet(
      'more-information',
      { label: 'Ask for more information (opens a new wait)', freeText: 'required', asksForEvidence: true },
      w.policy.evidence,
      (v) => `Action needed: more information for ${w.topic(v.subject)} [case ${v.caseId}]`,
      (v) => [
        `To decide ${w.topic(v.subject)} (case ${v.caseId}) fairly, we need more from you:`,
        (v.missing ?? []).map((item) => `  - ${item}`).join('\n'),
        ...(v.freeText ? [v.freeText] : []),
        `Please reply to this email by ${v.dueBy ?? 'the date on the case page'}, attaching photos or documents. Your reply goes straight to case ${v.caseId}. Case page: ${v.caseUrl}`,
      ],
    ),
  ];
  return {
    snippets,
    firstResponse: { default: firstResponse },
    evidenceRequest: { default: evidenceRequest },
    reminder: { default: reminder },
    resolution: { default: resolution },
    followUp: { default: followUp },
    appealAcknowledgement: {
      default: acknowledgement(
        'appeal-acknowledgement',
        'We received your appeal on',
        'A reviewer who did not make the earlier decision will look at it with the whole case history; we will email you the outcome.',
      ),
    },
    reopenAcknowledgement: {
      default: acknowledgement(
        'reopen-acknowledgement',
        'We reopened',
        'The team that owns it will review the case again with what you told us; we will email you the outcome.',
      ),
    },
  };
};

/**
 * The EU wording of a decision. Under the Digital Services Act a decision that restricts a business user
 * needs a statement of reasons (Art. 17), a free internal complaint route (Art. 20) and a pointer to
 * certified out-of-court dispute settlement (Art. 21); every family that decides against sellers in the EU
 * uses this one structure, with its own policy reference.
 */
export const euResolution = (w: {
  readonly familyId: string;
  readonly owner: string;
  readonly reviewBy: string;
  readonly policyRef: string;
  readonly topic: (subject: string) => string;
  readonly version?: number;
}): MessageTemplate<ResolutionVars> => ({
  id: `${w.familyId}.resolution.eu`,
  version: w.version ?? 1,
  owner: w.owner,
  reviewBy: w.reviewBy,
  policyRef: w.policyRef,
  variables: resolutionVars,
  subject: (v) => `Decision on ${w.topic(v.subject)}: ${v.outcomeLabel} [case ${v.caseId}]`,
  text: (v) =>
    [
      'Hello,',
      `We have decided ${w.topic(v.subject)}.`,
      `Outcome: ${v.outcomeLabel}. ${v.outcomeSummary}`,
      `Statement of reasons: ${v.rationale}`,
      `Policy: ${v.policyRef}`,
      `You may contest this decision free of charge through our internal complaint-handling system until ${v.appealBy}: ${v.appealUrl} . A different reviewer will handle your complaint. You may also refer the matter to a certified out-of-court dispute settlement body.`,
      SIGN_OFF,
    ].join('\n\n'),
});
