import { execFile } from 'node:child_process';
import { createServer } from 'node:net';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = new URL('../../', import.meta.url).pathname;

/**
 * `sellerworks …` as ops run it: the package's bin in its own process, against `apiUrl` unless
 * `--api-url` is among the arguments; no token, API or console URL from the caller's environment, so it
 * signs in locally and links where the arguments say.
 */
export const runSellerworks = async (
  args: string[],
  apiUrl: string,
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> => {
  const withUrl = args.some((a) => a.startsWith('--api-url') || a === '--help')
    ? args
    : [...args, '--api-url', apiUrl];
  const {
    SELLERWORKS_TOKEN: _token,
    SELLERWORKS_API_URL: _url,
    SELLERWORKS_CONSOLE_URL: _console,
    ...inherited
  } = process.env;
  try {
    const { stdout, stderr } = await run(process.execPath, ['bin/sellerworks.mjs', ...withUrl], {
      cwd: root,
      env: { ...inherited, ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
};

/** A port on this machine where nothing listens. */
export const closedPort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
