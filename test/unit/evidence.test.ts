import { describe, expect, it } from 'vitest';
import type { EvidenceRecord } from '#domain/case.ts';
import { STORED_TEXT_MAX_CHARS, storedText } from '#domain/email-text.ts';
import { evidenceStatus, missingFrom } from '#domain/evidence.ts';
import { replyWords, plainReplyWords as sellerWords } from '#domain/inbound/reply-words.ts';
import { buyerDisputeEvidence, evidenceFromReply } from '#policy/buyer-dispute/evidence.ts';

const record = (kinds: string[]): EvidenceRecord => ({
  evidenceId: 'e',
  kinds,
  provider: 'seller',
  source: 'email',
  receivedAt: '2026-11-22T00:00:00Z',
});

describe('buyer-dispute evidence contract', () => {
  it('asks the seller for photos and a statement when the item is said to be defective', () => {
    const status = evidenceStatus(buyerDisputeEvidence, 'item_defective', [record(['buyer_statement'])]);

    expect(missingFrom(status, 'seller').map((m) => m.kind)).toEqual(['item_photos', 'seller_statement']);
    expect(missingFrom(status, 'buyer').map((m) => m.kind)).toEqual(['buyer_photos']);
  });

  it('needs only tracking when the item did not arrive, and nothing once tracking came with the intake', () => {
    const before = evidenceStatus(buyerDisputeEvidence, 'not_received', [record(['buyer_statement'])]);
    const after = evidenceStatus(buyerDisputeEvidence, 'not_received', [
      record(['buyer_statement', 'shipment_tracking']),
    ]);

    expect(missingFrom(before, 'seller').map((m) => m.kind)).toEqual(['shipment_tracking']);
    expect(after.missing).toEqual([]);
  });

  it('reads photos, tracking and a statement out of a reply', () => {
    expect(
      evidenceFromReply(
        {
          text: 'Shipped fine. Tracking: 1Z999AA10123456784',
          attachments: [{ contentType: 'image/jpeg', filename: 'a.jpg' }],
        },
        'seller',
      ).sort(),
    ).toEqual(['item_photos', 'seller_statement', 'shipment_tracking']);
    expect(evidenceFromReply({ text: '', attachments: [] }, 'seller')).toEqual([]);
  });

  it('files a buyer’s photos as the buyer’s, never as the seller’s', () => {
    const reply = {
      text: 'See the crack',
      attachments: [{ contentType: 'image/png', filename: 'crack.png' }],
    };

    expect(evidenceFromReply(reply, 'buyer')).toEqual(['buyer_photos']);
  });
});

describe('seller words in a reply', () => {
  it('drops Gmail-style quoted history and the signature', () => {
    const text =
      'Photos attached.\nThanks\n-- \nBob\n\nOn Mon, 1 Dec 2026 at 10:00, Support <s@x> wrote:\n> old';

    expect(sellerWords(text)).toBe('Photos attached.\nThanks');
  });

  it('drops an Outlook original-message block', () => {
    expect(sellerWords('Here you go\r\n\r\n-----Original Message-----\r\nFrom: x')).toBe('Here you go');
  });
});

describe('the words of replies from common clients', () => {
  it('drops an Outlook header block after its separator line', () => {
    const text =
      'Attached.\n\n________________________________\nFrom: SellerWorks Support <s@x>\nSent: Sunday\nSubject: Re';

    expect(sellerWords(text)).toBe('Attached.');
  });

  it('drops an Apple Mail quote whose marker wraps onto a second line', () => {
    const text =
      'Here it is.\n\nOn 22 Nov 2026, at 14:02, SellerWorks Support <support@\nsellerworks.local> wrote:\n> old';

    expect(sellerWords(text)).toBe('Here it is.');
  });

  it('keeps a forwarded message, which is evidence rather than history', () => {
    const text =
      'See the carrier note below.\n\n---------- Forwarded message ---------\nFrom: Carrier <c@x>\nDate: Mon\n\nParcel damaged in depot.';

    expect(sellerWords(text)).toContain('Parcel damaged in depot.');
  });

  it('keeps answers written between the quoted questions, without the quotes', () => {
    const text =
      'On Mon, 1 Dec 2026 at 10:00, Support <s@x> wrote:\n> The tracking number?\n\n1Z999AA10123456784\n\n> A photo of the parcel as packed?\n\nAttached.\n';

    expect(sellerWords(text)).toBe('1Z999AA10123456784\n\nAttached.');
  });

  it('knows the quote headers of other languages', () => {
    expect(sellerWords('Anbei.\n\nAm 01.12.2026 um 10:00 schrieb Support <s@x>:\n> alt')).toBe('Anbei.');
    expect(
      sellerWords(
        'Ci-joint.\n\nDe : Support <s@x>\nEnvoyé : lundi 1 décembre 2026 10:00\nÀ : moi\nObjet : Re\n\nancien',
      ),
    ).toBe('Ci-joint.');
    expect(sellerWords('Adjunto.\n\n-----Mensaje original-----\nDe: Support')).toBe('Adjunto.');
  });

  it('keeps the whole visible text, marked unparsed, when nothing of its own is left and nothing is attached', () => {
    const text = 'On Mon, 1 Dec 2026 at 10:00, Support <s@x> wrote:\n> The tracking number?';

    expect(replyWords({ text }, false)).toEqual({ words: text, unparsed: true });
    expect(replyWords({ text }, true)).toEqual({ words: '', unparsed: false });
  });

  it('turns HTML-only mail into text without tags or quoted history', () => {
    const html =
      '<html><body><p>Tom &amp; Jerry</p><p>line<br>two</p><blockquote>old stuff</blockquote></body></html>';

    expect(replyWords({ html }, false)).toEqual({ words: 'Tom & Jerry\n\nline\ntwo', unparsed: false });
  });
});

describe('the words a case stores', () => {
  it('keeps a reply of ordinary length whole', () => {
    expect(storedText('Photos attached.')).toBe('Photos attached.');
  });

  it('cuts a very long reply at the limit, never inside a character, and says so', () => {
    const text = '📦'.repeat(STORED_TEXT_MAX_CHARS + 50);

    const stored = storedText(text);

    expect(stored.startsWith('📦'.repeat(STORED_TEXT_MAX_CHARS))).toBe(true);
    expect(stored).toMatch(/\n\[… cut here; the whole message is kept with the raw mail\]$/);
    expect(stored).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
    expect(Array.from(stored.split('\n')[0] ?? '')).toHaveLength(STORED_TEXT_MAX_CHARS);
  });
});
