import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isSampled } from '../../functions/domain/review-scores.ts';
import { payoutHold } from '../../functions/policy/payout-hold/index.ts';
import { type LocalRuntime, startLocalRuntime } from '../../infra/local/runtime.ts';
import { SellerWorksClient } from '../../scripts/lib/sellerworks-client.ts';

/**
 * Quality reviews end to end on the local runtime: payout holds decided by the verification team's agent
 * Rita; the one whose id falls in the family's sample enters the review queue when it resolves (and the
 * one that does not, does not); Rita may not review her own decision (403), an agent of another team
 * reviews it, a second review is 409, and the scores show by team, agent and template version. Then the
 * unsampled case is appealed and a supervisor overturns it: the overturned decision enters the queue too,
 * closed to both of its deciders.
 */

let runtime: LocalRuntime;
let client: SellerWorksClient;
let supervisor: string;
const TEAM = 'verification';
const DECIDER = 'rita';
const REVIEWER_TEAM = 'payments-support';
const REVIEWER = 'vic';

interface QueueEntry {
  caseId: string;
  family: string;
  reason: string;
  outcome: string;
  decidedBy: string;
  team: string;
  agent: string;
  template: string;
  deciders: string[];
  overturnedBy?: { outcome: string; decidedBy: string };
  mayReview: boolean;
}
interface QueuePage {
  entries: QueueEntry[];
  nextCursor: string | null;
}
interface Line {
  segment: string;
  reviews: number;
  overall: number | null;
  lowScored: number;
  criteria: Record<string, { mean: number | null; distribution: number[] }>;
}
interface Results {
  all: Line;
  segments: Record<'family' | 'team' | 'agent' | 'template' | 'reason', Line[]>;
}
interface ErrorBody {
  error: { status: number; message: string; issues: { path: string; reason: string }[] };
}

const payout = async () =>
  JSON.parse(
    await readFile(new URL('../../events/intake/payout-hold.json', import.meta.url), 'utf8'),
  ) as Record<string, unknown>;

let opened = 0;
/** Opens a payout hold for the verification team; answers its id and its seller's token. */
const openPayoutHold = async () => {
  opened += 1;
  const seller = `seller-review-${opened}`;
  const token = await client.sellerToken(seller);
  const created = await client.openCase(token, {
    ...(await payout()),
    payoutId: `po_review_${opened}`,
    amount: 800,
    sellerEmail: `${seller}@example.com`,
  });
  expect(created.status).toBe(202);
  return { caseId: created.body.caseId, token };
};

/** Answers the document request, waits for Rita to hold the case, and has her release the payout. */
const decideAsRita = async ({ caseId, token }: { caseId: string; token: string }) => {
  await client.untilOpsCase<{ status: string }>(
    supervisor,
    caseId,
    'asking',
    (c) => c.status === 'awaiting_seller',
  );
  const answered = await client.addEvidence(
    token,
    caseId,
    ['identity_document', 'business_registration'],
    'Passport of the account holder and the new certificate of incorporation.',
  );
  expect(answered.status).toBe(202);
  await client.untilOpsCase<{ status: string; assignee: { agentId: string } | null }>(
    supervisor,
    caseId,
    `held by ${DECIDER}`,
    (c) => c.status === 'handed_off' && c.assignee?.agentId === DECIDER,
  );
  const decided = await client.decide(
    await client.agentToken(TEAM, DECIDER),
    caseId,
    'payout_released',
    'Documents match the registration',
  );
  expect(decided.status).toBe(202);
  await client.waitForStatus(token, caseId, 'resolved');
};

const queue = (token: string, query = 'family=payout-hold') =>
  client.request<QueuePage>('GET', `/ops/reviews/queue?${query}`, { token });

const review = (token: string, caseId: string, body: unknown) =>
  client.request<Record<string, unknown> & Partial<ErrorBody>>('POST', `/ops/reviews/${caseId}`, {
    token,
    body,
  });

const results = async () =>
  (await client.request<Results>('GET', '/ops/reviews/scores', { token: supervisor })).body;

const line = (r: Results, by: keyof Results['segments'], segment: string) =>
  r.segments[by].find((l) => l.segment === segment);

const GOOD = {
  scores: { decisionCorrectness: 5, explanationClarity: 4, handoffCompleteness: 4, policyAdherence: 5 },
  comments: { overall: 'Sound release: both documents match the registration.' },
};

beforeAll(async () => {
  runtime = await startLocalRuntime();
  client = new SellerWorksClient(runtime.apiUrl, runtime.smtpPort);
  supervisor = await client.opsToken();
  for (const [agentId, team, name] of [
    [DECIDER, TEAM, 'Rita Alves'],
    [REVIEWER, REVIEWER_TEAM, 'Vic Moreau'],
  ] as const) {
    const put = await client.putAgent(supervisor, agentId, {
      team,
      name,
      skills: {},
      capacity: 10,
      status: 'available',
    });
    expect(put.status).toBe(200);
  }
}, 60_000);

afterAll(async () => {
  await runtime?.stop();
});

describe('quality reviews', () => {
  const cases: Record<'sampled' | 'unsampled', { caseId: string; token: string } | undefined> = {
    sampled: undefined,
    unsampled: undefined,
  };

  it('queues a sampled resolution of the family, and not one outside its sample', async () => {
    const share = payoutHold.review.sampleShare;
    // Case ids are random: open holds until one falls in the family's sample and one outside it.
    for (let i = 0; i < 80 && (!cases.sampled || !cases.unsampled); i += 1) {
      const opened = await openPayoutHold();
      const key = isSampled(opened.caseId, share) ? 'sampled' : 'unsampled';
      cases[key] ??= opened;
    }
    if (!cases.sampled || !cases.unsampled) throw new Error('no sampled and unsampled pair in 80 cases');
    await decideAsRita(cases.sampled);
    await decideAsRita(cases.unsampled);

    const listed = await client.waitFor('the sampled case in the review queue', async () => {
      const page = (await queue(supervisor)).body;
      return page.entries.some((e) => e.caseId === cases.sampled?.caseId) ? page : undefined;
    });
    const entry = listed.entries.find((e) => e.caseId === cases.sampled?.caseId);
    expect(entry).toMatchObject({
      family: 'payout-hold',
      reason: 'sample',
      outcome: 'payout_released',
      decidedBy: DECIDER,
      team: TEAM,
      agent: DECIDER,
      deciders: [DECIDER],
      mayReview: true,
    });
    // The last email to the seller before the decision: the document request, by its id@version.
    expect(entry?.template).toMatch(/^[a-z0-9.-]+@\d+$/);
    const ops = (await client.getOpsCase(supervisor, cases.sampled.caseId)).body as unknown as {
      timeline: { type: string; data?: { template?: string; audience?: string } }[];
    };
    const decidedAt = ops.timeline.findIndex((e) => e.type === 'case.decided');
    const before = ops.timeline
      .slice(0, decidedAt)
      .filter((e) => e.type === 'message.sent' && (e.data?.audience ?? 'seller') === 'seller');
    expect(entry?.template).toBe(before.at(-1)?.data?.template);
    expect(listed.entries.some((e) => e.caseId === cases.unsampled?.caseId)).toBe(false);

    const asDecider = (await queue(await client.agentToken(TEAM, DECIDER))).body;
    expect(asDecider.entries.find((e) => e.caseId === cases.sampled?.caseId)?.mayReview).toBe(false);
    // Every family's queue merged holds it too; another family's does not.
    expect((await queue(supervisor, 'limit=100')).body.entries.map((e) => e.caseId)).toContain(
      cases.sampled.caseId,
    );
    expect((await queue(supervisor, 'family=buyer-dispute')).body.entries).toEqual([]);
  }, 120_000);

  it('refuses the decider, takes another reviewer once, and shows the scores by team and agent', async () => {
    const caseId = cases.sampled?.caseId ?? '';
    const byDecider = await review(await client.agentToken(TEAM, DECIDER), caseId, GOOD);
    expect(byDecider.status).toBe(403);
    expect(byDecider.body.error?.message).toMatch(/hand in the decision/);

    const reviewer = await client.agentToken(REVIEWER_TEAM, REVIEWER);
    const low = {
      scores: { decisionCorrectness: 4, explanationClarity: 2, handoffCompleteness: 5, policyAdherence: 4 },
      comments: { explanationClarity: 'The email never says which document was missing.' },
    };
    const done = await review(reviewer, caseId, low);
    expect(done.status).toBe(201);
    expect(done.body).toMatchObject({
      caseId,
      reviewer: REVIEWER,
      reason: 'sample',
      counted: { team: TEAM, agent: DECIDER, family: 'payout-hold' },
    });
    const again = await review(supervisor, caseId, GOOD);
    expect(again.status).toBe(409);

    await client.waitFor('the reviewed case to leave the queue', async () =>
      (await queue(supervisor)).body.entries.some((e) => e.caseId === caseId) ? undefined : true,
    );

    const r = await results();
    const expected = {
      reviews: 1,
      lowScored: 1,
      overall: 3.75,
      criteria: {
        decisionCorrectness: { mean: 4, distribution: [0, 0, 0, 1, 0] },
        explanationClarity: { mean: 2, distribution: [0, 1, 0, 0, 0] },
        handoffCompleteness: { mean: 5, distribution: [0, 0, 0, 0, 1] },
        policyAdherence: { mean: 4, distribution: [0, 0, 0, 1, 0] },
      },
    };
    expect(r.all).toMatchObject(expected);
    expect(line(r, 'team', TEAM)).toMatchObject(expected);
    expect(line(r, 'agent', DECIDER)).toMatchObject(expected);
    expect(
      line(r, 'template', String(done.body.counted && (done.body.counted as { template: string }).template)),
    ).toMatchObject(expected);
    expect(line(r, 'reason', 'sample')).toMatchObject({ reviews: 1 });
  }, 60_000);

  it('queues an appeal that overturned a decision, closed to both of its deciders', async () => {
    const { caseId, token } = cases.unsampled ?? { caseId: '', token: '' };
    const appealed = await client.appeal(token, caseId, 'The hold should never have been released this way.');
    expect(appealed.status).toBe(202);
    // Rita decided it, so the appeal waits for someone else: the supervisor overturns it.
    await client.untilOpsCase<{ status: string; waiting?: { step: string } }>(
      supervisor,
      caseId,
      'the appeal with the team',
      (c) => c.status === 'handed_off' && c.waiting?.step === 'decision',
    );
    const overturned = await client.decide(
      supervisor,
      caseId,
      'hold_extended',
      'The certificate is not yet registered.',
    );
    expect(overturned.status).toBe(202);
    await client.untilOpsCase<{ status: string; timeline: { type: string }[] }>(
      supervisor,
      caseId,
      'resolved on appeal',
      (c) => c.status === 'resolved' && c.timeline.some((e) => e.type === 'appeal.decided'),
    );

    const entry = await client.waitFor('the overturned case in the queue', async () =>
      (await queue(supervisor)).body.entries.find((e) => e.caseId === caseId),
    );
    expect(entry).toMatchObject({
      reason: 'appeal-overturned',
      outcome: 'payout_released',
      decidedBy: DECIDER,
      agent: DECIDER,
      team: TEAM,
      overturnedBy: { outcome: 'hold_extended', decidedBy: 'ops-supervisor' },
      mayReview: false,
    });
    expect([...entry.deciders].sort()).toEqual(['ops-supervisor', DECIDER]);

    expect((await review(supervisor, caseId, GOOD)).status).toBe(403);
    expect((await review(await client.agentToken(TEAM, DECIDER), caseId, GOOD)).status).toBe(403);
    const scored = await review(await client.agentToken(REVIEWER_TEAM, REVIEWER), caseId, {
      scores: { decisionCorrectness: 1, explanationClarity: 3, handoffCompleteness: 3, policyAdherence: 2 },
      comments: {
        decisionCorrectness: 'Released before the registration was confirmed.',
        policyAdherence: 'Policy asks for a registered certificate, not a pending one.',
      },
    });
    expect(scored.status).toBe(201);

    const r = await results();
    expect(line(r, 'agent', DECIDER)).toMatchObject({ reviews: 2, lowScored: 2 });
    expect(line(r, 'team', TEAM)?.criteria.decisionCorrectness).toEqual({
      mean: 2.5,
      distribution: [1, 0, 0, 1, 0],
    });
    expect(line(r, 'reason', 'appeal-overturned')).toMatchObject({ reviews: 1, overall: 2.25 });
  }, 120_000);

  it('refuses bad input with the field paths, writing nothing', async () => {
    const caseId = cases.unsampled?.caseId ?? '';
    const before = await results();
    const bad = await review(supervisor, caseId, {
      scores: { decisionCorrectness: 6, explanationClarity: 2.5, handoffCompleteness: 3 },
      comments: { overall: '' },
      extra: true,
    });
    expect(bad.status).toBe(422);
    expect(bad.body.error?.issues.map((i) => i.path).sort()).toEqual([
      '(root)',
      'comments.overall',
      'scores.decisionCorrectness',
      'scores.explanationClarity',
      'scores.policyAdherence',
    ]);
    const unexplained = await review(supervisor, caseId, {
      scores: { decisionCorrectness: 1, explanationClarity: 4, handoffCompleteness: 4, policyAdherence: 4 },
    });
    expect(unexplained.status).toBe(422);
    expect(unexplained.body.error?.issues).toEqual([
      { path: 'comments.decisionCorrectness', reason: 'a score of 2 or less needs a comment saying why' },
    ]);
    const query = await client.request<ErrorBody>(
      'GET',
      '/ops/reviews/queue?family=nope&limit=0&cursor=%21',
      {
        token: supervisor,
      },
    );
    expect(query.status).toBe(422);
    expect(query.body.error.issues.map((i) => i.path).sort()).toEqual(['cursor', 'family', 'limit']);
    const forged = await queue(supervisor, `cursor=${Buffer.from('not a position').toString('base64url')}`);
    expect(forged.status).toBe(422);
    expect((await client.request('GET', '/ops/reviews/scores?by=team', { token: supervisor })).status).toBe(
      422,
    );
    expect((await review(supervisor, 'case_doesnotexist00', GOOD)).status).toBe(404);
    expect((await results()).all).toEqual(before.all);
    const seller = await client.sellerToken('seller-review-1');
    expect((await queue(seller)).status).toBe(403);
  });
});
