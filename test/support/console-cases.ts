import { readFile } from 'node:fs/promises';
import { expect } from 'vitest';
import type { SellerWorksClient } from '../../scripts/lib/sellerworks-client.ts';

const sample = async (family: string) =>
  JSON.parse(
    await readFile(new URL(`../../events/intake/${family}.json`, import.meta.url), 'utf8'),
  ) as Record<string, unknown>;

export interface ConsoleCases {
  /** A buyer dispute taken to resolution as the demo does it (both sides by email, a team decision). */
  readonly resolved: string;
  /** A payout hold whose seller sent identity and business documents: protected evidence, with verification. */
  readonly protectedEvidence: string;
  /** A shipping exception of a top-rated EU seller, opened through the seller API and still open. */
  readonly open: string;
}

/**
 * The cases the console tests look at, made the way users make them: through the intake API, seller
 * replies over SMTP, portal evidence and a team's decision, on a fresh local runtime.
 */
export const makeConsoleCases = async (client: SellerWorksClient): Promise<ConsoleCases> => {
  const supervisor = await client.opsToken();

  const buyerDispute = await sample('buyer-dispute');
  const disputeSeller = await client.sellerToken('seller-console-1');
  const dispute = await client.openCase(disputeSeller, {
    ...buyerDispute,
    sellerEmail: 'seller-console-1@example.com',
  });
  expect(dispute.status).toBe(202);
  await client.answerUntilTeam(disputeSeller, supervisor, dispute.body.caseId, {
    seller: 'seller-console-1@example.com',
    buyer: String(buyerDispute.buyerEmail),
  });
  const decided = await client.decide(
    await client.opsToken('disputes'),
    dispute.body.caseId,
    'seller_favoured',
    'Photos show the item shipped intact',
  );
  expect(decided.status).toBe(202);
  await client.waitForStatus(disputeSeller, dispute.body.caseId, 'resolved');

  const payoutSeller = await client.sellerToken('seller-console-2');
  const payout = await client.openCase(payoutSeller, {
    ...(await sample('payout-hold')),
    sellerEmail: 'seller-console-2@example.com',
  });
  expect(payout.status).toBe(202);
  await client.waitFor('the payout hold to ask for documents', async () => {
    const { body } = await client.getOpsCase(supervisor, payout.body.caseId);
    return body.status === 'awaiting_seller' ? body : undefined;
  });
  const documents = await client.addEvidence(
    payoutSeller,
    payout.body.caseId,
    ['identity_document', 'business_registration'],
    'Passport number X1234567 of the account holder and the new certificate of incorporation.',
  );
  expect(documents.status).toBe(202);
  await client.waitFor('the payout hold to reach the verification team', async () => {
    const { body } = await client.getOpsCase(supervisor, payout.body.caseId);
    return body.status === 'handed_off' ? body : undefined;
  });

  const shippingSeller = await client.sellerToken('seller-console-3', 'top_rated');
  const shipping = await client.openCase(shippingSeller, {
    ...(await sample('shipping-exception')),
    region: 'EU',
    channel: 'api',
    sellerEmail: 'seller-console-3@example.com',
  });
  expect(shipping.status).toBe(202);
  await client.waitFor('the shipping exception to be routed', async () => {
    const { body } = await client.getOpsCase(supervisor, shipping.body.caseId);
    return body.routing ? body : undefined;
  });

  return { resolved: dispute.body.caseId, protectedEvidence: payout.body.caseId, open: shipping.body.caseId };
};
