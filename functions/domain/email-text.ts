/**
 * How a message's words are kept on the case (inbound/reply-words.ts tells them from the quoted history).
 */

/** The most characters of a message's words kept in the table; the whole message stays in S3 with the raw mail. */
export const STORED_TEXT_MAX_CHARS = 10_000;
const TRUNCATED = '\n[… cut here; the whole message is kept with the raw mail]';

/**
 * A message's words as the case stores them: whole up to {@link STORED_TEXT_MAX_CHARS} characters, else
 * cut there (never inside a character) with a note saying so. A case item and its transaction stay far
 * under DynamoDB's 400 KB item limit however long a reply is.
 */
export const storedText = (text: string): string => {
  const chars = Array.from(text);
  return chars.length <= STORED_TEXT_MAX_CHARS
    ? text
    : chars.slice(0, STORED_TEXT_MAX_CHARS).join('') + TRUNCATED;
};
