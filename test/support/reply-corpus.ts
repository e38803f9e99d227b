import { readFile } from 'node:fs/promises';

/** One fixture of the reply corpus, as `events/email/replies/index.json` lists it (its README has the rules). */
export interface ReplyFixture {
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

/** The corpus's folder; a fixture's `file` is relative to it. */
export const REPLY_CORPUS = new URL('../../events/email/replies/', import.meta.url);

/** Every fixture of the corpus, in the index's order. */
export const replyCorpus = async (): Promise<ReplyFixture[]> =>
  JSON.parse(await readFile(new URL('index.json', REPLY_CORPUS), 'utf8')) as ReplyFixture[];
