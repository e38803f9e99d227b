import { readdir, readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { parseMailFile } from '../../cli/mail-parse.ts';

/**
 * The reply corpus (`events/email/replies/`, its README says how it was made and the rules for the
 * expected words): every fixture read as `sellerworks mail parse` prints it, which is what the inbound
 * handler records.
 */
interface Fixture {
  readonly file: string;
  readonly class: string;
  readonly client: string;
  readonly language: string;
  readonly expected: {
    readonly words: string | null;
    readonly automated: string | null;
    readonly unparsed?: true;
  };
}

const folder = new URL('../../events/email/replies/', import.meta.url);
const index = JSON.parse(await readFile(new URL('index.json', folder), 'utf8')) as Fixture[];

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

  it.each(index.map((f) => [f.file, f] as const))('%s', async (_, fixture) => {
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
