import { request } from 'node:http';

/** A response as the wire gave it. */
export interface RawResponse {
  readonly status: number;
  readonly body: string;
}

/**
 * An HTTP request sent exactly as given — the path unnormalised (malformed escapes included), the headers
 * and the body's framing as the test says — so a test can send what a careless or hostile client would.
 */
export const rawRequest = (
  baseUrl: string,
  path: string,
  options: { method?: string; headers?: Record<string, string>; chunks?: readonly Buffer[] } = {},
): Promise<RawResponse> =>
  new Promise((resolve, reject) => {
    const url = new URL(baseUrl);
    const req = request(
      { host: '127.0.0.1', port: url.port, path, method: options.method ?? 'GET', headers: options.headers },
      (res) => {
        let body = '';
        res.on('data', (chunk) => {
          body += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    for (const chunk of options.chunks ?? []) req.write(chunk);
    req.end();
  });
