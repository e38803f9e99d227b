/**
 * The seller's own words from a reply: the quoted history and signature removed. The raw message is kept
 * in the inbound bucket; this is only what the case shows as the seller's statement.
 */
const QUOTE_HEADERS = [
  /^On .{1,200}wrote:\s*$/i, // Gmail, Apple Mail
  /^-{2,}\s*Original Message\s*-{2,}/i, // Outlook
  /^From: .+/i, // Outlook's reply header block
  /^_{10,}\s*$/, // Outlook separator line
];

export const sellerWords = (text: string): string => {
  const kept: string[] = [];
  for (const line of text.replace(/\r\n/g, '\n').split('\n')) {
    if (line.startsWith('>')) break;
    if (QUOTE_HEADERS.some((re) => re.test(line.trim()))) break;
    if (line === '-- ' || line === '--') break;
    kept.push(line);
  }
  return kept.join('\n').trim();
};
