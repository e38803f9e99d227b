import { afterEach, describe, expect, it } from 'vitest';
import type { DevIssuer } from '../../infra/local/dev-issuer.ts';
import { freePort } from '../../infra/local/free-port.ts';
import { startHttpAdapter } from '../../infra/local/http-adapter.ts';

/**
 * The local API tells the engine how many requests it is serving (the engine gives up task slots to them):
 * the count rises with each request, falls as each is answered or abandoned, and ends at zero.
 */
let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

const serve = async (onInFlight: (n: number) => void, hold: Promise<void>) => {
  const { server, url } = await startHttpAdapter({
    port: await freePort(),
    issuer: {} as DevIssuer,
    invoke: async () => ({ statusCode: 200 }),
    localRoutes: async (target) => {
      if (target.pathname !== '/slow') return undefined;
      await hold;
      return { status: 200, body: { ok: true } };
    },
    onInFlight,
  });
  close = () =>
    new Promise((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  return url;
};

describe('the local API counts the requests it is serving', () => {
  it('rises with concurrent requests and falls back to zero once they are answered', async () => {
    const counts: number[] = [];
    let open: () => void = () => undefined;
    const url = await serve((n) => counts.push(n), new Promise<void>((resolve) => (open = resolve)));

    const answers = [1, 2, 3].map(() => fetch(`${url}/slow`));
    while (Math.max(0, ...counts) < 3) await new Promise((resolve) => setTimeout(resolve, 5));
    open();
    const statuses = (await Promise.all(answers)).map((r) => r.status);
    while (counts.at(-1) !== 0) await new Promise((resolve) => setTimeout(resolve, 5));

    expect(statuses).toEqual([200, 200, 200]);
    expect(Math.max(...counts)).toBe(3);
    expect(counts.at(-1)).toBe(0);
  });

  it('stops counting a request its client abandoned', async () => {
    const counts: number[] = [];
    const url = await serve((n) => counts.push(n), new Promise<void>(() => undefined));

    const abandoned = fetch(`${url}/slow`, { signal: AbortSignal.timeout(100) }).catch(() => 'aborted');
    expect(await abandoned).toBe('aborted');
    while (counts.at(-1) !== 0) await new Promise((resolve) => setTimeout(resolve, 5));

    expect(counts).toEqual([1, 0]);
  });
});
