import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { createTransport } from 'nodemailer';
import PostalMime from 'postal-mime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ESCALATION_REASONS } from '../../functions/domain/escalation.ts';
import { type LocalRuntime, startLocalRuntime } from '../../infra/local/runtime.ts';
import { type OutboxMessage, SellerWorksClient } from '../../scripts/lib/sellerworks-client.ts';

/**
 * Real-world inbound mail, end to end through the SMTP listener: the corpus in `events/email/corpus/` is
 * what Gmail, Outlook, Apple Mail, an HTML-only webmail, auto-responders and mail servers actually send.
 * Every case starts as a payout hold waiting for the seller's documents (one party, no buyer step, no
 * mediation), so a reply that resumes the wait takes the case straight to `handed_off`.
 */

const intake = JSON.parse(
  await readFile(new URL('../../events/intake/payout-hold.json', import.meta.url), 'utf8'),
) as Record<string, unknown>;

/** The corpus's stand-ins, replaced per test: the reply address, the case id, the seller's mailbox. */
const PLACEHOLDER_REPLY_TO =
  'reply+00000000000000000000-00000000000000000000000000000000@replies.sellerworks.local';
const PLACEHOLDER_CASE = 'case_PLACEHOLDER';
const PLACEHOLDER_THREAD = '<evidence-request-placeholder@sellerworks.local>';
const FORGED_REPLY_TO =
  'reply+0123456789abcdef0123-ffffffffffffffffffffffffffffffff@replies.sellerworks.local';
const SUPPORT = 'support@sellerworks.local';
/** How long "nothing happened" is watched for: the SMTP transaction only ends once the handler is done. */
const QUIET_MS = 1_500;

interface EvidenceView {
  readonly evidenceId: string;
  readonly kinds: string[];
  readonly provider: string;
  readonly source: string;
  readonly text?: string;
  readonly attachments: { filename: string; contentType: string; size: number; sha256: string }[];
  readonly refusedAttachments?: unknown[];
}

type OpsCase = Record<string, unknown> & {
  status: string;
  waiting?: { step: string; from: string; tokenId?: string };
  evidence: EvidenceView[];
  messages: { messageId: string; headerMessageId?: string; template: string }[];
  timeline: { type: string; actor: string; detail: string; data?: Record<string, unknown> }[];
};

interface WaitingCase {
  readonly sellerId: string;
  readonly email: string;
  readonly caseId: string;
  readonly replyTo: string;
  readonly before: OpsCase;
  readonly sentBefore: number;
}

let runtime: LocalRuntime | undefined;
let client: SellerWorksClient;
let ops: string;
/** The first runtime's ports: handlers build their AWS clients once per process, so a second runtime reuses them. */
let ports: { port: number; smtpPort: number; awsPort: number; dynamoDbPort: number } | undefined;

const corpusFile = (name: string) => new URL(`../../events/email/corpus/${name}`, import.meta.url);
const portOf = (url: string) => Number(new URL(url).port);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

const start = async (timeScale?: number) => {
  runtime = await startLocalRuntime({ ...ports, ...(timeScale ? { timeScale } : {}) });
  ports ??= {
    port: portOf(runtime.apiUrl),
    smtpPort: runtime.smtpPort,
    awsPort: portOf(runtime.awsEndpoint),
    dynamoDbPort: portOf(runtime.dynamoDbEndpoint),
  };
  client = new SellerWorksClient(runtime.apiUrl, runtime.smtpPort);
  ops = await client.opsToken();
};

const stop = async () => {
  await runtime?.stop();
  runtime = undefined;
};

const look = async (caseId: string) => (await client.getOpsCase(ops, caseId)).body as OpsCase;

const until = (caseId: string, what: string, check: (c: OpsCase) => boolean, timeoutMs = 15_000) =>
  client.untilOpsCase(ops, caseId, what, check, timeoutMs);

const count = (c: OpsCase, type: string) => c.timeline.filter((e) => e.type === type).length;
const fromEmail = (c: OpsCase) => c.evidence.filter((e) => e.source === 'email');

/** Emails to the seller only: a change's domain events may still be leaving the outbox. */
const emailsOf = async (caseId: string) => (await client.outbox(caseId)).filter((m) => m.channel === 'email');

/** Opens a payout hold for a seller of its own and waits until it waits for that seller's documents. */
const openWaitingCase = async (name: string): Promise<WaitingCase> => {
  const sellerId = `corpus-${name}`;
  const email = `${sellerId}@example.com`;
  const token = await client.sellerToken(sellerId);
  const opened = await client.openCase(token, { ...intake, sellerEmail: email });
  expect(opened.status).toBe(202);
  const { caseId } = opened.body;
  const request = await client.waitFor(`${caseId}: evidence request`, async () =>
    (await client.outbox(caseId)).find((m) => m.replyTo?.startsWith('reply+')),
  );
  const before = await until(caseId, 'awaiting the seller', (c) => c.status === 'awaiting_seller');
  expect(before.waiting).toMatchObject({ step: 'evidence', from: 'seller' });
  const sentBefore = (await emailsOf(caseId)).length;
  return { sellerId, email, caseId, replyTo: request.replyTo ?? '', before, sentBefore };
};

/**
 * A corpus message made ready for one case: placeholders replaced (the seller's mailbox keeps the fixture's
 * domain, so the lookalike stays a lookalike) and the header Message-ID replaced by a fresh one unless given.
 */
const prepare = async (
  fixture: string,
  target: { sellerId: string; caseId?: string; replyTo?: string; messageId?: string; inReplyTo?: string },
) => {
  const messageId = target.messageId ?? `<${randomUUID()}@corpus.example.com>`;
  const text = await readFile(corpusFile(fixture), 'utf8');
  const split = text.indexOf('\r\n\r\n');
  const head = text
    .slice(0, split)
    .replace(/^(Message-ID:[ \t]*(?:\r\n[ \t]+)?)<[^>\r\n]*>/im, (_, name: string) => `${name}${messageId}`);
  if (split < 0 || !head.includes(messageId))
    throw new Error(`${fixture}: no CRLF header block with a Message-ID`);
  let raw = `${head}${text.slice(split)}`.replaceAll('seller-42@', `${target.sellerId}@`);
  if (target.replyTo) raw = raw.replaceAll(PLACEHOLDER_REPLY_TO, target.replyTo);
  if (target.caseId) raw = raw.replaceAll(PLACEHOLDER_CASE, target.caseId);
  if (target.inReplyTo) raw = raw.replaceAll(PLACEHOLDER_THREAD, target.inReplyTo);
  return { raw, messageId };
};

/** Sends raw text through the runtime's SMTP listener with an explicit envelope (`from: ''` is `MAIL FROM:<>`). */
const deliver = async (raw: string, envelope: { from: string; to: string }) => {
  const transport = createTransport({
    host: '127.0.0.1',
    port: runtime?.smtpPort ?? 0,
    secure: false,
    ignoreTLS: true,
  });
  try {
    return await transport.sendMail({ envelope, raw });
  } finally {
    transport.close();
  }
};

/** The seller answers the case's evidence request with a corpus message. */
const replyWith = async (fixture: string, c: WaitingCase, options: { messageId?: string } = {}) => {
  const prepared = await prepare(fixture, { ...c, ...options });
  await deliver(prepared.raw, { from: c.email, to: c.replyTo });
  return prepared;
};

/** What the sender attached, as the receiving side must record it. */
const attachmentsOf = async (raw: string) =>
  (await PostalMime.parse(raw)).attachments.map((a) => {
    const bytes = typeof a.content === 'string' ? Buffer.from(a.content, 'utf8') : new Uint8Array(a.content);
    return {
      filename: a.filename ?? '',
      contentType: a.mimeType,
      size: bytes.byteLength,
      sha256: sha256(bytes),
    };
  });

/** The wait was answered exactly once: one reply on the timeline, one handoff, one email evidence record. */
const expectResumedOnce = async (caseId: string) => {
  const handedOff = await until(caseId, 'handed off', (c) => c.status === 'handed_off');
  expect(count(handedOff, 'email.received')).toBe(1);
  expect(count(handedOff, 'evidence.received')).toBe(1);
  expect(count(handedOff, 'case.handed_off')).toBe(1);
  const evidence = fromEmail(handedOff);
  expect(evidence).toHaveLength(1);
  expect(evidence[0]).toMatchObject({ provider: 'seller', text: expect.any(String) });
  return { handedOff, evidence: evidence[0] as EvidenceView & { text: string } };
};

/** None of the request the seller was answering survives in what the case shows as their words. */
const expectNoQuotedHistory = (text: string) => {
  expect(text).not.toMatch(/wrote:/i);
  expect(text).not.toMatch(/^\s*>/m);
  expect(text).not.toMatch(/Original Message/i);
  expect(text).not.toMatch(/^\s*Sent: /m);
  expect(text).not.toMatch(/^\s*_{10,}\s*$/m);
  expect(text).not.toContain('We have opened case');
  expect(text).not.toContain('SellerWorks Support');
};

/** Machine-made or refused mail: the wait, the evidence and the outbox are exactly as they were. */
const expectUnchanged = async (c: WaitingCase) => {
  await sleep(QUIET_MS);
  const after = await look(c.caseId);
  expect(after.status).toBe('awaiting_seller');
  expect(after.waiting).toMatchObject({
    step: 'evidence',
    from: 'seller',
    tokenId: c.before.waiting?.tokenId,
  });
  expect(count(after, 'email.received')).toBe(0);
  expect(count(after, 'evidence.received')).toBe(0);
  expect(fromEmail(after)).toHaveLength(0);
  expect(await emailsOf(c.caseId)).toHaveLength(c.sentBefore);
  return after;
};

/** The attachment was not stored, and the evidence record says so by name. */
const expectRefused = (evidence: EvidenceView, filename: string) => {
  expect(evidence.attachments.map((a) => a.filename)).not.toContain(filename);
  expect(
    Array.isArray(evidence.refusedAttachments),
    'the evidence record in GET /ops/cases/{id} carries refusedAttachments[]',
  ).toBe(true);
  expect((evidence.refusedAttachments ?? []).map((r) => JSON.stringify(r)).join('\n')).toContain(filename);
};

const CORPUS = [
  'apple-mail-reply.eml',
  'bounce.eml',
  'disallowed-attachment.eml',
  'forged-token.eml',
  'forwarded.eml',
  'gmail-reply.eml',
  'html-only.eml',
  'in-reply-to-only.eml',
  'out-of-office.eml',
  'outlook-de-reply.eml',
  'outlook-reply.eml',
  'quote-only-reply.eml',
  'spoofed-sender.eml',
  'subject-tag-only.eml',
  'thunderbird-bottom-posted.eml',
  'windows-1252.eml',
];

describe('the corpus', () => {
  it('holds every message the tests below send', async () => {
    expect((await readdir(corpusFile('.'))).filter((f) => f.endsWith('.eml')).sort()).toEqual(CORPUS);
  });

  it.each(CORPUS)(
    '%s is as a mail client sends it: CRLF line endings, 7-bit, the usual headers',
    async (name) => {
      const raw = await readFile(corpusFile(name), 'utf8');
      const head = raw.slice(0, raw.indexOf('\r\n\r\n'));

      expect(raw.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
      expect(raw).not.toMatch(/[^\t\r\n\x20-\x7e]/);
      for (const header of ['From', 'To', 'Subject', 'Date', 'Message-ID', 'MIME-Version']) {
        expect(head).toMatch(new RegExp(`^${header}:`, 'im'));
      }
    },
  );
});

describe('real-world replies to an evidence request', () => {
  beforeAll(() => start(), 60_000);
  afterAll(stop);

  it('takes a Gmail reply: the seller’s words without the quoted request, and the PNG with its checksum', async () => {
    const c = await openWaitingCase('gmail');

    const { raw } = await replyWith('gmail-reply.eml', c);

    const { evidence } = await expectResumedOnce(c.caseId);
    expect(evidence.text).toContain('Attached is our new certificate of incorporation');
    expect(evidence.text).toContain('Thanks,');
    expectNoQuotedHistory(evidence.text);
    const [png] = await attachmentsOf(raw);
    expect(evidence.attachments).toEqual([
      expect.objectContaining({
        filename: 'certificate-of-incorporation.png',
        contentType: 'image/png',
        size: png?.size,
        sha256: png?.sha256,
      }),
    ]);
  });

  it('takes an Outlook reply: its From/Sent/To/Subject header block and the original are not the seller’s words', async () => {
    const c = await openWaitingCase('outlook');

    const { raw } = await replyWith('outlook-reply.eml', c);

    const { evidence } = await expectResumedOnce(c.caseId);
    expect(evidence.text).toContain('Please find our business registration certificate attached.');
    expect(evidence.text).toContain('Whitfield Home Goods Ltd');
    expectNoQuotedHistory(evidence.text);
    expect(evidence.text).not.toMatch(/^\s*From: /m);
    const [pdf] = await attachmentsOf(raw);
    expect(evidence.attachments).toEqual([
      expect.objectContaining({
        filename: expect.stringMatching(/registration.certificate.2026\.pdf$/i),
        contentType: 'application/pdf',
        size: pdf?.size,
        sha256: pdf?.sha256,
      }),
    ]);
  });

  it('takes an Apple Mail format=flowed reply: soft line breaks joined, the quote below the attribution dropped', async () => {
    const c = await openWaitingCase('apple');

    await replyWith('apple-mail-reply.eml', c);

    const { evidence } = await expectResumedOnce(c.caseId);
    // The fixture breaks this sentence with a flowed soft break after "when I".
    expect(evidence.text).toContain('the passport scan will follow when I am back at my desk.');
    expectNoQuotedHistory(evidence.text);
    expect(evidence.attachments).toEqual([]);
  });

  it('takes a Thunderbird reply written below the quote: the answer under the quoted request is the seller’s words', async () => {
    const c = await openWaitingCase('bottom-posted');

    await replyWith('thunderbird-bottom-posted.eml', c);

    const { evidence } = await expectResumedOnce(c.caseId);
    expect(evidence.text).toBe(
      'The registry moved our office in October; the certificate with the new\naddress was only issued on the 14th. I will send the scan tomorrow\nmorning from the office.\n\nDana',
    );
    expect(evidence).not.toHaveProperty('unparsed');
  });

  it('takes a German Outlook reply: "-----Ursprüngliche Nachricht-----" and its Von/Gesendet block are history', async () => {
    const c = await openWaitingCase('outlook-de');

    await replyWith('outlook-de-reply.eml', c);

    const { evidence } = await expectResumedOnce(c.caseId);
    expect(evidence.text).toBe(
      'Guten Tag,\n\ndie Handelsregistereintragung ist beantragt; der Auszug kommt nächste Woche. Bis dahin kann ich nur die Gewerbeanmeldung schicken.\n\nMit freundlichen Grüßen\nDana Whitfield',
    );
    expectNoQuotedHistory(evidence.text);
  });

  it('keeps the whole text of a reply with no words of its own and nothing attached, marked unparsed', async () => {
    const c = await openWaitingCase('quote-only');

    await replyWith('quote-only-reply.eml', c);

    const { evidence } = await expectResumedOnce(c.caseId);
    expect(evidence).toMatchObject({ unparsed: true, attachments: [] });
    expect(evidence.text).toMatch(
      /^On Sun, 22 Nov 2026 at 13:08, SellerWorks Support <support@sellerworks\.local> wrote:\n> Hello,/,
    );
    expect(evidence.text).toContain('proof of your business\n> registration.');
  });

  it('takes an HTML-only reply as plain text: no tags, entities decoded, the blockquote dropped', async () => {
    const c = await openWaitingCase('html');

    await replyWith('html-only.eml', c);

    const { evidence } = await expectResumedOnce(c.caseId);
    expect(evidence.text).toContain(
      'Our registration moved to the new address on 1 October & the certificate shows it.',
    );
    expect(evidence.text).toContain('The old address is still on the payout account');
    expect(evidence.text).toContain('I will attach the certificate from my laptop tonight.');
    expect(evidence.text).not.toMatch(/<\/?[a-z][^>]*>/i);
    expect(evidence.text).not.toMatch(/&(amp|nbsp|lt|gt);/);
    expectNoQuotedHistory(evidence.text);
  });

  it('keeps a forwarded carrier message as the seller’s evidence: a forward is not quoted history', async () => {
    const c = await openWaitingCase('forward');

    await replyWith('forwarded.eml', c);

    const { evidence } = await expectResumedOnce(c.caseId);
    expect(evidence.text).toContain('Forwarding the carrier');
    expect(evidence.text).toContain('Your parcel NW48213377GB was delivered on 19 Nov 2026 at 16:42.');
    expect(evidence.text).toContain('signed for by K. OSEI');
  });

  it('records an out-of-office reply as ignored, changes nothing and answers nothing', async () => {
    const c = await openWaitingCase('ooo');

    await replyWith('out-of-office.eml', c);

    const after = await expectUnchanged(c);
    const ignored = after.timeline.filter((e) => e.type === 'email.ignored');
    expect(ignored).toHaveLength(1);
    expect(ignored[0]?.detail).toMatch(/auto/i);
  });

  it('records a bounce sent with an empty envelope sender as ignored, changes nothing and answers nothing', async () => {
    const c = await openWaitingCase('bounce');
    const { raw } = await prepare('bounce.eml', c);

    const sent = await deliver(raw, { from: '', to: c.replyTo });

    expect(sent.accepted).toContain(c.replyTo);
    const after = await expectUnchanged(c);
    const ignored = after.timeline.filter((e) => e.type === 'email.ignored');
    expect(ignored).toHaveLength(1);
    expect(ignored[0]?.detail).toMatch(/bounce|deliver|report|mailer|return path|auto/i);
  });

  it('rejects a reply from a lookalike domain of the seller’s address, on the case’s timeline', async () => {
    const c = await openWaitingCase('spoof');
    const { raw } = await prepare('spoofed-sender.eml', c);

    await deliver(raw, { from: `${c.sellerId}@examp1e.com`, to: c.replyTo });

    const after = await expectUnchanged(c);
    expect(count(after, 'email.rejected')).toBe(1);
  });

  it('accepts the SMTP delivery of a well-formed but never-issued reply token and changes no case', async () => {
    const c = await openWaitingCase('forged');
    const { raw } = await prepare('forged-token.eml', { sellerId: c.sellerId });
    expect(raw).toContain(FORGED_REPLY_TO);

    const sent = await deliver(raw, { from: c.email, to: FORGED_REPLY_TO });

    expect(sent.accepted).toContain(FORGED_REPLY_TO);
    await expectUnchanged(c);
  });

  it('takes the words of a reply with an executable attachment but stores no .exe, naming it as refused', async () => {
    const c = await openWaitingCase('exe');

    await replyWith('disallowed-attachment.eml', c);

    const { evidence } = await expectResumedOnce(c.caseId);
    expect(evidence.text).toContain('Our accountant sent the registration papers');
    expect(evidence.attachments).toEqual([]);
    expectRefused(evidence, 'invoice.exe');
  });

  it('decodes a windows-1252 quoted-printable body and an ISO-8859-1 encoded subject', async () => {
    const c = await openWaitingCase('cp1252');

    await replyWith('windows-1252.eml', c);

    const { handedOff, evidence } = await expectResumedOnce(c.caseId);
    expect(evidence.text).toContain('Müller Café GmbH in Köln');
    expect(evidence.text).toContain('the café itself');
    expect(evidence.text).toContain('€3,480.50');
    expect(evidence.text).toContain('Grüße');
    expect(evidence.text).not.toMatch(/=[0-9A-F]{2}/);
    expect(JSON.stringify(handedOff)).not.toContain('=?iso-8859-1?');
  });

  it('acts once on the same message delivered twice (same Message-ID)', async () => {
    const c = await openWaitingCase('twice');
    const messageId = `<${randomUUID()}@mail.gmail.com>`;

    await replyWith('gmail-reply.eml', c, { messageId });
    await replyWith('gmail-reply.eml', c, { messageId });

    await expectResumedOnce(c.caseId);
    await sleep(QUIET_MS);
    const settled = await look(c.caseId);
    expect(count(settled, 'email.received')).toBe(1);
    expect(count(settled, 'evidence.received')).toBe(1);
    expect(fromEmail(settled)).toHaveLength(1);
  });

  it('takes the words of a reply whose 11 MiB attachment is too large, naming the attachment as refused', async () => {
    const c = await openWaitingCase('oversized');
    const filename = 'registration-file-full-scan.pdf';
    const pdf = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(11 * 1024 * 1024 - 9)]);
    const boundary = '000000000000f2b4c806a1c4a9d3';
    const raw = [
      `From: Dana Whitfield <${c.email}>`,
      `To: SellerWorks Support <${c.replyTo}>`,
      `Subject: Re: Action needed: evidence for the hold on payout po_2026_11_000418 [case ${c.caseId}]`,
      'Date: Sun, 22 Nov 2026 16:40:18 +0000',
      `Message-ID: <${randomUUID()}@mail.gmail.com>`,
      'MIME-Version: 1.0',
      `Content-Type: multipart/mixed; boundary="${boundary}"`,
      '',
      `--${boundary}`,
      'Content-Type: text/plain; charset="UTF-8"',
      '',
      'Hello,',
      '',
      'The full scan of our registration file is attached, every page of it.',
      '',
      'Dana',
      '',
      `--${boundary}`,
      `Content-Type: application/pdf; name="${filename}"`,
      `Content-Disposition: attachment; filename="${filename}"`,
      'Content-Transfer-Encoding: base64',
      '',
      pdf.toString('base64').replace(/.{76}/g, '$&\r\n'),
      `--${boundary}--`,
      '',
    ].join('\r\n');

    await deliver(raw, { from: c.email, to: c.replyTo });

    const { evidence } = await expectResumedOnce(c.caseId);
    expect(evidence.text).toContain('The full scan of our registration file is attached');
    expectRefused(evidence, filename);
  }, 60_000);

  it('files a message to the support address that carries only the case tag in its subject, resuming nothing', async () => {
    const c = await openWaitingCase('tagged');
    const { raw } = await prepare('subject-tag-only.eml', { sellerId: c.sellerId, caseId: c.caseId });
    expect(raw).not.toContain('reply+');
    expect(raw).not.toMatch(/^(In-Reply-To|References):/im);

    await deliver(raw, { from: c.email, to: SUPPORT });

    const filed = await until(c.caseId, 'filed for triage', (v) => count(v, 'email.filed') > 0, 5_000);
    expect(count(filed, 'email.filed')).toBe(1);
    await expectUnchanged(c);
  });

  it('resumes the wait once for a message to the support address threaded only by In-Reply-To/References', async () => {
    const c = await openWaitingCase('threaded');
    const inReplyTo = await requestHeaderMessageId(c.caseId);
    const { raw } = await prepare('in-reply-to-only.eml', { sellerId: c.sellerId, inReplyTo });
    expect(raw).not.toContain('reply+');
    expect(raw).not.toContain('[case ');
    expect(raw).toContain(`In-Reply-To: ${inReplyTo}`);

    await deliver(raw, { from: c.email, to: SUPPORT });

    const { evidence } = await expectResumedOnce(c.caseId);
    expect(evidence.text).toContain('writing to the support address instead');
  });

  it('appends a second reply after the first resumed the wait, without resuming the workflow again', async () => {
    const c = await openWaitingCase('second');
    await replyWith('gmail-reply.eml', c);
    await expectResumedOnce(c.caseId);

    await replyWith('apple-mail-reply.eml', c);

    const after = await until(c.caseId, 'the second reply', (v) => count(v, 'email.received') === 2);
    await sleep(QUIET_MS);
    const settled = await look(c.caseId);
    expect(count(settled, 'email.received')).toBe(2);
    expect(count(settled, 'evidence.received')).toBe(2);
    expect(fromEmail(settled).map((e) => e.text)).toEqual([
      expect.stringContaining('certificate of incorporation'),
      expect.stringContaining('the passport scan will follow'),
    ]);
    expect(count(settled, 'case.handed_off')).toBe(1);
    expect(count(settled, 'evidence.requested')).toBe(1);
    expect(after.status).toBe('handed_off');
    expect(settled.status).toBe('handed_off');
  });
});

/** The evidence request's own Message-ID header, as a reply's In-Reply-To quotes it. */
const requestHeaderMessageId = async (caseId: string): Promise<string> => {
  const request = (await client.outbox(caseId)).find((m) => m.replyTo) as
    | (OutboxMessage & { headers?: Record<string, string> })
    | undefined;
  const fromOutbox = Object.entries(request?.headers ?? {}).find(([k]) => k.toLowerCase() === 'message-id');
  // The case message gets its Message-ID once SES has taken the email (the outbox marks it just after).
  const fromCase = fromOutbox
    ? undefined
    : (
        await until(caseId, 'the request marked sent', (c) => c.messages.some((m) => m.headerMessageId))
      ).messages.find((m) => m.headerMessageId)?.headerMessageId;
  const id = (fromOutbox?.[1] ?? fromCase ?? '').trim();
  if (!id) {
    throw new Error(
      `${caseId}: the evidence request shows no Message-ID header (outbox headers['message-id'] or messages[].headerMessageId)`,
    );
  }
  return id.startsWith('<') ? id : `<${id}>`;
};

const isEscalation = (m: OutboxMessage) => {
  try {
    return (ESCALATION_REASONS as readonly string[]).includes(String(JSON.parse(m.text).reason));
  } catch {
    return false;
  }
};

describe('a reply after the evidence wait timed out', () => {
  // Its own runtime: waits pass 200,000× faster, so payout-hold's ten-day evidence cap passes in seconds.
  beforeAll(() => start(200_000), 60_000);
  afterAll(stop);

  it('keeps the late reply, alerts the owner on SNS, and does not put the case back to waiting', async () => {
    const c = await openWaitingCase('late');
    const escalated = await until(
      c.caseId,
      'the evidence cap to escalate',
      (v) => count(v, 'case.escalated') > 0,
      30_000,
    );
    expect(escalated.waiting?.step).not.toBe('evidence');
    const repliedAt = new Date().toISOString();

    await replyWith('gmail-reply.eml', c);

    const kept = await until(c.caseId, 'the late reply', (v) => count(v, 'email.received_late') > 0);
    const alert = await client.waitFor(`${c.caseId}: owner alert`, async () =>
      (await client.outbox(c.caseId)).find(
        (m) => m.channel === 'sns' && m.sentAt >= repliedAt && !isEscalation(m),
      ),
    );
    expect(alert.text).toContain(c.caseId);
    expect(count(kept, 'email.received_late')).toBe(1);
    expect(count(kept, 'email.received')).toBe(0);
    expect(fromEmail(kept)).toEqual([
      expect.objectContaining({
        provider: 'seller',
        text: expect.stringContaining('Attached is our new certificate of incorporation'),
      }),
    ]);
    await sleep(QUIET_MS);
    const settled = await look(c.caseId);
    expect(settled.status).not.toBe('awaiting_seller');
    expect(settled.waiting?.step).not.toBe('evidence');
    expect(count(settled, 'evidence.requested')).toBe(1);
    expect(count(settled, 'email.received_late')).toBe(1);
  });
});
