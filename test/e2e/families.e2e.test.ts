import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalRuntime, startLocalRuntime } from '../../infra/local/runtime.ts';
import { SellerWorksClient } from '../../scripts/lib/sellerworks-client.ts';
import { FAMILY_IDS } from '../../state-machines/catalog.ts';

/**
 * Every family end to end on one local runtime, and the seeds' worked examples (seed 000 §8). Waits run
 * 50,000× faster (TIME_SCALE), so a five-day evidence cap lasts about nine seconds and an overdue
 * decision can be watched escalating.
 */
const TIME_SCALE = 50_000;
let runtime: LocalRuntime;
let client: SellerWorksClient;

beforeAll(async () => {
  runtime = await startLocalRuntime({ timeScale: TIME_SCALE });
  client = new SellerWorksClient(runtime.apiUrl, runtime.smtpPort);
}, 60_000);
afterAll(async () => {
  await runtime?.stop();
});

const sample = async (family: string): Promise<Record<string, unknown>> =>
  JSON.parse(await readFile(new URL(`../../events/intake/${family}.json`, import.meta.url), 'utf8'));

type OpsCase = Record<string, unknown> & {
  status: string;
  waiting?: { step: string; from: string };
  routing?: { team: string; ruleId: string; reason: string };
  allowedOutcomes?: { id: string }[];
  timeline: { type: string; actor: string; detail: string; data?: Record<string, unknown> }[];
};

const opsCase = async (token: string, caseId: string) =>
  (await client.getOpsCase(token, caseId)).body as OpsCase;

/** Waits until the case reaches a state `check` accepts. */
const until = (
  token: string,
  caseId: string,
  what: string,
  check: (c: OpsCase) => boolean,
  timeoutMs = 20_000,
) => client.untilOpsCase(token, caseId, what, check, timeoutMs);

/** Plays the seller's and buyer's parts (SMTP replies, declining mediation) until a team holds the case. */
const driveToTeam = async (
  seller: string,
  ops: string,
  caseId: string,
  sellerEmail: string,
  buyerEmail?: string,
) =>
  (await client.answerUntilTeam(seller, ops, caseId, { seller: sellerEmail, buyer: buyerEmail })) as OpsCase;

describe('every family, end to end', () => {
  it.each(FAMILY_IDS)(
    '%s runs from its sample intake to resolution',
    async (family) => {
      const body = await sample(family);
      const seller = await client.sellerToken(`seller-${family}`);
      const ops = await client.opsToken();

      const opened = await client.openCase(seller, body);
      expect(opened.status).toBe(202);
      const { caseId } = opened.body;
      const held = await driveToTeam(
        seller,
        ops,
        caseId,
        String(body.sellerEmail),
        body.buyerEmail as string | undefined,
      );
      expect(held.routing?.ruleId).toBeTruthy();
      const outcome = held.allowedOutcomes?.[0]?.id ?? '';
      expect((await client.decide(ops, caseId, outcome, 'Decided on the evidence in the case.')).status).toBe(
        202,
      );
      const resolved = await client.waitForStatus(seller, caseId, 'resolved');

      expect(resolved.timeline.map((e) => e.type)).toContain('case.resolved');
      const last = await client.waitForMessage(
        caseId,
        'the decision',
        // The last email (the decision's domain events may leave after it, on the bus).
        (m, all) =>
          m === all.filter((x) => x.channel === 'email').at(-1) && m.subject.includes('Decision on'),
      );
      expect(last.subject).toContain('Decision on');
    },
    60_000,
  );

  it('lists every family with a JSON Schema of its intake for portal forms', async () => {
    const { status, body } = await client.families(await client.sellerToken('portal'));

    expect(status).toBe(200);
    expect(body.families.map((f) => f.id).sort()).toEqual([...FAMILY_IDS].sort());
    const payout = body.families.find((f) => f.id === 'payout-hold');
    expect(payout?.intakeSchema).toMatchObject({
      type: 'object',
      properties: { reason: { enum: expect.any(Array) } },
    });
    expect(payout?.intakeSchema.required).toContain('payoutId');
  });

  it.each(FAMILY_IDS)(
    '%s refuses a reason it does not know and a missing required field, storing nothing',
    async (family) => {
      const body = await sample(family);
      const seller = await client.sellerToken(`seller-bad-${family}`);

      const badReason = await client.openCase(seller, { ...body, reason: 'bored' });
      const { sellerEmail: _dropped, ...withoutEmail } = body;
      const missing = await client.openCase(seller, withoutEmail);

      expect(badReason.status).toBe(422);
      expect(JSON.stringify(badReason.body)).toContain('"path":"reason"');
      expect(missing.status).toBe(422);
      expect(JSON.stringify(missing.body)).toContain('"path":"sellerEmail"');
    },
  );
});

describe('evidence on the portal', () => {
  it.each(FAMILY_IDS)(
    '%s refuses an evidence item its contract does not have, storing nothing',
    async (family) => {
      const seller = await client.sellerToken(`seller-items-${family}`);
      const { caseId } = (await client.openCase(seller, await sample(family))).body;
      await until(await client.opsToken(), caseId, 'triage', (c) => c.routing !== undefined);
      const before = ((await client.getCase(seller, caseId)).body.evidence as unknown[]).length;

      const result = await client.addEvidence(
        seller,
        caseId,
        ['flux_capacitor_readings'],
        'Readings attached.',
      );

      expect(result.status).toBe(422);
      expect(result.body.error?.issues[0]?.path).toBe('kinds.0');
      expect(((await client.getCase(seller, caseId)).body.evidence as unknown[]).length).toBe(before);
    },
  );

  it('answers the evidence wait once; a later email reply is appended without resuming anything again', async () => {
    const body = await sample('payout-hold');
    const seller = await client.sellerToken('seller-portal');
    const ops = await client.opsToken();
    const { caseId } = (await client.openCase(seller, { ...body, reason: 'verification_required' })).body;
    const request = await client.waitFor('documents request', async () =>
      (await client.outbox(caseId)).find((m) => m.replyTo),
    );
    const missing = (await opsCase(ops, caseId)).waiting as unknown as { missing: string[] };

    const uploaded = await client.addEvidence(
      seller,
      caseId,
      missing.missing,
      'Registration certificate no. 4471 and passport.',
    );
    await until(ops, caseId, 'handoff', (c) => c.status === 'handed_off');
    await client.sendReply(request.replyTo ?? '', { from: String(body.sellerEmail) });

    expect(uploaded.body.resumed).toBe(true);
    const c = await opsCase(ops, caseId);
    expect(c.status).toBe('handed_off');
    const after = await until(ops, caseId, 'the appended reply', (x) =>
      x.timeline.some((e) => e.type === 'email.received'),
    );
    const types = after.timeline.map((e) => e.type);
    expect(types.filter((t) => t === 'case.handed_off')).toHaveLength(1);
    expect(types.filter((t) => t === 'evidence.received')).toHaveLength(2);
    expect(after.status).toBe('handed_off');
  });
});

describe('uploads on the portal', () => {
  it('takes a file PUT to a presigned URL as evidence, checksummed, and refuses what it must not take', async () => {
    const body = await sample('payout-hold');
    const seller = await client.sellerToken('seller-upload');
    const ops = await client.opsToken();
    const { caseId } = (await client.openCase(seller, { ...body, reason: 'verification_required' })).body;
    await until(ops, caseId, 'evidence request', (c) => c.status === 'awaiting_seller');
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');

    const refusedType = await client.request('POST', `/cases/${caseId}/evidence/uploads`, {
      token: seller,
      body: { filename: 'tool.exe', contentType: 'application/x-msdownload', size: 10 },
    });
    const upload = await client.request<{ uploadId: string; url: string; headers: Record<string, string> }>(
      'POST',
      `/cases/${caseId}/evidence/uploads`,
      {
        token: seller,
        body: { filename: 'registration.pdf', contentType: 'application/pdf', size: pdf.length },
      },
    );
    const put = await fetch(upload.body.url, { method: 'PUT', headers: upload.body.headers, body: pdf });
    const foreign = await client.request('POST', `/cases/${caseId}/evidence`, {
      token: seller,
      body: { kinds: ['business_registration'], text: 'x', uploads: ['uploads/case_other00000/x/y.pdf'] },
    });
    const missing = (await opsCase(ops, caseId)).waiting as unknown as { missing: string[] };
    const added = await client.request<{ resumed: boolean }>('POST', `/cases/${caseId}/evidence`, {
      token: seller,
      body: {
        kinds: missing.missing,
        text: 'Registration certificate attached.',
        uploads: [upload.body.uploadId],
      },
    });

    expect(refusedType.status).toBe(422);
    expect(upload.status).toBe(201);
    expect(put.status).toBe(200);
    expect(foreign.status).toBe(422);
    expect(JSON.stringify(foreign.body)).toContain('uploads.0');
    expect(added.body.resumed).toBe(true);
    const c = await until(ops, caseId, 'handoff', (x) => x.status === 'handed_off');
    const stored = (c.evidence as { attachments: { filename: string; sha256: string }[] }[]).flatMap(
      (e) => e.attachments,
    );
    expect(stored).toContainEqual(
      expect.objectContaining({
        filename: 'registration.pdf',
        sha256: createHash('sha256').update(pdf).digest('hex'),
      }),
    );
  });
});

describe("the seeds' worked examples", () => {
  it('payout hold: verification queue, documents checklist, escalation to a senior reviewer past its SLA', async () => {
    const body = await sample('payout-hold');
    const seller = await client.sellerToken('seller-payout');
    const ops = await client.opsToken();
    const { caseId } = (
      await client.openCase(seller, { ...body, reason: 'verification_required', amount: 2400 })
    ).body;

    // The seller gets a template naming the documents; ops sees the checklist and the verification queue.
    const request = await client.waitFor('documents request', async () =>
      (await client.outbox(caseId)).find((m) => m.replyTo),
    );
    const waiting = await opsCase(ops, caseId);
    expect(waiting.routing?.team).toBe('verification');
    const checklist = waiting.evidenceChecklist as { kind: string; status: string }[];
    expect(checklist.filter((i) => i.status === 'missing').length).toBeGreaterThanOrEqual(2);
    expect(request.text).toMatch(/registration/i);

    // Documents arrive by email; nobody decides within the SLA; a senior reviewer is alerted once.
    await client.sendReply(request.replyTo ?? '', { from: String(body.sellerEmail) });
    await until(ops, caseId, 'handoff', (c) => c.status === 'handed_off');
    // Whichever comes first — the resolution SLA breach or the overdue decision — goes to a senior reviewer, once.
    const senior = (m: { channel: string; text: string }) =>
      m.channel === 'sns' && (JSON.parse(m.text) as { escalateTo?: string }).escalateTo === 'senior-reviewer';
    await client.waitFor(
      'an escalation to a senior reviewer',
      async () => (await client.outbox(caseId)).find(senior),
      40_000,
    );
    const escalated = await opsCase(ops, caseId);
    const sns = (await client.outbox(caseId)).filter(senior);
    expect(sns).toHaveLength(1);
    expect(JSON.parse(sns[0]?.text ?? '{}')).toMatchObject({
      caseId,
      reason: expect.stringMatching(/^(sla_breach|decision_overdue)$/),
      level: 1,
      escalateTo: 'senior-reviewer',
      team: 'verification',
    });
    expect(escalated.status).toBe('handed_off');

    // The reviewer decides; the seller's cash flow is back.
    expect((await client.decide(ops, caseId, 'payout_released', 'Documents verified.')).status).toBe(202);
    await client.waitForStatus(seller, caseId, 'resolved');
  }, 60_000);

  it('buyer dispute: evidence from both sides, the standard resolution, and an appeal to another reviewer', async () => {
    const body = await sample('buyer-dispute');
    const seller = await client.sellerToken('seller-appeal');
    const first = await client.opsToken('disputes');
    const { caseId } = (await client.openCase(seller, body)).body;
    await driveToTeam(seller, first, caseId, String(body.sellerEmail), String(body.buyerEmail));
    const reviewer = (
      await client.request<{ token: string }>('GET', '/dev/token?role=ops&team=disputes&user=reviewer-2')
    ).body.token;

    expect(
      (await client.decide(first, caseId, 'buyer_refunded', 'Buyer photos show the defect.')).status,
    ).toBe(202);
    await client.waitForStatus(seller, caseId, 'resolved');
    const appealed = await client.appeal(
      seller,
      caseId,
      'The crack is transit damage; the carrier accepted my claim.',
    );
    expect(appealed.status).toBe(202);
    const held = await until(first, caseId, 'appeal handoff', (c) => c.status === 'handed_off');

    expect(held.timeline.map((e) => e.type)).toEqual(
      expect.arrayContaining(['case.appealed', 'appeal.handed_off']),
    );
    expect(
      (await client.decide(first, caseId, 'seller_favoured', 'Overturning my own decision')).status,
    ).toBe(403);
    expect((await client.decide(reviewer, caseId, 'seller_favoured', 'Carrier claim accepted.')).status).toBe(
      202,
    );
    const resolved = await client.waitForStatus(seller, caseId, 'resolved');
    const types = resolved.timeline.map((e) => e.type);
    expect(types.filter((t) => t === 'case.resolved')).toHaveLength(2);
    expect(types).toContain('appeal.decided');
    const subjects = (await client.outbox(caseId)).map((m) => m.subject);
    expect(subjects).toEqual(expect.arrayContaining([expect.stringContaining('We received your appeal')]));
    expect((await client.appeal(seller, caseId, 'And again, once more please.')).status).toBe(409);
  }, 60_000);

  it('listing suppression: policy concerns go to a policy specialist, data defects to product ops or engineering', async () => {
    const body = await sample('listing-suppression');
    const ops = await client.opsToken();
    const seller = await client.sellerToken('seller-listing');
    const defect = {
      attribute: 'item_weight',
      expectedValue: '1.2 kg',
      observedValue: '1200 kg',
      stepsToReproduce: 'Upload the feed row for SKU K-1; the weight is multiplied by 1000 on import.',
    };
    const open = async (overrides: Record<string, unknown>) => {
      const { reason: _reason, defect: _defect, ...rest } = body;
      return (await client.openCase(seller, { ...rest, ...overrides })).body.caseId;
    };

    const policy = await open({ reason: 'policy_concern' });
    const data = await open({ reason: 'product_data_defect', defect, affectedListings: 3 });
    const systemic = await open({ reason: 'product_data_defect', defect, affectedListings: 120 });
    const teamOf = async (caseId: string) =>
      (await until(ops, caseId, 'routing', (c) => c.routing !== undefined)).routing;

    expect((await teamOf(policy))?.team).toBe('policy-specialists');
    expect((await teamOf(data))?.team).toBe('product-ops');
    const engineering = await teamOf(systemic);
    expect(engineering?.team).toBe('engineering');
    expect(engineering?.reason).toMatch(/affectedListings|50/);
    const held = await driveToTeam(seller, ops, systemic, String(body.sellerEmail));
    const handoff = held.timeline.find((e) => e.type === 'case.handed_off');
    expect(handoff?.data?.payload).toMatchObject({ details: { stepsToReproduce: defect.stepsToReproduce } });
  }, 60_000);
});

describe('reopening and transferring', () => {
  it('reopens a resolved case within its window, counted, back to its team', async () => {
    const body = await sample('shipping-exception');
    const seller = await client.sellerToken('seller-reopen');
    const ops = await client.opsToken();
    const { caseId } = (await client.openCase(seller, body)).body;
    const held = await driveToTeam(seller, ops, caseId, String(body.sellerEmail));
    await client.decide(ops, caseId, held.allowedOutcomes?.[0]?.id ?? '', 'Carrier claim filed.');
    await client.waitForStatus(seller, caseId, 'resolved');

    expect((await client.reopen(seller, caseId, 'The carrier rejected the claim after all.')).status).toBe(
      202,
    );
    const again = await until(ops, caseId, 'reopened handoff', (c) => c.status === 'handed_off');

    expect(again.counts).toMatchObject({ reopens: 1 });
    expect(again.timeline.map((e) => e.type)).toEqual(
      expect.arrayContaining(['case.reopened', 'case.handed_off']),
    );
    expect((await client.reopen(seller, caseId, 'Still open, reopen again.')).status).toBe(409);
  }, 60_000);

  it('counts transfers and never bounces a case back to a team that handed it off without a reason', async () => {
    const body = await sample('billing-dispute');
    const seller = await client.sellerToken('seller-transfer');
    const ops = await client.opsToken();
    const { caseId } = (await client.openCase(seller, body)).body;
    const held = await driveToTeam(seller, ops, caseId, String(body.sellerEmail));
    const from = held.routing?.team ?? '';
    const to = from === 'finance' ? 'finance-senior' : 'finance';

    expect(
      (await client.transfer(ops, caseId, { team: to, reason: 'Needs a senior finance reviewer' })).status,
    ).toBe(200);
    const back = await client.transfer(ops, caseId, { team: from, reason: 'Sending it back' });
    expect(back.status).toBe(409);
    expect(
      (await client.transfer(ops, caseId, { team: 'weather', reason: 'Not a team at all' })).status,
    ).toBe(422);
    const returned = await client.transfer(ops, caseId, {
      team: from,
      reason: 'Sending it back',
      returnReason: 'Senior review found the original team owns chargeback evidence.',
    });
    expect(returned.status).toBe(200);

    const c = await opsCase(ops, caseId);
    expect(c.counts).toMatchObject({ transfers: 2 });
    expect(c.timeline.filter((e) => e.type === 'case.transferred')).toHaveLength(2);
    expect(
      (await client.decide(ops, caseId, c.allowedOutcomes?.[0]?.id ?? '', 'Decided after transfer.')).status,
    ).toBe(202);
  }, 60_000);
});
