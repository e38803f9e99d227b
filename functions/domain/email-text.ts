/**
 * The sender's own words from a reply: quoted history and signature removed, a forwarded message kept (a
 * forward is evidence, not history). The raw message stays in the inbound bucket; this is only what the
 * case shows as the sender's statement.
 */
const FORWARD = [
  /^-{5,}\s*Forwarded message\s*-{5,}$/i,
  /^Begin forwarded message:$/i,
  /^-{5,}\s*Original forwarded/i,
];

/** Where quoted history starts, given the line and the one after it (some markers span two lines). */
const quoteStarts = (line: string, next: string): boolean => {
  const joined = `${line} ${next}`.trim();
  if (line.startsWith('>')) return true;
  if (/^On .{1,200}wrote:$/i.test(line) || /^On .{1,200}wrote:$/i.test(joined)) return true; // Gmail, Apple Mail
  if (/^-{2,}\s*Original Message\s*-{2,}/i.test(line)) return true; // Outlook (plain)
  if (/^_{10,}$/.test(line) && /^(From|De|Von):/i.test(next)) return true; // Outlook separator + header block
  if (/^(From|De|Von): .+/i.test(line) && /^(Sent|Date|Envoyé|Gesendet): /i.test(next)) return true;
  return false;
};

export const sellerWords = (text: string): string => {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  const kept: string[] = [];
  for (const [i, line] of lines.entries()) {
    const trimmed = line.trim();
    if (FORWARD.some((re) => re.test(trimmed))) {
      kept.push(...lines.slice(i));
      break;
    }
    if (line === '-- ' || trimmed === '--') break;
    if (quoteStarts(trimmed, (lines[i + 1] ?? '').trim())) break;
    kept.push(line);
  }
  return kept.join('\n').trim();
};

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

/**
 * Plain text from an HTML-only message: quoted history (`<blockquote>`, Gmail's `gmail_quote`) dropped,
 * block elements as line breaks, tags removed, entities decoded.
 */
export const htmlToText = (html: string): string =>
  html
    .replace(/<(script|style|head)[\s\S]*?<\/\1>/gi, '')
    .replace(/<div[^>]*class="[^"]*gmail_quote[^"]*"[\s\S]*$/i, '')
    .replace(/<blockquote[\s\S]*?<\/blockquote>/gi, '')
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/(p|div|li|tr|h[1-6])>/gi, '\n\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&(#x?[0-9a-f]+|[a-z]+);/gi, (entity, code: string) => {
      if (code.startsWith('#x') || code.startsWith('#X'))
        return String.fromCodePoint(Number.parseInt(code.slice(2), 16));
      if (code.startsWith('#')) return String.fromCodePoint(Number.parseInt(code.slice(1), 10));
      return ENTITIES[code.toLowerCase()] ?? entity;
    })
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();

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
