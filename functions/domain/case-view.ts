import { nowMs } from '#commons/clock.ts';
import type { BaseIntake, Family } from '#policy/family-policy.ts';
import { channelOf } from '#policy/intake-fields.ts';
import type { CaseRecord, EvidenceRecord, StoredAuditEvent } from './case.ts';
import type { CaseBundle } from './case-store.ts';
import { evidenceStatus } from './evidence.ts';
import { teamOutcomes } from './outcomes.ts';
import { slaView } from './sla.ts';
import { askableEvidence, snippetChoices } from './snippets.ts';

/** What is expected next, and from whom — status words stay operational (seed 001). */
export interface NextStep {
  readonly from: 'seller' | 'sellerworks' | 'team';
  readonly action: string;
  readonly dueBy?: string;
}

const teamName = (team: string) => `the ${team.replace(/-/g, ' ')} team`;

export const nextStep = (record: CaseRecord, family: Family<BaseIntake>): NextStep => {
  switch (record.status) {
    case 'received':
    case 'routed':
      return {
        from: 'sellerworks',
        action: 'We are reviewing your case and will tell you if we need anything.',
      };
    case 'awaiting_seller': {
      if (record.waiting?.step === 'mediation') {
        return {
          from: 'seller',
          action:
            'Accept or decline the settlement we offered (on the case page); otherwise the team decides.',
          dueBy: record.waiting.deadline,
        };
      }
      const missing = family.evidence
        .filter((e) => record.waiting?.missing?.includes(e.kind))
        .map((e) => e.label.toLowerCase());
      return {
        from: 'seller',
        action: `Reply to our evidence request email with: ${missing.join('; ')}.`,
        ...(record.waiting ? { dueBy: record.waiting.deadline } : {}),
      };
    }
    case 'under_review':
      if (record.waiting?.step === 'evidence' && record.waiting.from === 'buyer') {
        return {
          from: 'sellerworks',
          action: 'We asked the buyer for their side; nothing is needed from you.',
          dueBy: record.waiting.deadline,
        };
      }
      return {
        from: 'sellerworks',
        action: 'We are checking the evidence and preparing the case for a decision.',
      };
    case 'handed_off':
      return {
        from: 'team',
        action: `${teamName(record.waiting?.team ?? record.routing?.team ?? 'support')} is deciding the case; you will get the decision by email.`,
        ...(record.waiting ? { dueBy: record.waiting.deadline } : {}),
      };
    case 'resolved':
      return {
        from: 'seller',
        action:
          (record.appealCount ?? 0) > 0
            ? 'Nothing is needed from you. The appeal decision is final.'
            : 'Nothing is needed from you. If you disagree with the decision, you can appeal.',
      };
    case 'reopened':
    case 'appealed':
      return { from: 'sellerworks', action: 'We are reviewing your case again.' };
    case 'failed':
      return {
        from: 'sellerworks',
        action: 'An operator is looking into a problem with this case; no action is needed.',
      };
  }
};

/** The family's own word for the status where it has one (account recovery: "waiting for customer action"). */
const statusLabel = (record: CaseRecord, family: Family<BaseIntake>): string => {
  const labels = family.statusLabels ?? {};
  const resolvedAs = record.decision ? labels[`${record.status}:${record.decision.outcome}`] : undefined;
  return resolvedAs ?? labels[record.status] ?? record.status.replace(/_/g, ' ');
};

const actorLabel = (event: StoredAuditEvent, forOps: boolean) =>
  forOps ? `${event.actor.kind}:${event.actor.id}` : event.actor.kind;

/**
 * Events that are the team's own business: who holds the case, internal notes, and which snippet an agent
 * wrote from (the seller reads the message itself).
 */
const INTERNAL_EVENTS = new Set([
  'case.assigned',
  'case.reassigned',
  'case.unassigned',
  'note.added',
  'reply.sent',
]);

const timeline = (events: readonly StoredAuditEvent[], forOps: boolean) =>
  [...events]
    .filter((e) => forOps || !INTERNAL_EVENTS.has(e.type))
    .sort((a, b) => a.version - b.version)
    .map((e) => ({
      at: e.at,
      type: e.type,
      actor: actorLabel(e, forOps),
      detail: e.detail,
      ...(forOps && e.data ? { data: e.data } : {}),
    }));

/** Who is looking at the ops view: their team (none for a supervisor) and download links they may follow. */
export interface OpsViewer {
  readonly team?: string | undefined;
  /** Presigned download URL by attachment S3 key, for the attachments this viewer may open. */
  readonly links?: ReadonlyMap<string, string>;
}

/** Where a queued case stands in its team's backlog (case-store.ts `backlogPosition`). */
export interface QueuePlace {
  readonly team: string;
  readonly position: number;
  /** More cases are ahead than were counted: `position` is a lower bound. */
  readonly more: boolean;
}

/** Whether a viewer may open the family's protected evidence (DESIGN decision 6). */
export const mayOpenProtected = (family: Family<BaseIntake>, viewer: OpsViewer) =>
  viewer.team === undefined || (family.protectedAccess ?? []).includes(viewer.team);

/** The protected kinds an evidence record carries (identity, bank, tax documents), if any. */
export const protectedKinds = (family: Family<BaseIntake>, evidence: EvidenceRecord) =>
  evidence.kinds.filter((kind) => family.evidence.some((item) => item.kind === kind && item.protected));

/** The evidence a viewer may open: all of it with the right, otherwise what carries nothing protected. */
export const openableEvidence = <E extends EvidenceRecord>(
  evidence: readonly E[],
  family: Family<BaseIntake>,
  viewer: OpsViewer,
): E[] =>
  mayOpenProtected(family, viewer)
    ? [...evidence]
    : evidence.filter((e) => protectedKinds(family, e).length === 0);

const evidenceView = (e: EvidenceRecord, links?: ReadonlyMap<string, string>) => ({
  evidenceId: e.evidenceId,
  kinds: e.kinds,
  provider: e.provider,
  source: e.source,
  receivedAt: e.receivedAt,
  ...(e.text !== undefined ? { text: e.text } : {}),
  attachments: (e.attachments ?? []).map((a) => ({
    filename: a.filename,
    contentType: a.contentType,
    size: a.size,
    sha256: a.sha256,
    ...(links?.get(a.s3Key) ? { url: links.get(a.s3Key) } : {}),
  })),
  ...(e.refusedAttachments?.length ? { refusedAttachments: e.refusedAttachments } : {}),
  ...(e.late ? { late: true } : {}),
  ...(e.unparsed ? { unparsed: true } : {}),
});

/**
 * Protected evidence as a team without the right sees it: that it arrived, when and what kind, but not
 * its words, its files' names or contents, or their fingerprints.
 */
const redactedEvidenceView = (e: EvidenceRecord, kinds: readonly string[], family: Family<BaseIntake>) => ({
  evidenceId: e.evidenceId,
  kinds: e.kinds,
  provider: e.provider,
  source: e.source,
  receivedAt: e.receivedAt,
  attachments: (e.attachments ?? []).map((a) => ({ contentType: a.contentType, size: a.size })),
  ...(e.late ? { late: true } : {}),
  redacted: {
    reason: `protected (${kinds.join(', ')})`,
    visibleTo: family.protectedAccess ?? [],
  },
});

/** The case as its seller may see it: no routing internals, no staff identities, no task tokens. */
export const sellerView = (bundle: CaseBundle, family: Family<BaseIntake>) => {
  const { record } = bundle;
  const status = evidenceStatus(family.evidence, record.intake.reason, bundle.evidence);
  return {
    caseId: record.caseId,
    family: record.family,
    familyName: family.name,
    subject: family.subject(record.intake),
    status: record.status,
    statusLabel: statusLabel(record, family),
    ...(record.sla ? { sla: slaView(record.sla, nowMs()) } : {}),
    next: nextStep(record, family),
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    intake: record.intake,
    evidenceChecklist: family.evidence
      .filter((e) => e.requiredFor.includes(record.intake.reason))
      .map((e) => ({
        kind: e.kind,
        label: e.label,
        provider: e.provider,
        status: status.received.includes(e.kind) ? 'received' : 'missing',
        ...(record.waiting?.step === 'evidence' && record.waiting.missing?.includes(e.kind)
          ? { dueBy: record.waiting.deadline }
          : {}),
      })),
    evidence: bundle.evidence.map((e) => evidenceView(e)),
    messages: [...bundle.messages]
      .sort((a, b) => a.sentAt.localeCompare(b.sentAt))
      .map((m) => ({
        messageId: m.messageId,
        ...(m.headerMessageId ? { headerMessageId: m.headerMessageId } : {}),
        audience: m.audience ?? 'seller',
        sentAt: m.sentAt,
        subject: m.subject,
        text: m.text,
        template: m.template,
      })),
    ...(record.decision
      ? { decision: { outcome: record.decision.outcome, decidedAt: record.decision.decidedAt } }
      : {}),
    // The follow-up of the latest resolution: the portal asks it while `asked` (POST …/follow-up).
    ...(record.followUp ? { followUp: record.followUp } : {}),
    timeline: timeline(bundle.events, false),
  };
};

/** The ops view: everything the seller sees, plus why it was routed, what a decision may be, and who did what. */
export const opsView = (
  bundle: CaseBundle,
  family: Family<BaseIntake>,
  viewer: OpsViewer = {},
  queue?: QueuePlace,
) => {
  const { record } = bundle;
  const openable = new Set(openableEvidence(bundle.evidence, family, viewer));
  const { taskToken: _secret, ...waiting } = record.waiting ?? { taskToken: undefined };
  const withTeam = record.status === 'handed_off' && record.waiting?.step === 'decision';
  return {
    ...sellerView(bundle, family),
    timeline: timeline(bundle.events, true).map((entry) => redactNote(entry, bundle, family, viewer)),
    assignee: withTeam && record.assignee ? record.assignee : null,
    ...(withTeam && record.priority ? { priority: record.priority } : {}),
    ...(withTeam && queue && !record.assignee
      ? {
          queue: {
            team: queue.team,
            position: queue.position,
            ...(queue.more ? { positionIsAtLeast: true } : {}),
            priority: record.priority?.level ?? null,
          },
        }
      : {}),
    sellerId: record.sellerId,
    sellerTier: record.sellerTier,
    version: record.version,
    ...(record.triage ? { triage: record.triage } : {}),
    ...(record.routing
      ? {
          routing: {
            team: record.routing.team,
            ruleId: record.routing.ruleId,
            reason: record.routing.reason,
            matched: record.routing.matched,
            rulesetVersion: record.routing.rulesetVersion,
          },
        }
      : {}),
    ...(record.waiting ? { waiting } : {}),
    ...(record.status === 'handed_off' && record.waiting?.step === 'decision'
      ? {
          allowedOutcomes: teamOutcomes(family).map((o) => ({
            id: o.id,
            label: o.label,
            policyRef: o.policyRef,
          })),
        }
      : {}),
    ...(withTeam
      ? {
          // What the owner may write to the seller from, and the items a reply may ask for.
          replySnippets: snippetChoices(family, record),
          askableEvidence: askableEvidence(family),
        }
      : {}),
    ...(record.status === 'handed_off' && record.waiting?.step === 'decision'
      ? {
          // The family's other teams, where a transfer may send the case.
          transferTo: [...new Set(family.routing.rules.map((r) => r.team))].filter(
            (team) => team !== (record.waiting?.team ?? record.routing?.team),
          ),
        }
      : {}),
    ...(record.decision ? { decision: record.decision } : {}),
    escalationLevel: record.escalationLevel ?? 0,
    counts: {
      transfers: record.transferCount ?? 0,
      reopens: record.reopenCount ?? 0,
      appeals: record.appealCount ?? 0,
    },
    ...(record.handedOffBy ? { handedOffBy: record.handedOffBy } : {}),
    evidence: bundle.evidence.map((e) =>
      openable.has(e)
        ? evidenceView(e, viewer.links)
        : redactedEvidenceView(e, protectedKinds(family, e), family),
    ),
    channel: channelOf(record.intake),
    ...(record.metrics ? { metrics: record.metrics } : {}),
  };
};

/** Runs of this many words of protected evidence found in a note make the note protected too. */
const QUOTED_WORDS = 4;
const wordsOf = (text: string) => text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];

/**
 * Whether a note quotes the case's protected evidence (identity, bank, tax documents): a run of
 * QUOTED_WORDS of its words, a document number, or an attachment's name.
 */
export const quotesProtected = (
  text: string,
  evidence: readonly EvidenceRecord[],
  family: Family<BaseIntake>,
): boolean => {
  const protectedEvidence = evidence.filter((e) => protectedKinds(family, e).length > 0);
  if (protectedEvidence.length === 0) return false;
  const note = ` ${wordsOf(text).join(' ')} `;
  return protectedEvidence.some((e) => {
    const words = wordsOf(e.text ?? '');
    for (let i = 0; i + QUOTED_WORDS <= words.length; i += 1)
      if (note.includes(` ${words.slice(i, i + QUOTED_WORDS).join(' ')} `)) return true;
    // A number or code of the documents (passport number, IBAN) is protected on its own.
    if (words.some((w) => w.length >= 6 && /\d/.test(w) && note.includes(` ${w} `))) return true;
    return (e.attachments ?? []).some((a) => text.toLowerCase().includes(a.filename.toLowerCase()));
  });
};

/** A note that quotes protected evidence, as a team without the right sees it: that it exists, not its text. */
const redactNote = (
  entry: ReturnType<typeof timeline>[number],
  bundle: CaseBundle,
  family: Family<BaseIntake>,
  viewer: OpsViewer,
) => {
  if (entry.type !== 'note.added' || mayOpenProtected(family, viewer)) return entry;
  const text = String((entry.data as { text?: unknown } | undefined)?.text ?? '');
  if (!quotesProtected(text, bundle.evidence, family)) return entry;
  return {
    ...entry,
    detail: 'Internal note (redacted: it quotes protected evidence)',
    data: {
      redacted: {
        reason: 'quotes protected evidence',
        visibleTo: family.protectedAccess ?? [],
      },
    },
  };
};
