import { fileURLToPath } from 'node:url';
import type { BuildOptions } from 'esbuild';

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
