import { readFileSync } from 'node:fs';
import { aslPath, type FamilyId } from '#state-machines/catalog.ts';
import { requireRepoFile } from './repo-root.ts';

/** One emitted ASL file, as the stack deploys it. */
export interface AslFile {
  readonly family: FamilyId;
  /** Repository-relative path (for messages). */
  readonly path: string;
  readonly text: string;
}

export const readAsl = (family: FamilyId): AslFile => {
  const path = aslPath(family);
  const text = readFileSync(
    requireRepoFile(path, `ASL of family "${family}" (npm run emit writes it)`),
    'utf8',
  );
  return { family, path, text };
};

/** The distinct `${Name}` definition-substitution placeholders in an ASL text, sorted. */
export const findPlaceholders = (aslText: string): string[] =>
  [...new Set(Array.from(aslText.matchAll(/\$\{([^}]*)\}/g), (match) => match[1] ?? ''))].sort();

/**
 * Maps every placeholder of the file to its value, or fails synth naming the placeholders nobody binds
 * (a typo in a step id would otherwise surface only as a CloudFormation error at deploy time).
 */
export const bindPlaceholders = (
  asl: AslFile,
  bindings: ReadonlyMap<string, string>,
): Record<string, string> => {
  const placeholders = findPlaceholders(asl.text);
  const unbound = placeholders.filter((name) => !bindings.has(name));
  if (unbound.length > 0) {
    throw new Error(
      `SellerWorks synth: ${asl.path} uses ${unbound.map((name) => `\${${name}}`).join(', ')}, which nothing ` +
        `binds. A placeholder must be \${<FunctionSpec.id>FunctionArn} for a function in functions/registry.ts ` +
        `(bindable here: ${[...bindings.keys()].join(', ')}).`,
    );
  }
  return Object.fromEntries(placeholders.map((name) => [name, bindings.get(name)!]));
};

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * Names of `.waitForTaskToken` Task states (at any depth: Parallel branches, Map processors) that have no
 * `TimeoutSeconds`/`TimeoutSecondsPath`. Such a wait would hang until the execution's one-year limit.
 */
export const callbackTasksWithoutTimeout = (aslText: string): string[] => {
  const found: string[] = [];
  const visit = (node: Json): void => {
    if (Array.isArray(node)) {
      for (const child of node) visit(child);
      return;
    }
    if (node === null || typeof node !== 'object') return;
    const states = node.States;
    if (states !== undefined && states !== null && typeof states === 'object' && !Array.isArray(states)) {
      for (const [name, state] of Object.entries(states)) {
        if (state === null || typeof state !== 'object' || Array.isArray(state)) continue;
        const isCallback =
          state.Type === 'Task' &&
          typeof state.Resource === 'string' &&
          state.Resource.endsWith('.waitForTaskToken');
        if (isCallback && state.TimeoutSeconds === undefined && state.TimeoutSecondsPath === undefined) {
          found.push(name);
        }
      }
    }
    for (const child of Object.values(node)) visit(child);
  };
  visit(JSON.parse(aslText) as Json);
  return found;
};
