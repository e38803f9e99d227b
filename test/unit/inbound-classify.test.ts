import type { SESMail, SESReceipt } from 'aws-lambda';
import PostalMime from 'postal-mime';
import { describe, expect, it } from 'vitest';
import { automatedReason, receiptVerdict, referencedIds, subjectCaseTag } from '#domain/inbound/classify.ts';

const mail = (source = 'seller@example.com') => ({ source }) as SESMail;
const receipt = (verdicts: Partial<Record<'spam' | 'virus' | 'dmarc', 'PASS' | 'FAIL' | 'GRAY'>>) =>
  ({
    spamVerdict: { status: verdicts.spam ?? 'PASS' },
    virusVerdict: { status: verdicts.virus ?? 'PASS' },
    dmarcVerdict: { status: verdicts.dmarc ?? 'PASS' },
  }) as SESReceipt;
const parse = (headers: string) => PostalMime.parse(`${headers}\r\nSubject: x\r\n\r\nbody\r\n`);

describe('receipt verdicts', () => {
  it('drops a virus or a DMARC failure, quarantines spam, and lets the rest through', () => {
    expect(receiptVerdict(receipt({ virus: 'FAIL' }))).toEqual({
      action: 'drop',
      reason: 'virus verdict FAIL',
    });
    expect(receiptVerdict(receipt({ dmarc: 'FAIL' }))).toEqual({
      action: 'drop',
      reason: 'DMARC verdict FAIL',
    });
    expect(receiptVerdict(receipt({ spam: 'FAIL' }))).toMatchObject({ action: 'quarantine' });
    expect(receiptVerdict(receipt({ spam: 'GRAY', virus: 'GRAY', dmarc: 'GRAY' }))).toEqual({
      action: 'accept',
    });
  });
});

describe('machine-made mail', () => {
  it.each([
    ['Auto-Submitted: auto-replied', 'auto-reply: Auto-Submitted: auto-replied'],
    ['X-Autoreply: yes', 'auto-reply: auto-reply header'],
    ['Precedence: bulk', 'list: Precedence: bulk'],
    [
      'Content-Type: multipart/report; report-type=delivery-status; boundary=b',
      'bounce: delivery status report (RFC 3464)',
    ],
    ['X-Failed-Recipients: someone@example.com', 'bounce: X-Failed-Recipients'],
    ['Subject: Automatische Antwort: Ihre Anfrage', 'auto-reply: auto-reply subject'],
  ])('recognises %s', async (headerLine, reason) => {
    expect(automatedReason(await parse(`From: a@example.com\r\n${headerLine}`), mail())).toBe(reason);
  });

  it('recognises an empty return path, and lets a person’s reply through', async () => {
    const email = await parse('From: a@example.com\r\nAuto-Submitted: no');

    expect(automatedReason(email, mail(''))).toBe('bounce: empty return path');
    expect(automatedReason(email, mail('MAILER-DAEMON'))).toBe('bounce: returned by mailer-daemon');
    expect(automatedReason(email, mail('a@example.com'))).toBeUndefined();
  });
});

describe('finding the case without a token', () => {
  it('reads the case tag from a subject', () => {
    expect(subjectCaseTag('Re: Decision on order 1 [case case_mwabc12345]')).toBe('case_mwabc12345');
    expect(subjectCaseTag('Re: about my case')).toBeUndefined();
  });

  it('lists referenced Message-IDs, In-Reply-To first, then References newest first', async () => {
    const email = await parse('From: a@example.com\r\nIn-Reply-To: <c@x>\r\nReferences: <a@x> <b@x> <c@x>');

    expect(referencedIds(email)).toEqual(['<c@x>', '<b@x>', '<a@x>']);
  });
});
