import { createHash } from 'node:crypto';

/** The item that maps an email's Message-ID back to its case (threading of replies, bounce events). */
export const mailRefKey = (headerMessageId: string) =>
  `MAILREF#${createHash('sha256').update(headerMessageId.trim().toLowerCase()).digest('hex')}`;
