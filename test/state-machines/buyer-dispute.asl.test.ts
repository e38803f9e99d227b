import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { FUNCTIONS, substitutionName } from '../../functions/registry.ts';
import { ExecutionStore, LocalStepFunctions } from '../../infra/local/aws/index.ts';

/**
 * The emitted buyer-dispute ASL, unchanged but for its `${…FunctionArn}` bindings, on the local engine.
 * The Lambda steps are stubs here (each path's tests drive the real handlers in test/e2e); these tests prove
 * the workflow's shape: every state and every Choice branch is taken by some test below.
 */
const ARN = 'arn:aws:states:us-east-1:000000000000:stateMachine:buyer-dispute-test';
const fnArn = (id: string) => `arn:aws:lambda:us-east-1:000000000000:function:${id}`;
const idOf = (arn: string) => arn.split(':').at(-1) ?? '';

const asl = JSON.parse(
  await readFile(new URL('../../state-machines/asl/buyer-dispute.asl.json', import.meta.url), 'utf8'),
);
const bind = (definition: unknown, callbackTimeoutSeconds?: number) => {
  let text = JSON.stringify(definition);
  for (const spec of FUNCTIONS) text = text.replaceAll(`\${${substitutionName(spec.id)}}`, fnArn(spec.id));
  const bound = JSON.parse(text);
  if (callbackTimeoutSeconds !== undefined) {
    // The only change: the hard caps shortened so a test can reach them (days become a second).
    for (const state of Object.values(bound.States) as { Resource?: string; TimeoutSeconds?: number }[]) {
      if (state.Resource?.endsWith('.waitForTaskToken')) state.TimeoutSeconds = callbackTimeoutSeconds;
    }
  }
  return bound;
};

type Behaviour = (payload: Record<string, unknown>) => unknown;
let behaviours: Record<string, Behaviour>;
let tokens: Record<string, string[]>;
const entered = new Set<string>();
const dirs: string[] = [];

const engine = async (callbackTimeoutSeconds?: number) => {
  const dir = await mkdtemp(join(tmpdir(), 'sw-asl-'));
  dirs.push(dir);
  return new LocalStepFunctions({
    stateMachines: [{ name: 'buyer-dispute-test', arn: ARN, definition: bind(asl, callbackTimeoutSeconds) }],
    store: new ExecutionStore(dir),
    invokeFunction: async (arn, payload) => {
      const id = idOf(arn);
      const input = payload as Record<string, unknown>;
      if (typeof input.taskToken === 'string') tokens[id] = [...(tokens[id] ?? []), input.taskToken];
      const behaviour = behaviours[id];
      if (!behaviour) throw new Error(`no stub for ${id}`);
      return behaviour(input);
    },
  });
};

const ok = () => ({});
beforeEach(() => {
  tokens = {};
  behaviours = {
    Triage: () => ({ team: 'disputes', risk: 'low', urgency: 'normal', evidenceNeeded: true }),
    NotifySeller: ok,
    RequestEvidence: ok,
    HandOff: ok,
    Resolve: ok,
    Escalate: ok,
  };
});
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

const until = async <T>(check: () => T | undefined, ms = 10_000): Promise<T> => {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
};
const tokenFor = (id: string, n = 0) => until(() => tokens[id]?.[n]);

const run = async (sfn: LocalStepFunctions) => {
  const started = sfn.startExecution({
    stateMachineArn: ARN,
    name: `case_${Math.random().toString(36).slice(2)}`,
    input: '{"caseId":"case_x","family":"buyer-dispute"}',
  });
  const executionArn = started.executionArn ?? '';
  const finished = () =>
    until(() => {
      const d = sfn.describeExecution({ executionArn });
      return d.status === 'RUNNING' ? undefined : d;
    });
  const path = () =>
    (sfn.getExecutionHistory({ executionArn }).events ?? [])
      .filter((e) => e.type?.endsWith('StateEntered'))
      .map((e) => e.stateEnteredEventDetails?.name ?? '');
  return { executionArn, finished, path };
};

const decision = JSON.stringify({
  outcome: 'buyer_refunded',
  rationale: 'r',
  decidedBy: 'a',
  decidedAt: '2026-11-22T00:00:00Z',
});

describe('buyer-dispute state machine', () => {
  it('asks for evidence, hands off on the reply, and resolves on the decision', async () => {
    const sfn = await engine();
    const execution = await run(sfn);

    sfn.sendTaskSuccess({
      taskToken: await tokenFor('RequestEvidence'),
      output: '{"received":["item_photos"]}',
    });
    sfn.sendTaskSuccess({ taskToken: await tokenFor('HandOff'), output: decision });
    const result = await execution.finished();

    expect(result.status).toBe('SUCCEEDED');
    expect(execution.path()).toEqual([
      'Triage',
      'EvidenceNeeded',
      'RequestEvidence',
      'HandOff',
      'Resolve',
      'Resolved',
    ]);
    for (const name of execution.path()) entered.add(name);
  });

  it('goes straight to the handoff when no seller evidence is missing', async () => {
    behaviours.Triage = () => ({ team: 'disputes', risk: 'low', urgency: 'high', evidenceNeeded: false });
    const sfn = await engine();
    const execution = await run(sfn);

    sfn.sendTaskSuccess({ taskToken: await tokenFor('HandOff'), output: decision });
    await execution.finished();

    expect(execution.path()).toEqual([
      'Triage',
      'EvidenceNeeded',
      'SendFirstResponse',
      'HandOff',
      'Resolve',
      'Resolved',
    ]);
    for (const name of execution.path()) entered.add(name);
  });

  it('passes the decision to Resolve and gives each wait a fresh, single-use token', async () => {
    let resolved: unknown;
    behaviours.Resolve = (payload) => {
      resolved = payload;
      return {};
    };
    const sfn = await engine();
    const execution = await run(sfn);
    const evidenceToken = await tokenFor('RequestEvidence');
    sfn.sendTaskSuccess({ taskToken: evidenceToken, output: '{}' });
    const decisionToken = await tokenFor('HandOff');

    expect(decisionToken).not.toBe(evidenceToken);
    expect(() => sfn.sendTaskSuccess({ taskToken: evidenceToken, output: '{}' })).toThrow();
    sfn.sendTaskSuccess({ taskToken: decisionToken, output: decision });
    await execution.finished();
    expect(resolved).toEqual({ caseId: 'case_x', decision: JSON.parse(decision) });
  });

  it('escalates an unanswered evidence request at its cap, then hands off on the evidence at hand', async () => {
    const escalations: unknown[] = [];
    behaviours.Escalate = (payload) => {
      escalations.push(payload.reason);
      return { level: escalations.length };
    };
    const sfn = await engine(1);
    const execution = await run(sfn);

    sfn.sendTaskSuccess({ taskToken: await tokenFor('HandOff'), output: decision });
    const result = await execution.finished();

    expect(result.status).toBe('SUCCEEDED');
    expect(execution.path()).toEqual([
      'Triage',
      'EvidenceNeeded',
      'RequestEvidence',
      'EscalateEvidenceTimeout',
      'HandOff',
      'Resolve',
      'Resolved',
    ]);
    expect(escalations).toEqual(['evidence_timeout']);
    for (const name of execution.path()) entered.add(name);
  });

  it('escalates an overdue decision and waits for the team again', async () => {
    behaviours.Triage = () => ({ team: 'disputes', risk: 'low', urgency: 'normal', evidenceNeeded: false });
    const sfn = await engine(1);
    const execution = await run(sfn);

    await tokenFor('HandOff', 1);
    sfn.sendTaskSuccess({ taskToken: await tokenFor('HandOff', 1), output: decision });
    await execution.finished();

    expect(execution.path()).toEqual([
      'Triage',
      'EvidenceNeeded',
      'SendFirstResponse',
      'HandOff',
      'EscalateDecisionOverdue',
      'HandOff',
      'Resolve',
      'Resolved',
    ]);
    for (const name of execution.path()) entered.add(name);
  });

  it('escalates a step that fails for good and fails the execution with a clear error', async () => {
    behaviours.Triage = () => {
      throw Object.assign(new Error('case case_x does not exist'), { name: 'DomainRuleError' });
    };
    const sfn = await engine();
    const execution = await run(sfn);

    const result = await execution.finished();

    expect(result).toMatchObject({ status: 'FAILED', error: 'CaseStepFailed' });
    expect(execution.path()).toEqual(['Triage', 'EscalateStepFailure', 'CaseFailed']);
    for (const name of execution.path()) entered.add(name);
  });

  it('retries a step that lost an optimistic-concurrency race', async () => {
    let attempts = 0;
    behaviours.NotifySeller = () => {
      attempts += 1;
      if (attempts === 1) throw Object.assign(new Error('case changed'), { name: 'ConflictError' });
      return {};
    };
    behaviours.Triage = () => ({ team: 'disputes', risk: 'low', urgency: 'normal', evidenceNeeded: false });
    const sfn = await engine();
    const execution = await run(sfn);

    sfn.sendTaskSuccess({ taskToken: await tokenFor('HandOff'), output: decision });
    const result = await execution.finished();

    expect(result.status).toBe('SUCCEEDED');
    expect(attempts).toBe(2);
  });

  it('has entered every state of the definition across these paths', () => {
    expect([...entered].sort()).toEqual(Object.keys(asl.States).sort());
  });
});
