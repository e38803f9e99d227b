import { readFile } from 'node:fs/promises';
import { build } from 'esbuild';
import {
  CONSOLE_BUILD,
  consoleContentSecurityPolicy,
  CONSOLE_DIR as consoleDir,
} from '../console/console-build.ts';
import type { LocalRoute } from './http-adapter.ts';

/** The page may talk only to this server (the ops API and the outbox) and load only its own script and styles. */
const SECURITY_HEADERS = {
  'content-security-policy': consoleContentSecurityPolicy(),
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

/**
 * Serves the ops console at `/console`: the page, its stylesheet, and the app bundled from
 * `console/src/main.ts` by esbuild when the runtime starts (about a tenth of a second), so the console is
 * always the code in the working tree and there is no build step to forget.
 */
export const consoleRoutes = async (): Promise<LocalRoute> => {
  const bundled = await build({ ...CONSOLE_BUILD, sourcemap: 'inline' });
  const script = bundled.outputFiles[0]?.text ?? '';
  const [page, styles] = await Promise.all([
    readFile(`${consoleDir}index.html`, 'utf8'),
    readFile(`${consoleDir}styles.css`, 'utf8'),
  ]);
  return async (url, req) => {
    if (req.method !== 'GET') return undefined;
    switch (url.pathname) {
      case '/console':
      case '/console/':
        return {
          status: 200,
          body: page,
          contentType: 'text/html; charset=utf-8',
          headers: SECURITY_HEADERS,
        };
      case '/console/app.js':
        return {
          status: 200,
          body: script,
          contentType: 'text/javascript; charset=utf-8',
          headers: SECURITY_HEADERS,
        };
      case '/console/app.css':
        return {
          status: 200,
          body: styles,
          contentType: 'text/css; charset=utf-8',
          headers: SECURITY_HEADERS,
        };
      default:
        return undefined;
    }
  };
};
