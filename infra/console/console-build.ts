import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BuildOptions, buildSync } from 'esbuild';

/** The console's sources: `index.html`, `styles.css` and the app under `src/`. */
export const CONSOLE_DIR = fileURLToPath(new URL('../../console/', import.meta.url));

/**
 * How the console's app is bundled, the same for the local runtime (at start) and the AWS stack (at
 * synth): one browser ES module from `console/src/main.ts`, written nowhere (callers take the output).
 */
export const CONSOLE_BUILD: BuildOptions & { write: false } = {
  entryPoints: [`${CONSOLE_DIR}src/main.ts`],
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  minify: true,
  write: false,
  logLevel: 'silent',
};

/**
 * The console's Content-Security-Policy: the page loads only its own script and styles and talks only to
 * itself and the origins named (on AWS: the console API and the user pool's token endpoint). SVG drawn by
 * the console carries inline presentation attributes, hence 'unsafe-inline' for styles. The origins may
 * be CDK tokens (the stack resolves the string into a join).
 */
export const consoleContentSecurityPolicy = (connectTo: readonly string[] = []): string =>
  [
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:;",
    `connect-src ${["'self'", ...connectTo].join(' ')};`,
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  ].join(' ');

/**
 * The console as the stack deploys it, in a new temporary folder: `index.html` at the root, the app and
 * styles where the page loads them (`/console/app.js`, `/console/app.css`). The stack adds `config.json`.
 */
export const buildConsoleAssets = (): string => {
  const out = mkdtempSync(join(tmpdir(), 'sellerworks-console-'));
  mkdirSync(join(out, 'console'));
  const bundled = buildSync(CONSOLE_BUILD);
  writeFileSync(join(out, 'console', 'app.js'), bundled.outputFiles[0]?.text ?? '');
  writeFileSync(join(out, 'console', 'app.css'), readFileSync(join(CONSOLE_DIR, 'styles.css')));
  writeFileSync(join(out, 'index.html'), readFileSync(join(CONSOLE_DIR, 'index.html')));
  return out;
};
