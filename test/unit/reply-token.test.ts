import { describe, expect, it } from 'vitest';
import { newTokenId, parseReplyAddress, replyAddress, verifySignature } from '#domain/reply-token.ts';

const SECRET = 'test-secret';

describe('reply tokens', () => {
  it('round-trips a signed, case-scoped reply address', () => {
    const tokenId = newTokenId();
    const address = replyAddress(SECRET, 'case_abc12345', tokenId, 'replies.example.com');

    const parsed = parseReplyAddress(address);

    expect(parsed).toMatchObject({ tokenId, domain: 'replies.example.com' });
    expect(parsed && verifySignature(SECRET, 'case_abc12345', parsed)).toBe(true);
  });

  it('survives a mail system upper-casing the local part', () => {
    const address = replyAddress(SECRET, 'case_abc12345', newTokenId(), 'replies.example.com').toUpperCase();

    const parsed = parseReplyAddress(address);

    expect(parsed && verifySignature(SECRET, 'case_abc12345', parsed)).toBe(true);
  });

  it('rejects a token moved to another case, or signed with another secret', () => {
    const parsed = parseReplyAddress(replyAddress(SECRET, 'case_abc12345', newTokenId(), 'r.example.com'));

    expect(parsed && verifySignature(SECRET, 'case_other9999', parsed)).toBe(false);
    expect(parsed && verifySignature('other-secret', 'case_abc12345', parsed)).toBe(false);
  });

  it('does not parse addresses that carry no token', () => {
    expect(parseReplyAddress('support@example.com')).toBeUndefined();
    expect(parseReplyAddress('reply+short-abc@example.com')).toBeUndefined();
  });

  it('makes a different token id every time', () => {
    expect(new Set(Array.from({ length: 50 }, newTokenId)).size).toBe(50);
  });
});
