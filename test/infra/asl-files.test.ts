import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { FUNCTIONS, substitutionName } from '../../functions/registry.ts';
import { fromRepoRoot } from '../../infra/aws/repo-root.ts';
import { aslPath, FAMILY_IDS, type FamilyId } from '../../state-machines/catalog.ts';

// asl-validator is CommonJS without type declarations.
const validateAsl = createRequire(import.meta.url)('asl-validator') as (definition: unknown) => {
  isValid: boolean;
  errorsText: (separator?: string) => string;
};

type State = Record<string, unknown> & { Type?: string; Resource?: string };
const readText = (family: FamilyId): string => readFileSync(fromRepoRoot(aslPath(family)), 'utf8');
const placeholdersOf = (text: string): string[] => [
  ...new Set(Array.from(text.matchAll(/\$\{([^}]*)\}/g), (match) => match[1] ?? '')),
];
/** Every state at any depth (Parallel branches, Map processors), with its name. */
const allStates = (node: unknown): [string, State][] => {
  if (node === null || typeof node !== 'object') return [];
  const children = Object.values(node).flatMap(allStates);
  const states = (node as { States?: Record<string, State> }).States;
  return states ? [...Object.entries(states), ...children] : children;
};

describe.each(FAMILY_IDS)('ASL of %s', (family) => {
  const text = readText(family);

  it('is a valid state machine once its placeholders are substituted as at deploy time', () => {
    const substituted = text.replace(
      /\$\{([A-Za-z0-9]+)FunctionArn\}/g,
      (_, id: string) => `arn:aws:lambda:eu-west-1:123456789012:function:SellerWorks-${id}`,
    );

    const result = validateAsl(JSON.parse(substituted));

    expect(result.errorsText('\n')).toBe('');
    expect(result.isValid).toBe(true);
  });

  it(`uses only \${<FunctionSpec.id>FunctionArn} placeholders of functions in the registry`, () => {
    const known = new Set(FUNCTIONS.map((spec) => substitutionName(spec.id)));

    const placeholders = placeholdersOf(text);

    expect(placeholders.length).toBeGreaterThan(0);
    expect(placeholders.filter((name) => !known.has(name))).toEqual([]);
  });

  it('gives every .waitForTaskToken task an explicit TimeoutSeconds', () => {
    const callbacks = allStates(JSON.parse(text)).filter(
      ([, state]) => state.Type === 'Task' && String(state.Resource).endsWith('.waitForTaskToken'),
    );

    expect(callbacks.length).toBeGreaterThan(0);
    for (const [name, state] of callbacks) {
      expect(
        typeof state.TimeoutSeconds === 'number' || typeof state.TimeoutSecondsPath === 'string',
        name,
      ).toBe(true);
    }
  });

  it('is JSONPath only (the local engine has no JSONata)', () => {
    const definition = JSON.parse(text) as { QueryLanguage?: string };

    expect(definition.QueryLanguage ?? 'JSONPath').toBe('JSONPath');
    expect(allStates(definition).filter(([, state]) => state.QueryLanguage === 'JSONata')).toEqual([]);
  });
});
