import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { FAMILIES } from '../functions/policy/families.ts';
import { SellerWorksClient } from './lib/sellerworks-client.ts';

/**
 * `npm run demo`: drives one buyer dispute end to end against a running `npm start`, printing each step —
 * a supervisor adds two agents to every team (once), the seller portal opens the case, seller and buyer answer their evidence requests by email (real SMTP,
 * with photos), the seller declines the mediation offer, the agent the case went to decides, and the seller reads
 * the resolved case.
 */
const apiUrl =
  process.env.SELLERWORKS_API_URL ??
  process.env.SELLERWORKS_API ??
  `http://localhost:${process.env.PORT ?? 3000}`;
const smtpPort = Number(process.env.SMTP_PORT ?? 2525);
const client = new SellerWorksClient(apiUrl, smtpPort);
const step = (n: number, text: string) => console.log(`\n[${n}] ${text}`);

try {
  await client.request('GET', '/health');
} catch {
  console.error(`No SellerWorks at ${apiUrl}. Start it first with \`npm start\` (in another terminal).`);
  process.exit(1);
}

step(0, 'A supervisor describes two agents per team: PUT /ops/agents/{agentId} (skip those that exist)');
const supervisor = await client.opsToken();
const existing = await client.request<{ agents: { agentId: string }[] }>('GET', '/ops/agents', {
  token: supervisor,
});
const known = new Set(existing.body.agents.map((a) => a.agentId));
const teams = [...new Set(Object.values(FAMILIES).flatMap((f) => f.routing.rules.map((r) => r.team)))].sort();
const NAMES = ['Ana', 'Ben', 'Chiara', 'Dev', 'Emeka', 'Fatima', 'Gus', 'Hana', 'Ivo', 'Jun', 'Kemi', 'Lars'];
let seeded = 0;
for (const [i, team] of teams.entries()) {
  for (const n of [1, 2]) {
    const agentId = `${team}-${n}`;
    if (known.has(agentId)) continue;
    const name = `${NAMES[(i * 2 + n - 1) % NAMES.length]} (${team})`;
    const put = await client.putAgent(supervisor, agentId, {
      team,
      name,
      skills: {},
      capacity: 5,
      status: 'available',
    });
    if (put.status !== 200) throw new Error(`agent ${agentId} refused: ${JSON.stringify(put.body)}`);
    seeded += 1;
  }
}
console.log(`    ${seeded} agents added over ${teams.length} teams (${known.size} were there)`);

const intake = JSON.parse(
  await readFile(fileURLToPath(new URL('../events/intake/buyer-dispute.json', import.meta.url)), 'utf8'),
);
const sellerId = 'seller-42';

step(1, `Seller portal: POST /cases as ${sellerId} (events/intake/buyer-dispute.json)`);
const seller = await client.sellerToken(sellerId);
const opened = await client.openCase(seller, intake);
if (opened.status !== 202) throw new Error(`intake refused: ${JSON.stringify(opened.body)}`);
const { caseId } = opened.body;
console.log(`    202 Accepted → case ${caseId}`);

step(2, 'Workflow: triage, routing, and the first response naming the evidence needed');
const request = await client.waitFor('the evidence request email', async () =>
  (await client.outbox(caseId)).find((m) => m.channel === 'email' && m.replyTo),
);
for (const m of await client.outbox(caseId)) console.log(`    email → ${m.to}: ${m.subject}`);
console.log(`    reply address: ${request.replyTo}`);
const ops = await client.opsToken();
const routed = await client.getOpsCase(ops, caseId);
console.log(`    routing: ${JSON.stringify(routed.body.routing)}`);

step(
  3,
  `Seller replies by email through SMTP (events/email/seller-reply.eml, with a photo) to port ${smtpPort}`,
);
await client.sendReply(request.replyTo ?? '', { from: intake.sellerEmail });
const buyerRequest = await client.waitFor('the buyer to be asked', async () =>
  (await client.outbox(caseId)).find((m) => m.to === intake.buyerEmail && m.replyTo),
);
console.log(`    evidence recorded; the buyer is asked for their side: ${buyerRequest.subject}`);

step(4, 'Buyer replies by email through SMTP (events/email/buyer-reply.eml, with a photo)');
await client.sendReply(buyerRequest.replyTo ?? '', { fixture: 'events/email/buyer-reply.eml' });
const offer = await client.waitFor('the mediation offer', async () =>
  (await client.outbox(caseId)).find((m) => m.subject.startsWith('A way to settle')),
);
console.log(`    mediation offered to the seller: ${offer.text.split('\n\n')[1]}`);

step(5, 'Seller declines the settlement: POST /cases/{id}/mediation {"accept": false}');
await client.respondToMediation(seller, caseId, false);
const reviewed = await client.waitFor('the case to be handed off', async () => {
  const { body } = await client.getOpsCase(ops, caseId);
  return body.status === 'handed_off' ? body : undefined;
});
const team = (reviewed.routing as { team: string }).team;
const assignee = reviewed.assignee as { agentId: string; name: string; rule: string } | null;
console.log(
  `    case handed to ${team}, ${assignee ? `assigned to ${assignee.name} (${assignee.rule})` : 'queued'}`,
);
console.log(
  `    allowed outcomes: ${(reviewed.allowedOutcomes as { id: string }[]).map((o) => o.id).join(', ')}`,
);

step(6, `${assignee?.name ?? 'The disputes team'} decides: POST /ops/cases/{id}/decision`);
const decided = await client.decide(
  assignee ? await client.agentToken(team, assignee.agentId) : ops,
  caseId,
  'seller_favoured',
  'Packing photo shows the lid intact; transit damage is covered by the carrier claim.',
);
console.log(`    ${decided.status} ${JSON.stringify(decided.body)}`);
const resolved = await client.waitForStatus(seller, caseId, 'resolved');

step(7, `Seller reads the case: GET /cases/${caseId}`);
console.log(`    status: ${resolved.status}; next: ${JSON.stringify(resolved.next)}`);
for (const event of resolved.timeline as { at: string; type: string; actor: string; detail: string }[]) {
  console.log(`    ${event.at}  ${event.type.padEnd(20)} ${event.actor.padEnd(7)} ${event.detail}`);
}
const last = await client.waitForMessage(caseId, 'the resolution email', (m) =>
  m.subject.includes('Decision on'),
);
console.log(`\n    resolution email: ${last.subject}`);
console.log(
  `\nDone. See it in the ops console (graph, history, evidence, messages; Metrics shows this case):\n    ${apiUrl}/console#/cases/${caseId}\nor through the API:\n    curl -H "authorization: Bearer $(curl -s '${apiUrl}/dev/token?role=ops' | jq -r .token)" ${apiUrl}/ops/cases/${caseId}`,
);
