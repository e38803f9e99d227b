import { readdir } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { parseMailFile } from '../../cli/mail-parse.ts';
import { REPLY_CORPUS, type ReplyFixture, replyCorpus } from '../support/reply-corpus.ts';

/**
 * The reply corpus (`events/email/replies/`, its README says how it was made and the rules for the
 * expected words): every fixture read as `sellerworks mail parse` prints it, which is what the inbound
 * handler records.
 */
const folder = REPLY_CORPUS;
const index = await replyCorpus();

describe('the reply corpus', () => {
  it('lists every fixture it holds, from at least ten languages and every kind of machine mail', async () => {
    const files = (await readdir(folder, { recursive: true }))
      .filter((f) => f.endsWith('.eml'))
      .map((f) => f.replaceAll('\\', '/'))
      .sort();
    expect(index.map((f) => f.file).sort()).toEqual(files);
    expect(new Set(index.map((f) => f.language)).size).toBeGreaterThanOrEqual(10);
    expect(new Set(index.flatMap((f) => f.expected.automated ?? []))).toEqual(
      new Set(['auto-reply', 'bounce', 'abuse-report', 'list']),
    );
  });

  it.each(index.map((f) => [f.file, f] as const))('%s', async (_, fixture: ReplyFixture) => {
    const parsed = await parseMailFile(new URL(fixture.file, folder).pathname);
    if ('error' in parsed) throw new Error(parsed.error);
    const { expected } = fixture;
    if (expected.automated) {
      // Machine mail: recognised, and of the right kind.
      expect(parsed.automated?.split(':')[0]).toBe(expected.automated);
      return;
    }
    // A person is never flagged.
    expect(parsed.automated).toBeNull();
    if (expected.unparsed) {
      // Nothing of their own and nothing attached: the whole visible text, marked so.
      expect(parsed.unparsed).toBe(true);
      expect(parsed.words).not.toBe('');
      return;
    }
    expect(parsed.unparsed).toBe(false);
    expect(parsed.words).toBe(expected.words);
  });
});
