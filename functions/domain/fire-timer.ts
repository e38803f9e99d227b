import { nowIso, nowMs } from '#commons/clock.ts';
import { requireEnv } from '#commons/config.ts';
import { ENV } from '#commons/env-names.ts';
import { retryOnConflict } from '#commons/retry.ts';
import { secretString } from '#gateways/secrets.ts';
import { alarmAfter, holdsFollowUpAlarm } from './alarm.ts';
import { ownerAlert } from './alerts.ts';
import { dispatchAfter, releaseOf } from './assignment.ts';
import type { AuditEvent, CaseRecord, MessageRecord } from './case.ts';
import { type LoadedCase, loadCase } from './case-loader.ts';
import {
  type CasePatch,
  moveTimer,
  type TransactItem,
  TransactionRefused,
  timerUpdateItem,
} from './case-store.ts';
import { escalationMessage, escalationNotification, escalationTarget } from './escalation.ts';
import { evidenceStatus, missingFrom } from './evidence.ts';
import { askFollowUp } from './follow-up.ts';
import { followUpToken } from './follow-up-token.ts';
import { isOpen } from './lifecycle.ts';
import { composeTemplated, emailChange, linksFor } from './messaging.ts';
import type { OutboxMessage } from './outbox.ts';
import { commitAndDispatch } from './outbox-dispatch.ts';
import { clockView, whenShareUsed } from './sla.ts';
import { earliestScheduled, rearm, type TimerRecord } from './timers.ts';

const config = {
  topicArn: requireEnv(ENV.escalationTopicArn),
  portalUrl: requireEnv(ENV.portalUrl).replace(/\/$/, ''),
  apiUrl: requireEnv(ENV.apiUrl).replace(/\/$/, ''),
  replyTokenSecretArn: requireEnv(ENV.replyTokenSecretArn),
};

/** The follow-up's signed answer page on the API (follow-up-token.ts); the email links it per answer. */
const followUpPage = async (caseId: string, followUpId: string) =>
  `${config.apiUrl}/follow-up/${followUpToken(await secretString(config.replyTokenSecretArn), caseId, followUpId)}`;

export type FireOutcome = 'fired' | 'skipped' | 'rearmed' | 'already-handled';

/**
 * Commits the timer's new state with the case change and the messages it implies (sent after the commit);
 * a concurrent firing of the same timer loses, and sends nothing.
 */
const settle = async (
  loaded: LoadedCase,
  timer: TimerRecord,
  fields: Partial<TimerRecord>,
  events: AuditEvent[],
  more: {
    extra?: readonly TransactItem[];
    set?: CasePatch;
    remove?: readonly (keyof CaseRecord)[];
    messages?: readonly MessageRecord[];
    outbox?: readonly OutboxMessage[];
  } = {},
) => {
  try {
    if (
      events.length === 0 &&
      !more.set &&
      !more.remove?.length &&
      !more.messages?.length &&
      !more.extra?.length &&
      !more.outbox?.length
    ) {
      // Nothing happens to the case (a skip, a re-arm): move the timer alone, without touching the case.
      return await moveTimer(timer, fields);
    }
    await commitAndDispatch(
      loaded.record,
      {
        ...(more.set ? { set: more.set } : {}),
        ...(more.remove ? { remove: more.remove } : {}),
        events,
        messages: more.messages ?? [],
        outbox: more.outbox ?? [],
        extra: [timerUpdateItem(timer, fields), ...(more.extra ?? [])],
      },
      { rebase: more.messages?.length ? 5 : 0 },
    );
    return true;
  } catch (error) {
    if (error instanceof TransactionRefused && error.index === 0) return false;
    throw error;
  }
};

/** A reminder goes out only while the wait it belongs to is still open: a reply in time cancels it. */
const remind = async (loaded: LoadedCase, timer: TimerRecord): Promise<FireOutcome> => {
  const { record, family, intake } = loaded;
  const waiting = record.waiting;
  if (waiting?.step !== 'evidence' || waiting.tokenId !== timer.tokenId) {
    return (await settle(loaded, timer, { status: 'skipped' }, [])) ? 'skipped' : 'already-handled';
  }
  const party = timer.party ?? 'seller';
  const missing = missingFrom(evidenceStatus(family.evidence, intake.reason, loaded.evidence), party);
  const to = party === 'seller' ? record.sellerEmail : family.buyerEmail?.(intake);
  if (missing.length === 0 || !to)
    return (await settle(loaded, timer, { status: 'skipped' }, [])) ? 'skipped' : 'already-handled';
  const sent = composeTemplated(
    record,
    family.templates.reminder,
    {
      caseId: record.caseId,
      subject: family.subject(intake),
      missing: missing.map((m) => m.label),
      dueBy: waiting.deadline.slice(0, 16).replace('T', ' ').concat(' UTC'),
      caseUrl: linksFor(record.caseId).caseUrl,
    },
    { to, audience: party, thread: loaded.messages },
  );
  const event: AuditEvent = {
    type: 'evidence.reminder_sent',
    actor: { kind: 'system', id: 'sla' },
    detail: `Reminder sent to the ${party}: still missing ${missing.map((m) => m.label).join('; ')}`,
    data: { timerId: timer.timerId, missing: missing.map((m) => m.kind) },
  };
  const ok = await settle(loaded, timer, { status: 'fired' }, [event, sent.event], emailChange(sent));
  return ok ? 'fired' : 'already-handled';
};

/**
 * The next-update watchdog: whenever the seller has gone a whole target without hearing from us (and we
 * are not waiting on them), the owning team is told to update them; then it watches the next period.
 */
const watchUpdates = async (
  loaded: LoadedCase,
  timer: TimerRecord,
  at: number,
  closed: boolean,
): Promise<FireOutcome> => {
  const clock = loaded.record.sla?.nextUpdate;
  if (!clock || closed)
    return (await settle(loaded, timer, { status: 'skipped' }, [])) ? 'skipped' : 'already-handled';
  const view = clockView(clock, at);
  if (!view.breached || clock.stoppedAt) {
    const moved = rearm(
      timer,
      clock.stoppedAt ? new Date(at + clock.targetMs).toISOString() : whenShareUsed(clock, 1, at),
      at,
    );
    return (await settle(loaded, timer, moved, [])) ? 'rearmed' : 'already-handled';
  }
  const next = rearm(timer, new Date(at + clock.targetMs).toISOString(), at);
  const event: AuditEvent = {
    type: 'sla.update_overdue',
    actor: { kind: 'system', id: 'sla' },
    detail: `The seller has not heard from us for ${view.usedHours} h (target ${view.targetHours} h); the team was asked to update them`,
    data: { timerId: timer.timerId, usedHours: view.usedHours, targetHours: view.targetHours },
  };
  const alert = ownerAlert(
    loaded.record,
    'update_due',
    `The seller has had no update for ${view.usedHours} h; send them one`,
  );
  if (!(await settle(loaded, timer, next, [event], { outbox: [alert] }))) return 'already-handled';
  return 'fired';
};

/**
 * Fires one SLA timer, exactly once (the timer item moves from `scheduled` in the same transaction as the
 * case change). A warning or breach whose clock paused meanwhile is re-armed for when the share will really
 * be used; a stopped clock skips it.
 */
export const fireTimer = async (caseId: string, timerId: string): Promise<FireOutcome> => {
  const loaded = await loadCase(caseId);
  const timer = loaded.timers.find((t) => t.timerId === timerId);
  if (timer?.status !== 'scheduled') return 'already-handled';
  if (timer.type === 'reminder') return remind(loaded, timer);
  if (timer.type === 'follow-up') {
    const asked = askFollowUp(loaded, timer, await followUpPage(caseId, timer.timerId));
    if (!asked)
      return (await settle(loaded, timer, { status: 'skipped' }, [])) ? 'skipped' : 'already-handled';
    const ok = await settle(loaded, timer, { status: 'fired' }, asked.events, asked);
    return ok ? 'fired' : 'already-handled';
  }

  const { record } = loaded;
  const clockName = timer.clock ?? 'resolution';
  const clock = record.sla?.[clockName];
  const at = nowMs();
  const closed = !isOpen(record.status);
  if (timer.type === 'update') return watchUpdates(loaded, timer, at, closed);
  // A clock started again since the timer was armed (an appeal, a transfer) has timers of its own.
  const earlierClock = timer.clockStartedAt !== undefined && timer.clockStartedAt !== clock?.startedAt;
  if (!clock || clock.stoppedAt || earlierClock)
    return (await settle(loaded, timer, { status: 'skipped' }, [])) ? 'skipped' : 'already-handled';
  const view = clockView(clock, at);
  const threshold = timer.threshold ?? 1;
  if (view.shareUsed < threshold) {
    // Paused meanwhile: the share is not used yet. Come back when it will be, if the clock runs on.
    const moved = rearm(timer, whenShareUsed(clock, threshold, at), at);
    return (await settle(loaded, timer, moved, [])) ? 'rearmed' : 'already-handled';
  }

  const team = record.waiting?.team ?? record.routing?.team ?? 'support-ops';
  if (timer.type === 'warning') {
    const event: AuditEvent = {
      type: 'sla.warning',
      actor: { kind: 'system', id: 'sla' },
      detail: `${Math.round(view.shareUsed * 100)} % of the ${clockName} target used; due ${view.dueAt}`,
      data: { timerId, team, clock: clockName, dueAt: view.dueAt, shareUsed: view.shareUsed },
    };
    const alert = ownerAlert(
      record,
      'sla_warning',
      `${clockName} target ${Math.round(view.shareUsed * 100)} % used; due ${view.dueAt}`,
    );
    if (!(await settle(loaded, timer, { status: 'fired' }, [event], { outbox: [alert] })))
      return 'already-handled';
    return 'fired';
  }

  const level = timer.level ?? 1;
  const message = escalationMessage({
    caseId,
    family: record.family,
    reason: 'sla_breach',
    level,
    team,
    escalateTo: escalationTarget('sla_breach', level),
    at: nowIso(),
    link: `${config.portalUrl}/ops/cases/${caseId}`,
    target: { clock: clockName, targetHours: view.targetHours, dueAt: view.dueAt },
    breachedAt: view.dueAt,
  });
  const event: AuditEvent = {
    type: 'sla.breached',
    actor: { kind: 'system', id: 'sla' },
    detail: `The ${clockName} target was breached; escalated (level ${level}) to the ${message.escalateTo.replace('-', ' ')}`,
    data: { ...message },
  };
  const escalationLevel = Math.max(record.escalationLevel ?? 0, level);
  const escalation = escalationNotification(
    config.topicArn,
    message,
    `[SellerWorks] SLA breach: case ${caseId} (level ${level})`,
  );
  // The team's turnaround target passed with the case in someone's hands and nothing from them: it goes to
  // someone else (once for this level's breach), and the team hears of it.
  const silent = clockName === 'handoff' ? silentAssignee(loaded) : undefined;
  const passedOn = silent
    ? {
        set: { escalationLevel, passedOver: [...(record.passedOver ?? []), silent.agentId] },
        remove: ['assignee'] as const,
        extra: releaseOf(record),
        events: [
          event,
          {
            type: 'case.unassigned',
            actor: { kind: 'system', id: 'assignment' },
            detail: `Back in the ${team} team's queue: ${silent.name} had not acted within the team's target`,
            data: { agentId: silent.agentId, team, reason: 'no action within the team target', level },
          } satisfies AuditEvent,
        ],
        outbox: [
          escalation,
          ownerAlert(
            record,
            'assignee_silent',
            `${silent.name} (${silent.agentId}) had not acted on the case within the ${view.targetHours} h target; it goes to another agent`,
          ),
        ],
      }
    : undefined;
  if (
    !(await settle(
      loaded,
      timer,
      { status: 'fired' },
      passedOn?.events ?? [event],
      passedOn ?? { set: { escalationLevel }, outbox: [escalation] },
    ))
  )
    return 'already-handled';
  if (silent) await dispatchAfter(team);
  return 'fired';
};

/** The case's agent, if they have done nothing on it (a note, a transfer, a decision) since they got it. */
const silentAssignee = ({ record, events }: LoadedCase) => {
  const assignee = record.assignee;
  if (!assignee) return undefined;
  const acted = events.some(
    (e) => e.actor.kind === 'ops' && e.actor.id === assignee.agentId && e.at >= assignee.assignedAt,
  );
  return acted ? undefined : assignee;
};

/**
 * The case's alarm after a firing: for the earliest timer still scheduled, while the case is open (alarm.ts).
 * `fired` names the alarm that rang (spent: it deleted itself); a legacy per-timer schedule passes none.
 * Committed against the case version read here: an arm that lands meanwhile makes this read again.
 */
const setNextAlarm = async (caseId: string, fired: string | undefined, selfArn: string): Promise<void> => {
  const { record, timers } = await loadCase(caseId);
  // A follow-up alarm from before follow-ups waited in the outbox, rung early: again at its time (alarm.ts).
  const followUp = holdsFollowUpAlarm(record.status, record.alarm, record.followUp)
    ? record.followUp?.dueAt
    : undefined;
  const open = isOpen(record.status) || followUp !== undefined;
  const change = { fired, ringing: true, target: selfArn, earliest: followUp ?? earliestScheduled(timers) };
  if (!alarmAfter(record, record.version + 1, open, change, nowIso())) return;
  await commitAndDispatch(record, { events: [], alarm: change });
};

/**
 * A case's alarm rang: fires every timer due by now, oldest first, each exactly once (a second ringing, or a
 * duplicate delivery, finds them fired), then sets the alarm for the next. A version conflict (a step wrote
 * the case meanwhile) reads again and retries here rather than lean on the scheduler's retries.
 */
export const ringAlarm = async (
  caseId: string,
  alarm: string | undefined,
  selfArn: string,
  /** A schedule of an earlier version names its one timer. */
  timerId?: string,
): Promise<{ readonly fired: Readonly<Record<string, FireOutcome>> }> => {
  const { timers } = await loadCase(caseId);
  const now = nowIso();
  const due = timerId
    ? timers.filter((t) => t.timerId === timerId)
    : timers
        .filter((t) => t.status === 'scheduled' && t.dueAt <= now)
        .sort((a, b) => a.dueAt.localeCompare(b.dueAt));
  const fired: Record<string, FireOutcome> = {};
  for (const timer of due)
    fired[timer.timerId] = await retryOnConflict(() => fireTimer(caseId, timer.timerId));
  await retryOnConflict(() => setNextAlarm(caseId, alarm, selfArn));
  return { fired };
};
