import { readFile } from 'node:fs/promises';
import PostalMime from 'postal-mime';
import { storedText } from '../functions/domain/email-text.ts';
import { readReply } from '../functions/domain/inbound/read-reply.ts';

/** What `sellerworks mail parse` prints for one file. */
export type ParsedMail =
  | {
      readonly file: string;
      readonly from: string;
      readonly automated: string | null;
      readonly words: string;
      readonly unparsed: boolean;
      readonly attachments: readonly {
        readonly filename: string;
        readonly contentType: string;
        readonly size: number;
        readonly sha256: string;
      }[];
      readonly refused?: readonly { filename: string; contentType: string; size: number; reason: string }[];
    }
  | { readonly file: string; readonly error: string };

/**
 * One message file as the inbound handler would record it (functions/domain/inbound/read-reply.ts). The
 * envelope sender, which SES hands the handler, is the file's Return-Path when it has one (`<>` for a
 * bounce), else its From.
 */
export const parseMailFile = async (file: string): Promise<ParsedMail> => {
  try {
    const raw = await readFile(file);
    const email = await PostalMime.parse(raw);
    const returnPath = email.headers.find((h) => h.key === 'return-path');
    const envelopeFrom = returnPath
      ? (/<([^<>]*)>/.exec(returnPath.value)?.[1] ?? returnPath.value).trim()
      : (email.from?.address ?? '');
    const reply = readReply(email, envelopeFrom);
    return {
      file,
      from: reply.from,
      automated: reply.automated,
      words: storedText(reply.words),
      unparsed: reply.unparsed,
      attachments: reply.attachments.map(({ content: _bytes, ...attachment }) => attachment),
      ...(reply.refused.length ? { refused: reply.refused } : {}),
    };
  } catch (error) {
    return { file, error: error instanceof Error ? error.message : String(error) };
  }
};

/** Prints each file's line in order; returns how many could not be parsed. */
export const mailParse = async (files: readonly string[], print: (line: string) => void): Promise<number> => {
  let failed = 0;
  for (const file of files) {
    const parsed = await parseMailFile(file);
    if ('error' in parsed) failed += 1;
    print(JSON.stringify(parsed));
  }
  return failed;
};
