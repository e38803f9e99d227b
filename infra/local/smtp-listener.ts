import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { SESEvent } from 'aws-lambda';
import PostalMime from 'postal-mime';
import { SMTPServer } from 'smtp-server';

/** SES caps received messages at 40 MB; so does the local listener. */
const MAX_MESSAGE_BYTES = 40 * 1024 * 1024;

export interface SmtpListenerOptions {
  readonly port: number;
  /** Only mail for this domain is accepted (SES receipt rules match the reply domain the same way)… */
  readonly replyDomain: string;
  /** …and for these addresses (the support address replies may go to when a client drops Reply-To). */
  readonly addresses?: readonly string[];
  readonly s3: S3Client;
  readonly bucket: string;
  readonly prefix: string;
  readonly functionArn: string;
  /** Hands the SES receipt event to the inbound-email function. */
  readonly deliver: (event: SESEvent) => Promise<unknown>;
}

/**
 * The local stand-in for SES receiving: a real SMTP listener that stores the raw message in the inbound
 * bucket (the receipt rule's S3 action) and invokes the inbound-email function with the SES event shape
 * (its Lambda action). The SMTP transaction succeeds only once the function has handled the message; a
 * failure answers 451 so the sending server retries, as SES retries a failed Lambda action.
 */
export const startSmtpListener = async (
  options: SmtpListenerOptions,
): Promise<{ server: SMTPServer; port: number }> => {
  const domain = options.replyDomain.toLowerCase();
  const accepted = (options.addresses ?? []).map((a) => a.toLowerCase());
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    size: MAX_MESSAGE_BYTES,
    banner: 'SellerWorks local inbound mail',
    logger: false,
    onRcptTo(address, _session, callback) {
      const to = address.address.toLowerCase();
      if (!to.endsWith(`@${domain}`) && !accepted.includes(to)) {
        const error = new Error(`mailbox unavailable: we only accept mail for @${domain}`) as Error & {
          responseCode: number;
        };
        error.responseCode = 550;
        return callback(error);
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', async () => {
        try {
          if ((stream as unknown as { sizeExceeded?: boolean }).sizeExceeded) {
            const error = new Error('message too large') as Error & { responseCode: number };
            error.responseCode = 552;
            return callback(error);
          }
          const raw = Buffer.concat(chunks);
          const messageId = `local-${Date.now().toString(36)}-${randomBytes(8).toString('hex')}`;
          await options.s3.send(
            new PutObjectCommand({
              Bucket: options.bucket,
              Key: `${options.prefix}${messageId}`,
              Body: raw,
              ContentType: 'message/rfc822',
            }),
          );
          const parsed = await PostalMime.parse(raw);
          const recipients = session.envelope.rcptTo.map((r) => r.address);
          const envelopeFrom = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
          const now = new Date().toISOString();
          const addressList = (list: typeof parsed.to) =>
            (list ?? []).flatMap((a) => (a.address ? [a.name ? `${a.name} <${a.address}>` : a.address] : []));
          const gray = { status: 'GRAY' };
          const event = {
            Records: [
              {
                eventSource: 'aws:ses',
                eventVersion: '1.0',
                ses: {
                  mail: {
                    timestamp: now,
                    source: envelopeFrom,
                    messageId,
                    destination: recipients,
                    headersTruncated: false,
                    headers: parsed.headers.map((h) => ({ name: h.originalKey, value: h.value })),
                    commonHeaders: {
                      returnPath: parsed.returnPath ?? envelopeFrom,
                      from: addressList(parsed.from ? [parsed.from] : []),
                      date: parsed.date ?? now,
                      to: addressList(parsed.to),
                      messageId: parsed.messageId ?? messageId,
                      subject: parsed.subject ?? '',
                    },
                  },
                  receipt: {
                    timestamp: now,
                    processingTimeMillis: 0,
                    recipients,
                    // No scanners run locally: verdicts are GRAY, as SES reports when it could not decide.
                    spamVerdict: gray,
                    virusVerdict: gray,
                    spfVerdict: gray,
                    dkimVerdict: gray,
                    dmarcVerdict: gray,
                    action: { type: 'Lambda', functionArn: options.functionArn, invocationType: 'Event' },
                  },
                },
              },
            ],
          } as SESEvent;
          await options.deliver(event);
          callback(null, `queued as ${messageId}`);
        } catch (error) {
          console.error('inbound email failed:', error);
          const failure = new Error('temporary failure handling the message; retry later') as Error & {
            responseCode: number;
          };
          failure.responseCode = 451;
          callback(failure);
        }
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  return { server, port: (server.server.address() as AddressInfo).port };
};
