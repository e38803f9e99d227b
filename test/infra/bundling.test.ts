import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { FUNCTIONS } from '../../functions/registry.ts';
import { SELLERWORKS_BUNDLING } from '../../infra/aws/constructs/sellerworks-function.ts';
import { fromRepoRoot } from '../../infra/aws/repo-root.ts';

/**
 * The stack test synthesizes without bundling (CDK runs esbuild once per function, ~0.8 s each); this bundles
 * every handler in one esbuild run with the options SellerWorksFunction passes to NodejsFunction. That run
 * is CPU-bound (every handler, with source maps: near a minute on a busy shared machine), so
 * it has a timeout of its own rather than the suite's 30 s; it asserts what the bundles hold, not how fast.
 */
describe('handler bundles', () => {
  it('bundles every registry entry as an ESM module that exports handler, with source maps', async () => {
    const result = await build({
      entryPoints: Object.fromEntries(FUNCTIONS.map((spec) => [spec.id, fromRepoRoot(spec.entry)])),
      bundle: true,
      platform: 'node',
      format: SELLERWORKS_BUNDLING.format,
      target: SELLERWORKS_BUNDLING.target,
      mainFields: [...SELLERWORKS_BUNDLING.mainFields],
      banner: { js: SELLERWORKS_BUNDLING.banner },
      minify: SELLERWORKS_BUNDLING.minify,
      sourcemap: SELLERWORKS_BUNDLING.sourceMap,
      sourcesContent: SELLERWORKS_BUNDLING.sourcesContent,
      tsconfig: fromRepoRoot('tsconfig.json'),
      outdir: 'bundles',
      outExtension: { '.js': '.mjs' },
      write: false,
      metafile: true,
      logLevel: 'silent',
    });

    expect(result.errors).toEqual([]);
    const outputs = Object.entries(result.metafile.outputs);
    for (const spec of FUNCTIONS) {
      const [path, output] = outputs.find(([, o]) => o.entryPoint === spec.entry) ?? [];

      expect(output?.exports, spec.id).toContain('handler');
      expect(
        result.outputFiles.some((file) => file.path.endsWith(`${path}.map`)),
        spec.id,
      ).toBe(true);
    }
    // FAQ grouping imports natural's modules by path: its index would bring every module (storage
    // backends with their drivers) into the fold's bundle.
    const [, fold] = outputs.find(([, o]) => o.entryPoint === 'functions/streams/fold-case-changes.ts') ?? [];
    const natural = Object.keys(fold?.inputs ?? {}).filter((input) => input.includes('/natural/'));
    expect(natural.length).toBeGreaterThan(0);
    expect(
      natural.filter(
        (input) => !/\/natural\/lib\/natural\/(stemmers|util|tokenizers|distance)\//.test(input),
      ),
    ).toEqual([]);
  }, 180_000);
});
