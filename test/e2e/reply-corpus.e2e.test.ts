import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import PostalMime from 'postal-mime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalRuntime, startLocalRuntime } from '../../infra/local/runtime.ts';
import { SellerWorksClient } from '../../scripts/lib/sellerworks-client.ts';
import { REPLY_CORPUS, type ReplyFixture, replyCorpus } from '../support/reply-corpus.ts';

/**
 * One reply of each class of the reply corpus (`events/email/replies/`) through the real SMTP listener, as
 * an answer to a case's evidence request: a person's reply records exactly the words the corpus expects
 * (or its whole text, marked unparsed); machine mail is recorded as ignored, of its kind, and answers
 * nothing. test/unit/reply-corpus.test.ts holds every fixture to its words; this holds the path.
 */
const folder = REPLY_CORPUS;
const index = await replyCorpus();
const onePerClass = [...new Map(index.map((f) => [f.class, f] as const)).values()];
const PLACEHOLDER = 'reply+00000000000000000000-00000000000000000000000000000000@replies.sellerworks.local';
const intake = JSON.parse(
  await readFile(new URL('../../events/intake/payout-hold.json', import.meta.url), 'utf8'),
) as Record<string, unknown>;

let runtime: LocalRuntime;
let client: SellerWorksClient;
let ops: string;

beforeAll(async () => {
  runtime = await startLocalRuntime({});
  client = new SellerWorksClient(runtime.apiUrl, runtime.smtpPort);
  ops = await client.opsToken();
}, 60_000);
afterAll(async () => {
  await runtime?.stop();
});

type OpsCase = Record<string, unknown> & {
  status: string;
  evidence: { source: string; text?: string; unparsed?: boolean }[];
  timeline: { type: string; detail: string }[];
};

describe('one reply of each class of the corpus, through the SMTP listener', () => {
  it.each(onePerClass.map((f) => [f.class, f] as const))(
    '%s',
    async (_, fixture: ReplyFixture) => {
      const raw = await readFile(new URL(fixture.file, folder), 'latin1');
      const email = await PostalMime.parse(Buffer.from(raw, 'latin1'));
      const from = email.from?.address ?? '';
      const returnPath = email.headers.find((h) => h.key === 'return-path')?.value;
      // A case of the sender's own, waiting for their documents.
      const sellerEmail = fixture.expected.automated
        ? `corpus-${randomUUID().slice(0, 8)}@example.com`
        : from;
      const seller = await client.sellerToken(`replies-${fixture.class}`);
      const opened = await client.openCase(seller, { ...intake, sellerEmail });
      expect(opened.status).toBe(202);
      const { caseId } = opened.body as { caseId: string };
      const request = await client.waitFor(`${caseId}: evidence request`, async () =>
        (await client.outbox(caseId)).find((m) => m.replyTo?.startsWith('reply+')),
      );
      await client.untilOpsCase(ops, caseId, 'awaiting the seller', (c) => c.status === 'awaiting_seller');
      // Emails to the seller only: domain events of the request may still be leaving the outbox.
      const emailsTo = async () => (await client.outbox(caseId)).filter((m) => m.channel === 'email');
      const sentBefore = (await emailsTo()).length;
      const message = raw
        .replaceAll(PLACEHOLDER, request.replyTo ?? '')
        .replace(
          /^Message-ID:[ \t]*(\r\n[ \t]+)?<[^>\r\n]*>/im,
          `Message-ID: <${randomUUID()}@corpus.example>`,
        );
      await client.sendRaw(Buffer.from(message, 'latin1'), {
        from: returnPath !== undefined ? (/<([^<>]*)>/.exec(returnPath)?.[1] ?? returnPath) : from,
        to: request.replyTo ?? '',
      });

      if (fixture.expected.automated) {
        // The SMTP transaction ends once the handler is done: what it recorded is there now.
        const after = (await client.getOpsCase(ops, caseId)).body as OpsCase;
        const ignored = after.timeline.filter((e) => e.type === 'email.ignored');
        expect(ignored).toHaveLength(1);
        expect(ignored[0]?.detail).toContain(`${fixture.expected.automated}: `);
        expect(after.status).toBe('awaiting_seller');
        expect(after.evidence.filter((e) => e.source === 'email')).toHaveLength(0);
        expect(await emailsTo()).toHaveLength(sentBefore);
        return;
      }
      const answered = await client.untilOpsCase<OpsCase>(
        ops,
        caseId,
        'handed off',
        (c) => c.status === 'handed_off',
      );
      const [evidence] = answered.evidence.filter((e) => e.source === 'email');
      if (fixture.expected.unparsed) {
        expect(evidence).toMatchObject({ unparsed: true, text: expect.any(String) });
        expect(evidence?.text).not.toBe('');
      } else {
        expect(evidence?.text).toBe(fixture.expected.words);
        expect(evidence).not.toHaveProperty('unparsed');
      }
    },
    60_000,
  );
});
