import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalRuntime, startLocalRuntime } from '../../infra/local/runtime.ts';
import { SellerWorksClient } from '../../scripts/lib/sellerworks-client.ts';

/**
 * SLA clocks and timers on the local runtime, with case time 200,000× faster (TIME_SCALE): a payout hold's
 * ten-day evidence wait lasts about four seconds, its 120-hour resolution target about two.
 */
let runtime: LocalRuntime;
let client: SellerWorksClient;
beforeAll(async () => {
  runtime = await startLocalRuntime({ timeScale: 200_000 });
  client = new SellerWorksClient(runtime.apiUrl, runtime.smtpPort);
}, 60_000);
afterAll(async () => {
  await runtime?.stop();
});

type Timeline = { type: string; data?: Record<string, unknown> }[];

describe('SLA timers', () => {
  it('reminds an unanswered seller, escalates at the cap, warns before the resolution breach and escalates each level once', async () => {
    const body = JSON.parse(
      await readFile(new URL('../../events/intake/payout-hold.json', import.meta.url), 'utf8'),
    );
    const seller = await client.sellerToken('seller-sla');
    const ops = await client.opsToken();
    const { caseId } = (
      await client.openCase(seller, {
        ...body,
        reason: 'verification_required',
        sellerEmail: 'sla@example.com',
      })
    ).body;

    // Nobody answers and nobody decides: watch the case until the second escalation level has fired.
    const watched = await client.waitFor(
      'the level-2 SLA escalation',
      async () => {
        const { body: c } = await client.getOpsCase(ops, caseId);
        const timeline = c.timeline as Timeline;
        return timeline.some((e) => e.type === 'sla.breached' && e.data?.level === 2) ? c : undefined;
      },
      // Generous on a loaded machine: every message now takes a commit, a claim and a mark.
      80_000,
    );
    // Give any duplicate a chance to show up before counting.
    await new Promise((r) => setTimeout(r, 500));
    const timeline = (await client.getOpsCase(ops, caseId)).body.timeline as Timeline;
    const count = (type: string, level?: number) =>
      timeline.filter((e) => e.type === type && (level === undefined || e.data?.level === level)).length;
    const outbox = await client.outbox(caseId);
    const sns = outbox
      .filter((m) => m.channel === 'sns')
      .map((m) => JSON.parse(m.text) as Record<string, unknown>);

    // The reminder went out once, before the evidence cap; then the cap escalated.
    expect(count('evidence.reminder_sent')).toBe(1);
    expect(outbox.filter((m) => m.subject.startsWith('Reminder: evidence still needed'))).toHaveLength(1);
    const reminderAt = timeline.findIndex((e) => e.type === 'evidence.reminder_sent');
    const capAt = timeline.findIndex((e) => e.type === 'case.escalated');
    expect(reminderAt).toBeGreaterThan(-1);
    expect(capAt).toBeGreaterThan(reminderAt);
    expect(sns).toContainEqual(expect.objectContaining({ reason: 'evidence_timeout', caseId }));
    // The team was warned before the breach, and each level escalated exactly once, to the right person —
    // for the resolution clock and for the team's handoff turnaround alike.
    const of = (type: string, clock: string, level?: number) =>
      timeline.filter(
        (e) =>
          e.type === type &&
          (e.data?.clock === clock || (e.data?.target as { clock?: string } | undefined)?.clock === clock) &&
          (level === undefined || e.data?.level === level),
      );
    expect(of('sla.warning', 'resolution')).toHaveLength(1);
    expect(of('sla.breached', 'resolution', 1)).toHaveLength(1);
    expect(of('sla.breached', 'resolution', 2)).toHaveLength(1);
    expect(timeline.indexOf(of('sla.warning', 'resolution')[0]!)).toBeLessThan(
      timeline.indexOf(of('sla.breached', 'resolution', 1)[0]!),
    );
    expect(of('sla.warning', 'handoff')).toHaveLength(1);
    expect(of('sla.breached', 'handoff').length).toBeLessThanOrEqual(1);
    const breaches = sns.filter((m) => m.reason === 'sla_breach');
    expect(
      breaches
        .filter((m) => (m.target as { clock: string }).clock === 'resolution')
        .map((m) => [m.level, m.escalateTo]),
    ).toEqual([
      [1, 'senior-reviewer'],
      [2, 'team-manager'],
    ]);
    expect(
      sns.filter((m) => m.type === 'sla_warning' && String(m.detail).startsWith('resolution')),
    ).toHaveLength(1);
    // Left without news past the next-update target, the team is told to update the seller — once a period.
    const overdue = timeline.filter((e) => e.type === 'sla.update_overdue');
    expect(overdue.length).toBeGreaterThanOrEqual(1);
    for (const e of overdue)
      expect(Number(e.data?.usedHours)).toBeGreaterThanOrEqual(Number(e.data?.targetHours));
    expect(new Set(overdue.map((e) => e.data?.usedHours)).size).toBe(overdue.length);
    // The case shows its clock: breached, with time used beyond the target.
    expect((watched.sla as { resolution: { breached: boolean } }).resolution.breached).toBe(true);
    // The SLA board lists it under its team as breached; sellers cannot see the board.
    const board = await client.request<{
      teams: { team: string; cases: { caseId: string; risk: string }[] }[];
    }>('GET', '/ops/sla', { token: ops });
    const team = board.body.teams.find((t) => t.team === 'verification');
    expect(team?.cases.find((c) => c.caseId === caseId)).toMatchObject({ risk: 'breached' });
    expect((await client.request('GET', '/ops/sla', { token: seller })).status).toBe(403);
    // Close the case, so its timers and overdue-decision loop stop loading the runtime for the next tests.
    await client.decide(ops, caseId, 'payout_released', 'Verified late.');
    // Resolved, it leaves the board: the board reads only the open part of each queue.
    await client.waitForStatus(seller, caseId, 'resolved', 30_000);
    const after = await client.request<{ teams: { team: string; cases: { caseId: string }[] }[] }>(
      'GET',
      '/ops/sla',
      { token: ops },
    );
    expect(after.body.teams.flatMap((t) => t.cases).map((c) => c.caseId)).not.toContain(caseId);
  }, 120_000);

  it('cancels the reminder when the seller answers in time, and shows the clock paused while waiting', async () => {
    const body = JSON.parse(
      await readFile(new URL('../../events/intake/payout-hold.json', import.meta.url), 'utf8'),
    );
    const seller = await client.sellerToken('seller-sla-2');
    const ops = await client.opsToken();
    const { caseId } = (
      await client.openCase(seller, {
        ...body,
        reason: 'verification_required',
        sellerEmail: 'sla2@example.com',
      })
    ).body;
    const request = await client.waitFor('documents request', async () =>
      (await client.outbox(caseId)).find((m) => m.replyTo),
    );
    // The wait is committed before the email leaves; read the case once it records the wait all the same.
    const waiting = (await client.waitForStatus(seller, caseId, 'awaiting_seller')) as unknown as {
      sla: { resolution: { state: string } };
    };

    await client.sendReply(request.replyTo ?? '', { from: 'sla2@example.com' });
    await client.waitForStatus(seller, caseId, 'handed_off');
    await new Promise((r) => setTimeout(r, 3_000)); // past when the reminder was due
    const timeline = (await client.getOpsCase(ops, caseId)).body.timeline as Timeline;

    expect(waiting.sla.resolution.state).toBe('paused');
    expect(timeline.map((e) => e.type)).not.toContain('evidence.reminder_sent');
    expect((await client.outbox(caseId)).filter((m) => m.subject.startsWith('Reminder'))).toHaveLength(0);
    await client.decide(ops, caseId, 'payout_released', 'Verified.');
  }, 60_000);

  it.each([4_250, 4_400])(
    'a reply %i ms into a 4.3 s evidence cap either resumes the case or is kept as late — once, never both, never lost',
    async (offsetMs) => {
      const body = JSON.parse(
        await readFile(new URL('../../events/intake/payout-hold.json', import.meta.url), 'utf8'),
      );
      const email = `edge-${offsetMs}@example.com`;
      const seller = await client.sellerToken(`seller-edge-${offsetMs}`);
      const ops = await client.opsToken();
      const { caseId } = (
        await client.openCase(seller, { ...body, reason: 'verification_required', sellerEmail: email })
      ).body;
      const request = await client.waitFor('documents request', async () =>
        (await client.outbox(caseId)).find((m) => m.replyTo),
      );

      await new Promise((r) => setTimeout(r, offsetMs - (Date.now() - Date.parse(request.sentAt))));
      await client.sendReply(request.replyTo ?? '', { from: email });
      await new Promise((r) => setTimeout(r, 1_500));
      const timeline = ((await client.getOpsCase(ops, caseId)).body.timeline as Timeline).map((e) => e.type);

      // Kept either way, as exactly one piece of evidence; late exactly when the cap won (and escalated).
      const late = timeline.includes('email.received_late');
      expect(timeline.filter((t) => t === 'evidence.received')).toHaveLength(1);
      expect(timeline.includes('case.escalated')).toBe(late);
      expect(timeline.filter((t) => t === 'case.handed_off')).toHaveLength(1);
      await client.decide(ops, caseId, 'payout_released', 'Verified.');
    },
    60_000,
  );

  it('applies the family policy at the evidence cap: account recovery closes the case with its reason', async () => {
    const body = JSON.parse(
      await readFile(new URL('../../events/intake/account-recovery.json', import.meta.url), 'utf8'),
    );
    const seller = await client.sellerToken('seller-silent');
    const { caseId } = (await client.openCase(seller, { ...body, sellerEmail: 'silent@example.com' })).body;

    const resolved = await client.waitForStatus(seller, caseId, 'resolved', 45_000);

    expect(resolved).toMatchObject({
      decision: { outcome: 'verification_failed' },
      statusLabel: expect.any(String),
    });
    const types = resolved.timeline.map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(['evidence.requested', 'case.decided', 'case.resolved']));
    expect(types).not.toContain('case.handed_off');
    const last = await client.waitForMessage(
      caseId,
      'the resolution',
      (m, all) => m === all.filter((x) => x.channel === 'email').at(-1) && m.subject.includes('Decision on'),
    );
    expect(last.text).toContain('could not verify that the account is yours');
  }, 60_000);
});
