import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = new URL('../../', import.meta.url).pathname;

/** `sellerworks mail parse …` as ops run it: the package's bin, in its own process. */
const mailParse = async (...files: string[]) => {
  try {
    const { stdout } = await run(process.execPath, ['bin/sellerworks.mjs', 'mail', 'parse', ...files], {
      cwd: root,
    });
    return {
      code: 0,
      lines: stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l)),
    };
  } catch (error) {
    const failed = error as { code: number; stdout: string };
    return {
      code: failed.code,
      lines: failed.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l)),
    };
  }
};

describe('sellerworks mail parse', () => {
  it('prints one line per file with what the inbound handler would record, and goes on past a bad file', async () => {
    const { code, lines } = await mailParse(
      'events/email/corpus/outlook-reply.eml',
      'events/email/does-not-exist.eml',
      'events/email/corpus/bounce.eml',
      'events/email/corpus/out-of-office.eml',
    );

    expect(code).toBe(1);
    expect(lines).toHaveLength(4);
    expect(lines[0]).toEqual({
      file: 'events/email/corpus/outlook-reply.eml',
      from: 'seller-42@example.com',
      automated: null,
      words: expect.stringMatching(/^Hello,\n\nPlease find our business registration certificate attached\./),
      unparsed: false,
      attachments: [
        {
          filename: 'Business_registration_certificate_2026.pdf',
          contentType: 'application/pdf',
          size: 643,
          sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
        },
      ],
    });
    expect(lines[0].words).not.toMatch(/From:|Sent:|wrote/);
    expect(lines[1]).toEqual({
      file: 'events/email/does-not-exist.eml',
      error: expect.stringContaining('ENOENT'),
    });
    expect(lines[2]).toMatchObject({
      automated: expect.stringMatching(/^bounce: /),
      words: '',
      attachments: [],
    });
    expect(lines[3]).toMatchObject({ automated: 'auto-reply: Auto-Submitted: auto-replied' });
  }, 60_000);

  it('exits 0 when every file parses', async () => {
    const { code, lines } = await mailParse('events/email/seller-reply.eml');

    expect(code).toBe(0);
    expect(lines[0]).toMatchObject({
      automated: null,
      unparsed: false,
      attachments: [{ filename: 'packing-photo.png' }],
    });
  }, 60_000);
});
