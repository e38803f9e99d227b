import { nowIso, wallMsOf } from '#commons/clock.ts';
import { requireEnv } from '#commons/config.ts';
import { ENV } from '#commons/env-names.ts';
import { conflict } from '#commons/errors.ts';
import type { BaseIntake, Family } from '#policy/family-policy.ts';
import { durationMs } from '#policy/standard-policy.ts';
import { alarmNameOf } from './alarm.ts';
import type { AuditEvent, CaseRecord, EvidenceRecord, FollowUp, MessageRecord } from './case.ts';
import type { LoadedCase } from './case-loader.ts';
import type { CasePatch } from './case-store.ts';
import { composeTemplated, emailChange, linksFor } from './messaging.ts';
import { NO_TEMPLATE, templateSegmentOf } from './metrics.ts';
import { type OutboxMessage, scheduleRecord } from './outbox.ts';
import { commitAndDispatch } from './outbox-dispatch.ts';
import { reopenable, reopenChange, reopenCloses, startReopened } from './reopen.ts';
import { type ArmedTimers, armFollowUpTimer } from './timers.ts';

/**
 * The follow-up after resolution (seed 002: "follow up with them to confirm that their concerns have been
 * taken care of"; seed 000: seller sentiment after resolution). Each resolution arms one timer, due after the
 * family's `followUp.after`; when it fires on a case still resolved, the seller is asked — through the outbox,
 * like every email — whether the concern was handled, with a 1–5 rating and an optional comment. A case
 * appealed or reopened meanwhile is not asked then: its next resolution arms the next follow-up.
 *
 * The answer (the email's signed links open the API's own page, answer preselected, whose form posts it;
 * or the portal's `POST /cases/{id}/follow-up`) is taken once per follow-up: `csat.recorded` joins the case's figures (metrics.ts), the
 * comment is kept as the seller's words on the case (never in an event or a log), and "not handled"
 * reopens the case through the reopen use case while the family's reopen window is open.
 */

/**
 * How long before the follow-up is due its schedule is created (wall clock). A resolved case holds no alarm
 * (alarm.ts): the follow-up waits days in the outbox, not in EventBridge Scheduler, so live schedules stay
 * bounded by open cases; the outbox sweep (each minute on AWS) creates its one-time schedule within this
 * lead of its time, and the schedule rings it on the minute.
 */
export const FOLLOW_UP_SCHEDULE_LEAD_MS = 5 * 60_000;

/**
 * The follow-up of the resolution being committed: the case's follow-up state, its timer, and the deferred
 * outbox record that will schedule the timer's ringing (the fire-timer function, as a case's alarm does).
 */
export const armFollowUp = (
  record: CaseRecord,
  family: Family<BaseIntake>,
  at: number,
): { readonly followUp: FollowUp; readonly timers: ArmedTimers; readonly wake: OutboxMessage } => {
  // One per resolution: the first, then one after each appeal or reopen (each counts one re-entry).
  const id = `follow-up-${(record.appealCount ?? 0) + (record.reopenCount ?? 0)}`;
  const dueMs = at + (durationMs(family.followUp.after) ?? 0);
  const dueAt = new Date(dueMs).toISOString();
  const name = alarmNameOf(record.caseId, dueAt, record.version + 1);
  return {
    followUp: { id, status: 'scheduled', dueAt },
    timers: armFollowUpTimer(record.caseId, id, dueAt),
    wake: {
      ...scheduleRecord(record.caseId, [
        {
          name,
          at: dueAt,
          target: requireEnv(ENV.timerFunctionArn),
          // Its timer by name: a schedule may ring a moment before `dueAt` (Scheduler keeps whole seconds
          // and minutes), and a closed case sets no next alarm to come back later.
          input: { caseId: record.caseId, alarm: name, timerId: id },
        },
      ]),
      notBefore: new Date(wallMsOf(dueMs) - FOLLOW_UP_SCHEDULE_LEAD_MS).toISOString(),
    },
  };
};

/** The template the seller's answer speaks to: the case's template segment (metrics.ts). */
const templateOf = (record: CaseRecord) => templateSegmentOf(record.metrics) ?? NO_TEMPLATE;

/**
 * What asking the follow-up commits, when its timer fires: the email, its events, the follow-up marked
 * asked. `undefined` when there is nothing to ask: the case is no longer resolved (appealed, reopened), or a
 * later resolution armed another follow-up.
 */
export const askFollowUp = (
  loaded: LoadedCase,
  timer: { readonly timerId: string },
  /** The follow-up's signed page on the API (fire-timer.ts): the email links it once per answer. */
  answerPage: string,
):
  | {
      readonly events: AuditEvent[];
      readonly set: CasePatch;
      readonly messages: readonly MessageRecord[];
      readonly outbox: readonly OutboxMessage[];
    }
  | undefined => {
  const { record, family, intake, messages } = loaded;
  const followUp = record.followUp;
  if (record.status !== 'resolved' || followUp?.id !== timer.timerId || followUp.status !== 'scheduled')
    return undefined;
  const { caseUrl } = linksFor(record.caseId);
  // The answer preselected: opening the page records nothing (mail scanners prefetch links); the seller
  // confirms there, which posts the answer.
  const page = answerPage;
  const outcome = family.outcomes.find((o) => o.id === record.decision?.outcome);
  const sent = composeTemplated(
    record,
    family.templates.followUp,
    {
      caseId: record.caseId,
      subject: family.subject(intake),
      outcomeLabel: outcome?.label ?? 'resolved',
      answerBy: new Date(reopenCloses(record, family)).toISOString().slice(0, 10),
      rate5Url: `${page}?rating=5`,
      rate4Url: `${page}?rating=4`,
      rate3Url: `${page}?rating=3`,
      rate2Url: `${page}?rating=2`,
      rate1Url: `${page}?rating=1`,
      notHandledUrl: `${page}?handled=no`,
      caseUrl,
    },
    { thread: messages },
  );
  const asked: AuditEvent = {
    type: 'follow-up.asked',
    actor: { kind: 'system', id: 'follow-up' },
    detail: 'The seller was asked whether the concern was handled, and for a rating',
    data: { followUpId: followUp.id, template: templateOf(record) },
  };
  return {
    events: [asked, sent.event],
    set: { followUp: { ...followUp, status: 'asked', askedAt: nowIso() } },
    ...emailChange(sent),
  };
};

export interface FollowUpAnswer {
  readonly handled: boolean;
  readonly rating?: number | undefined;
  readonly comment?: string | undefined;
}

export interface FollowUpResult {
  readonly caseId: string;
  readonly followUpId: string;
  readonly handled: boolean;
  readonly rating: number | null;
  readonly template: string;
  /** "Not handled" reopened the case (within its reopen window). */
  readonly reopened: boolean;
  /** Why "not handled" did not reopen it, when it did not. */
  readonly note?: string;
  readonly status: CaseRecord['status'];
}

/**
 * Records the seller's answer to the case's follow-up, once: `csat.recorded` (handled, rating, template),
 * the comment as the seller's words on the case, and — when not handled and the reopen window is open —
 * the reopen, in the same commit; then the reopened workflow starts. A second answer, an answer before the
 * follow-up was asked, or one racing another (the version guard) is refused and writes nothing.
 */
export const answerFollowUp = async (
  record: CaseRecord,
  family: Family<BaseIntake>,
  sellerId: string,
  answer: FollowUpAnswer,
): Promise<FollowUpResult> => {
  const followUp = record.followUp;
  if (!followUp) throw conflict(`case ${record.caseId} has no follow-up: it has not been resolved`);
  if (followUp.status === 'scheduled')
    throw conflict(
      `the follow-up of case ${record.caseId} is not open yet; it will be asked on ${followUp.dueAt}`,
    );
  if (followUp.status === 'answered')
    throw conflict(
      `the follow-up of case ${record.caseId} was already answered on ${followUp.answer?.at ?? 'an earlier day'}; one answer per follow-up`,
    );
  const at = nowIso();
  const template = templateOf(record);
  const reopen = !answer.handled && reopenable(record, family);
  const note = answer.handled
    ? undefined
    : reopen
      ? undefined
      : record.status === 'resolved'
        ? `the reopen window closed on ${new Date(reopenCloses(record, family)).toISOString().slice(0, 10)}: the answer is recorded and the case stays resolved; open a new case if the problem remains`
        : `the case is already open again (${record.status}): the answer is recorded`;
  const recorded: AuditEvent = {
    type: 'csat.recorded',
    actor: { kind: 'seller', id: sellerId },
    detail: `The seller answered the follow-up: ${answer.handled ? 'handled' : 'not handled'}${answer.rating === undefined ? '' : `, rated ${answer.rating}/5`}`,
    // The agreed contract (weekly review): exactly these facts; the comment stays out of events and logs.
    data: {
      handled: answer.handled,
      ...(answer.rating === undefined ? {} : { rating: answer.rating }),
      template,
    },
  };
  const comment: EvidenceRecord[] =
    answer.comment && !reopen
      ? [
          {
            evidenceId: `${followUp.id}-comment`,
            kinds: ['follow_up_comment'],
            provider: 'seller',
            source: 'portal',
            receivedAt: at,
            text: answer.comment,
          },
        ]
      : [];
  const answered: FollowUp = {
    ...followUp,
    status: 'answered',
    answer: {
      handled: answer.handled,
      ...(answer.rating === undefined ? {} : { rating: answer.rating }),
      at,
      reopened: reopen,
    },
  };
  const reopening = reopen
    ? reopenChange(
        record,
        sellerId,
        answer.comment ?? 'The seller answered the follow-up: the concern was not handled.',
        at,
        'follow-up',
      )
    : undefined;
  const next = await commitAndDispatch(record, {
    ...(reopening ? { move: reopening.change.move } : {}),
    set: { followUp: answered, ...(reopening?.change.set ?? {}) },
    events: [recorded, ...(reopening?.change.events ?? [])],
    evidence: [...comment, ...(reopening?.change.evidence ?? [])],
  });
  if (reopening) await startReopened(record, reopening.reopenCount);
  return {
    caseId: record.caseId,
    followUpId: followUp.id,
    handled: answer.handled,
    rating: answer.rating ?? null,
    template,
    reopened: reopen,
    ...(note ? { note } : {}),
    status: next.status,
  };
};
