import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalRuntime, startLocalRuntime } from '../../infra/local/runtime.ts';
import { SellerWorksClient } from '../../scripts/lib/sellerworks-client.ts';

/**
 * The follow-up after resolution, end to end on the local runtime with case time 20,000× faster
 * (TIME_SCALE; a payout hold's follow-up comes two case-days after its decision, some nine seconds here):
 * the durable timer fires once, the question leaves through the outbox with its rating links, the seller's
 * answer through the portal route shows on the scoreboard by agent and by template version, a second answer
 * is refused, and "not handled" reopens the case back to its team. Bad answers are refused with their
 * field and write nothing.
 */

let runtime: LocalRuntime;
let client: SellerWorksClient;
let supervisor: string;
const TEAM = 'verification';
const AGENT = 'fay';
const RESOLUTION = 'payout-hold.resolution@1';

interface OpsCase {
  status: string;
  assignee: { agentId: string } | null;
  evidence: { kinds: string[]; text?: string }[];
  timeline: { type: string; detail: string; data?: Record<string, unknown> }[];
}

interface Csat {
  responses: number;
  handledShare: number | null;
  rated: number;
  meanRating: number | null;
  ratings: number[];
}
interface Segment {
  segment: string;
  cases: number;
  csat: Csat;
  agent?: { csat: Csat };
}

const opsCase = async (caseId: string) =>
  (await client.getOpsCase(supervisor, caseId)).body as unknown as OpsCase;

const answer = (token: string, caseId: string, body: unknown) =>
  client.request<Record<string, unknown> & { error?: { issues: { path: string }[] } }>(
    'POST',
    `/cases/${caseId}/follow-up`,
    { token, body },
  );

const metrics = async () => {
  await runtime.tableStream.caughtUp();
  const { status, body } = await client.request<{ segments: Record<string, Segment[]> }>(
    'GET',
    '/ops/metrics',
    { token: supervisor },
  );
  expect(status).toBe(200);
  return body.segments;
};

/** A payout hold taken from intake to its decision by the team's agent: resolved, held by them. */
const resolvedCase = async (seller: string, payoutId: string, sellerEmail: string) => {
  const intake = JSON.parse(
    await readFile(new URL('../../events/intake/payout-hold.json', import.meta.url), 'utf8'),
  ) as Record<string, unknown>;
  const created = await client.openCase(seller, { ...intake, payoutId, region: 'US', sellerEmail });
  expect(created.status).toBe(202);
  const { caseId } = created.body;
  await client.untilOpsCase<OpsCase>(supervisor, caseId, 'asking', (c) => c.status === 'awaiting_seller');
  await client.addEvidence(
    seller,
    caseId,
    ['identity_document', 'business_registration'],
    'Passport of the account holder and the new certificate of incorporation.',
  );
  await client.untilOpsCase<OpsCase>(
    supervisor,
    caseId,
    `held by ${AGENT}`,
    (c) => c.status === 'handed_off' && c.assignee?.agentId === AGENT,
  );
  const agent = await client.agentToken(TEAM, AGENT);
  expect((await client.decide(agent, caseId, 'payout_released', 'Documents verified.')).status).toBe(202);
  await client.waitForStatus(seller, caseId, 'resolved', 30_000);
  return caseId;
};

const followUpEmail = (caseId: string) =>
  client.waitForMessage(
    caseId,
    'the follow-up',
    (m) => m.headers?.['X-SellerWorks-Template'] === 'payout-hold.follow-up@1',
    60_000,
  );

beforeAll(async () => {
  runtime = await startLocalRuntime({ timeScale: 20_000 });
  client = new SellerWorksClient(runtime.apiUrl, runtime.smtpPort);
  supervisor = await client.opsToken();
  const put = await client.putAgent(supervisor, AGENT, {
    team: TEAM,
    name: 'Fay Okafor',
    skills: {},
    capacity: 2,
    status: 'available',
  });
  expect(put.status).toBe(200);
}, 60_000);

afterAll(async () => {
  await runtime?.stop();
});

/** The signed link of a rating in the follow-up email. */
const linkIn = (text: string, rating: string) => {
  const link = new RegExp(`(http\\S+/follow-up/\\S+\\?rating=${rating})`).exec(text)?.[1];
  if (!link) throw new Error(`no rating ${rating} link in the email`);
  return link;
};

/** The page (or JSON) the API answers a link with, without a token: the link is the credential. */
const open = async (url: string, init: RequestInit = {}) => {
  const response = await fetch(url, { redirect: 'manual', ...init });
  return {
    status: response.status,
    type: response.headers.get('content-type') ?? '',
    text: await response.text(),
  };
};

const postForm = (url: string, form: Record<string, string>) =>
  open(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
  });

describe('the follow-up after resolution', () => {
  let caseId = '';
  let seller = '';
  let pageUrl = '';

  it('reaches the outbox once, after the family’s follow-up time, with a link per answer', async () => {
    seller = await client.sellerToken('seller-follow-up');
    caseId = await resolvedCase(seller, 'po_follow_up_1', 'follow-up@example.com');

    // Before it is due there is nothing to answer.
    const early = await answer(seller, caseId, { handled: true, rating: 5 });
    expect(early.status).toBe(409);

    const email = await followUpEmail(caseId);
    expect(email.to).toBe('follow-up@example.com');
    expect(email.subject).toContain(`[case ${caseId}]`);
    pageUrl = linkIn(email.text, '5').replace(/\?.*$/, '');
    expect(pageUrl).toMatch(
      new RegExp(`^${runtime.apiUrl}/follow-up/${caseId}\\.follow-up-0\\.[0-9a-f]{32}$`),
    );
    for (const rating of ['1', '2', '3', '4', '5'])
      expect(linkIn(email.text, rating)).toBe(`${pageUrl}?rating=${rating}`);
    expect(email.text).toContain(`${pageUrl}?handled=no`);
    expect(email.text).toContain(`/cases/${caseId}`);

    const view = await opsCase(caseId);
    const asked = view.timeline.filter((e) => e.type === 'follow-up.asked');
    expect(asked).toHaveLength(1);
    expect(asked[0]?.data).toMatchObject({ followUpId: 'follow-up-0', template: RESOLUTION });
    // The case stays resolved; the timer fired once, and sends nothing again.
    await new Promise((r) => setTimeout(r, 1_000));
    const emails = (await client.outbox(caseId)).filter(
      (m) => m.headers?.['X-SellerWorks-Template'] === 'payout-hold.follow-up@1',
    );
    expect(emails).toHaveLength(1);
    expect(view.status).toBe('resolved');
  }, 120_000);

  it('refuses bad answers with their field, and answers by anyone but the case’s seller, writing nothing', async () => {
    const before = await opsCase(caseId);
    const bad: [unknown, string][] = [
      [{ handled: true, rating: 0 }, 'rating'],
      [{ handled: true, rating: 6 }, 'rating'],
      [{ handled: true, rating: 3.5 }, 'rating'],
      [{ handled: true, rating: '4' }, 'rating'],
      [{ handled: true, rating: 4, comment: '   ' }, 'comment'],
      [{ handled: true, rating: 4, comment: 'x'.repeat(2001) }, 'comment'],
      [{ handled: true, rating: 4, comment: 42 }, 'comment'],
      [{ rating: 4 }, 'handled'],
      [{ handled: 'yes', rating: 4 }, 'handled'],
    ];
    for (const [body, path] of bad) {
      const refused = await answer(seller, caseId, body);
      expect(refused.status, JSON.stringify(body)).toBe(422);
      expect(refused.body.error?.issues.map((i) => i.path)).toContain(path);
    }
    const unknown = await answer(seller, caseId, { handled: true, stars: 5 });
    expect(unknown.status).toBe(422);

    // Ops cannot answer for the seller; another seller does not see the case (404, as on every seller route).
    expect((await answer(supervisor, caseId, { handled: true, rating: 1 })).status).toBe(403);
    const other = await client.sellerToken('seller-someone-else');
    expect((await answer(other, caseId, { handled: false })).status).toBe(404);

    const after = await opsCase(caseId);
    expect(after.timeline.length).toBe(before.timeline.length);
    expect(after.status).toBe('resolved');
  }, 60_000);

  it('opens a page from the email’s signed link that preselects the answer and changes nothing', async () => {
    const before = await opsCase(caseId);

    const shown = await open(`${pageUrl}?rating=4`);
    expect(shown.status).toBe(200);
    expect(shown.type).toContain('text/html');
    expect(shown.text).toContain('<form method="post">');
    expect(shown.text).toContain('name="rating" value="4" checked');
    expect((await open(`${pageUrl}?handled=no`)).text).toContain('name="handled" value="no" checked');
    // Mail scanners open links: opening them again and again records nothing.
    expect((await open(`${pageUrl}?rating=1`)).status).toBe(200);
    const after = await opsCase(caseId);
    expect(after.timeline.length).toBe(before.timeline.length);

    // A changed token or preselection is refused; so is a link moved to another follow-up.
    const forged = pageUrl.replace(/[0-9a-f](?=[0-9a-f]{31}$)/, (c) => (c === '0' ? '1' : '0'));
    expect((await open(`${forged}?rating=5`)).status).toBe(404);
    expect((await open(pageUrl.replace('follow-up-0', 'follow-up-1'))).status).toBe(404);
    expect((await open(`${pageUrl}?rating=9`)).status).toBe(422);
    expect((await postForm(forged, { handled: 'yes', rating: '5' })).status).toBe(404);
    const badForm = await postForm(pageUrl, { handled: 'maybe', rating: '5' });
    expect(badForm.status).toBe(422);
    expect(badForm.text).toContain('handled');
    expect((await opsCase(caseId)).timeline.length).toBe(before.timeline.length);
  }, 60_000);

  it('records a rating once, keeps the comment out of events, and shows it by agent and template version', async () => {
    const comment = 'Quick and clear, thank you; the payout arrived the next morning.';
    const recorded = await answer(seller, caseId, { handled: true, rating: 4, comment });
    expect(recorded.status).toBe(200);
    expect(recorded.body).toMatchObject({
      caseId,
      followUpId: 'follow-up-0',
      handled: true,
      rating: 4,
      template: RESOLUTION,
      reopened: false,
      status: 'resolved',
    });

    // One answer per follow-up: the same answer again, or another, is refused.
    expect((await answer(seller, caseId, { handled: true, rating: 4, comment })).status).toBe(409);
    expect((await answer(seller, caseId, { handled: false })).status).toBe(409);
    // The email's link says so too: the page shows what was recorded, and a post is refused.
    expect((await open(`${pageUrl}?rating=5`)).text).toContain('rated 4 of 5');
    expect((await postForm(pageUrl, { handled: 'yes', rating: '5' })).status).toBe(409);

    const view = await opsCase(caseId);
    const csat = view.timeline.filter((e) => e.type === 'csat.recorded');
    expect(csat).toHaveLength(1);
    expect(csat[0]?.data).toEqual({ handled: true, rating: 4, template: RESOLUTION });
    expect(JSON.stringify(view.timeline)).not.toContain('payout arrived the next morning');
    expect(view.evidence.find((e) => e.kinds.includes('follow_up_comment'))?.text).toBe(comment);

    const segments = await metrics();
    const fay = segments.assignee?.find((s) => s.segment === AGENT);
    expect(fay?.agent?.csat).toMatchObject({ responses: 1, handledShare: 1, rated: 1, meanRating: 4 });
    expect(fay?.csat).toMatchObject({ responses: 1, meanRating: 4, ratings: [0, 0, 0, 1, 0] });
    const template = segments.template?.find((s) => s.segment === RESOLUTION);
    expect(template?.csat).toMatchObject({ responses: 1, handledShare: 1, meanRating: 4 });
    expect(segments.family?.find((s) => s.segment === 'payout-hold')?.csat.responses).toBe(1);
  }, 60_000);

  it('reopens the case back to its team when the seller says through the link that it was not handled', async () => {
    const other = await resolvedCase(seller, 'po_follow_up_2', 'follow-up@example.com');
    const email = await followUpEmail(other);
    const notHandled = /(http\S+\?handled=no)/.exec(email.text)?.[1] ?? '';

    // The form on the page the "not handled" link opens, posted as a browser would.
    const reopened = await postForm(notHandled.replace(/\?.*$/, ''), {
      handled: 'no',
      rating: '1',
      comment: 'The payout is still on hold in my dashboard.',
    });
    expect(reopened.status).toBe(202);
    expect(reopened.text).toContain('not handled, rated 1 of 5; the case is reopened');

    const back = await client.untilOpsCase<OpsCase>(
      supervisor,
      other,
      'back with the team',
      (c) => c.status === 'handed_off',
      30_000,
    );
    const types = back.timeline.map((e) => e.type);
    expect(types.indexOf('csat.recorded')).toBeLessThan(types.indexOf('case.reopened'));
    expect(back.evidence.find((e) => e.kinds.includes('reopen_statement'))?.text).toBe(
      'The payout is still on hold in my dashboard.',
    );

    const segments = await metrics();
    const template = segments.template?.find((s) => s.segment === RESOLUTION);
    expect(template?.csat).toMatchObject({ responses: 2, handledShare: 0.5 });
  }, 120_000);
});
