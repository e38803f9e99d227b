import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalRuntime, startLocalRuntime } from '../../infra/local/runtime.ts';
import { SellerWorksClient } from '../../scripts/lib/sellerworks-client.ts';

/**
 * Nobody sits on a case: with case time 200,000× faster (TIME_SCALE), the verification team's turnaround
 * target passes in well under a second, and an agent who got a case and did nothing with it loses it.
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

describe('an agent silent past the team target', () => {
  it('loses the case to another agent once for the level, and the team is alerted', async () => {
    const supervisor = await client.opsToken();
    for (const agentId of ['ana', 'ben']) {
      const put = await client.putAgent(supervisor, agentId, {
        team: 'verification',
        name: agentId.toUpperCase(),
        skills: {},
        capacity: 1,
        status: 'available',
      });
      expect(put.status).toBe(200);
    }
    const seller = await client.sellerToken('seller-silent');
    const { caseId } = (
      await client.openCase(seller, {
        ...JSON.parse(
          await readFile(new URL('../../events/intake/payout-hold.json', import.meta.url), 'utf8'),
        ),
        sellerEmail: 'silent@example.com',
      })
    ).body;
    await client.untilOpsCase(
      supervisor,
      caseId,
      'asking for documents',
      (c) => c.status === 'awaiting_seller',
    );
    await client.addEvidence(
      seller,
      caseId,
      ['identity_document', 'business_registration'],
      'Both attached.',
    );

    const passedOn = await client.untilOpsCase<{ assignee: { agentId: string } | null; timeline: Timeline }>(
      supervisor,
      caseId,
      'the case to pass from its silent agent to another',
      (c) => c.timeline.some((e) => e.type === 'case.unassigned') && c.assignee !== null,
      30_000,
    );
    const assigned = passedOn.timeline.filter((e) => e.type === 'case.assigned').map((e) => e.data?.agentId);
    expect(assigned).toEqual(['ana', 'ben']);
    expect(passedOn.assignee?.agentId).toBe('ben');
    const unassigned = passedOn.timeline.filter((e) => e.type === 'case.unassigned');
    expect(unassigned).toHaveLength(1);
    expect(unassigned[0]?.data).toMatchObject({ agentId: 'ana', reason: 'no action within the team target' });

    // Once for the level: Ben is not passed over in turn, and Ana never gets it back.
    await new Promise((r) => setTimeout(r, 2_000));
    const later = (await client.getOpsCase(supervisor, caseId)).body as unknown as {
      assignee: { agentId: string } | null;
      timeline: Timeline;
    };
    expect(later.timeline.filter((e) => e.type === 'case.unassigned')).toHaveLength(1);
    expect(later.assignee?.agentId).toBe('ben');

    const alerts = (await client.outbox(caseId))
      .filter((m) => m.channel === 'sns')
      .map((m) => JSON.parse(m.text) as Record<string, unknown>);
    expect(alerts.filter((a) => a.type === 'assignee_silent')).toEqual([
      expect.objectContaining({ caseId, team: 'verification', detail: expect.stringContaining('ANA (ana)') }),
    ]);
  }, 60_000);
});
