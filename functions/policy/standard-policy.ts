import type { Party, ReplyContent, Risk, SellerTier, Urgency } from './family-policy.ts';

/** Risk from an amount (when the family has one), repeat cases and seller tier — the common triage rule. */
export const riskFrom = (options: {
  amount?: number | undefined;
  thresholds?: { readonly medium: number; readonly high: number };
  priorCases90d: number;
  repeatAt: number;
  tier: SellerTier;
  forceHigh?: boolean;
}): Risk => {
  const { amount, thresholds } = options;
  if (options.forceHigh || options.priorCases90d >= options.repeatAt) return 'high';
  if (amount !== undefined && thresholds && amount >= thresholds.high) return 'high';
  if ((amount !== undefined && thresholds && amount >= thresholds.medium) || options.tier === 'new')
    return 'medium';
  return 'low';
};

export const urgencyFrom = (risk: Risk, urgentReason: boolean): Urgency =>
  urgentReason || risk === 'high' ? 'high' : 'normal';

/** How a reply maps to evidence kinds: by attachment type, by text pattern, or any words at all. */
export type ReplyRule =
  | { readonly kind: string; readonly party?: Party; readonly attachment: RegExp }
  | { readonly kind: string; readonly party?: Party; readonly textMatches: RegExp }
  | { readonly kind: string; readonly party?: Party; readonly anyText: true };

/** Builds a family's `evidenceFromReply` from rules, so the mapping is data too. */
export const replyEvidence =
  (rules: readonly ReplyRule[]) =>
  (reply: ReplyContent, party: Party): string[] => {
    const kinds = new Set<string>();
    for (const rule of rules) {
      if (rule.party !== undefined && rule.party !== party) continue;
      const holds =
        'attachment' in rule
          ? reply.attachments.some((a) => rule.attachment.test(a.contentType))
          : 'textMatches' in rule
            ? rule.textMatches.test(reply.text)
            : reply.text.trim().length > 0;
      if (holds) kinds.add(rule.kind);
    }
    return [...kinds];
  };

export const IMAGE = /^image\//;
export const PDF = /^application\/pdf$/;
export const DOCUMENT = /^(application\/pdf|image\/)/;

const DAY = 86_400;
export const days = (n: number) => n * DAY;

const ISO_DURATION = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?)?$/;

/**
 * Milliseconds of an ISO 8601 duration in days, hours and minutes (`P3D`, `PT12H`, `P1DT6H`), the form
 * policy declares waits in; `undefined` for anything else (months and years have no fixed length).
 */
export const durationMs = (iso: string): number | undefined => {
  const match = ISO_DURATION.exec(iso);
  if (!match || iso === 'P' || iso.endsWith('T')) return undefined;
  const [, d = '0', h = '0', m = '0'] = match;
  return ((Number(d) * 24 + Number(h)) * 60 + Number(m)) * 60_000;
};

type ReplyMapping = (reply: ReplyContent, party: Party) => string[];

/**
 * Documents recognised by name: a kind counts only when a PDF or image is attached and the reply or a file
 * name says which document it is ("passport.jpg", "bank statement attached"). Naming a document without
 * attaching one proves nothing, and an unnamed file cannot be told apart from the other documents.
 */
export const namedDocuments = (rules: readonly ReplyRule[]): ReplyMapping => {
  const byName = replyEvidence(rules);
  return (reply, party) => {
    const documents = reply.attachments.filter((a) => DOCUMENT.test(a.contentType));
    if (documents.length === 0) return [];
    return byName(
      { text: [reply.text, ...documents.map((d) => d.filename)].join('\n'), attachments: documents },
      party,
    );
  };
};

/** Every kind any of the mappings finds in a reply. */
export const allOf =
  (...mappings: readonly ReplyMapping[]): ReplyMapping =>
  (reply, party) => [...new Set(mappings.flatMap((m) => m(reply, party)))];
