import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FUNCTIONS, substitutionName } from '../../functions/registry.ts';
import { ExecutionStore, LocalStepFunctions } from '../../infra/local/aws/index.ts';
import { aslPath, FAMILY_IDS } from '../../state-machines/catalog.ts';

/**
 * Every family's emitted ASL, unchanged but for its `${…FunctionArn}` bindings (and, for the timeout
 * paths, hard caps shortened to a second), on the local engine. The Lambda steps are stubs that follow a
 * scenario; the end-to-end tests drive the real handlers. Together the scenarios enter every state and
 * take every Choice branch of every family — the last test of each family checks that.
 */
const fnArn = (id: string) => `arn:aws:lambda:us-east-1:000000000000:function:${id}`;
const idOf = (arn: string) => arn.split(':').at(-1) ?? '';
const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

/** How each wait ends in a scenario; `timeout` lets the (shortened) hard cap pass. */
type Answer = 'reply' | 'timeout' | 'accept' | 'decline' | 'decide' | 'ask';
interface Scenario {
  readonly entry?: 'appeal' | 'reopen';
  readonly sellerEvidence?: boolean;
  readonly buyerEvidence?: boolean;
  /** `more`: the seller's answer to an agent's reply asking for more (HandOff answered `ask`). */
  readonly answers?: Partial<Record<'seller' | 'buyer' | 'mediation' | 'more', Answer>>;
  /** How each successive HandOff wait ends. */
  readonly handOff?: readonly Answer[];
  readonly failTriage?: boolean;
  /** The escalation fails for good too (a non-retryable error), and so, optionally, does the direct alert. */
  readonly failEscalate?: boolean;
  readonly failAlert?: boolean;
  /** Triage meets a throttle this many times before it answers. */
  readonly throttleTriage?: number;
}

const decision = { outcome: 'x', rationale: 'r', decidedBy: 'a', decidedAt: '2026-11-22T00:00:00Z' };

for (const family of FAMILY_IDS) {
  describe(`${family} state machine`, async () => {
    const asl = JSON.parse(await readFile(new URL(`../../${aslPath(family)}`, import.meta.url), 'utf8'));
    const states = Object.keys(asl.States);
    const entered = new Set<string>();
    const has = (name: string) => states.includes(name);

    const run = async (scenario: Scenario) => {
      let text = JSON.stringify(asl);
      for (const spec of FUNCTIONS)
        text = text.replaceAll(`\${${substitutionName(spec.id)}}`, fnArn(spec.id));
      const definition = JSON.parse(text);
      // The only change to the definition: where a scenario lets a wait run out, hard caps of days become a
      // second so the test can reach them (elsewhere they stay as emitted, so a slow machine cannot trip them).
      const letsWaitsRunOut =
        Object.values(scenario.answers ?? {}).includes('timeout') ||
        (scenario.handOff ?? []).includes('timeout');
      for (const state of Object.values(definition.States) as {
        Resource?: string;
        TimeoutSeconds?: number;
      }[]) {
        if (letsWaitsRunOut && state.Resource?.endsWith('.waitForTaskToken')) state.TimeoutSeconds = 1;
      }
      const dir = await mkdtemp(join(tmpdir(), 'sw-asl-'));
      dirs.push(dir);
      const arn = `arn:aws:states:us-east-1:000000000000:stateMachine:${family}-test`;
      let throttled = 0;
      const alerts: unknown[] = [];
      const handOffs = [...(scenario.handOff ?? ['decide'])];
      const sfn: LocalStepFunctions = new LocalStepFunctions({
        stateMachines: [{ name: `${family}-test`, arn, definition }],
        store: new ExecutionStore(join(dir, 'executions.sqlite')),
        invokeFunction: async (fn, payload) => {
          const input = payload as { taskToken?: string; party?: string; reply?: unknown };
          const answer = (a: Answer | undefined, output: unknown) => {
            if (a === undefined || a === 'timeout' || !input.taskToken) return;
            const token = input.taskToken;
            setTimeout(() => sfn.sendTaskSuccess({ taskToken: token, output: JSON.stringify(output) }), 5);
          };
          switch (idOf(fn)) {
            case 'Triage':
              if ((scenario.throttleTriage ?? 0) > throttled++)
                throw Object.assign(new Error('Rate exceeded'), { name: 'TransientError' });
              if (scenario.failTriage)
                throw Object.assign(new Error('no such case'), { name: 'DomainRuleError' });
              return {
                team: 't',
                risk: 'low',
                urgency: 'normal',
                evidenceNeeded: !!scenario.sellerEvidence,
                buyerEvidenceNeeded: !!scenario.buyerEvidence,
              };
            case 'RequestEvidence':
              answer(
                scenario.answers?.[input.reply ? 'more' : input.party === 'buyer' ? 'buyer' : 'seller'] ??
                  'reply',
                { received: [] },
              );
              return {};
            case 'OfferMediation': {
              const a = scenario.answers?.mediation ?? 'decline';
              answer(a, a === 'accept' ? { accepted: true, decision } : { accepted: false });
              return {};
            }
            case 'HandOff': {
              const a = handOffs.shift() ?? 'decide';
              // `ask`: the case's agent wrote to the seller for more (replies.ts), instead of deciding.
              answer(a, a === 'ask' ? { moreEvidence: { replyId: 'r', kinds: ['k'] } } : decision);
              return {};
            }
            case 'Escalate':
              if (scenario.failEscalate)
                throw Object.assign(new Error('table refused'), { name: 'DomainRuleError' });
              return { level: 1 };
            case 'AlertOperators':
              alerts.push(payload);
              if (scenario.failAlert)
                throw Object.assign(new Error('topic gone'), { name: 'NotFoundException' });
              return { messageId: 'm-1' };
            default:
              return {};
          }
        },
      });
      sfn.start();
      const started = sfn.startExecution({
        stateMachineArn: arn,
        name: 'case_x',
        input: JSON.stringify({
          caseId: 'case_x',
          family,
          ...(scenario.entry ? { entry: scenario.entry } : {}),
        }),
      });
      const executionArn = started.executionArn ?? '';
      const deadline = Date.now() + 15_000;
      let result = sfn.describeExecution({ executionArn });
      while (result.status === 'RUNNING' && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 10));
        result = sfn.describeExecution({ executionArn });
      }
      const path = (sfn.getExecutionHistory({ executionArn, maxResults: 1000 }).events ?? [])
        .filter((e) => e.type?.endsWith('StateEntered'))
        .map((e) => e.stateEnteredEventDetails?.name ?? '');
      for (const name of path) entered.add(name);
      return { status: result.status, error: result.error, path, alerts };
    };

    const decide = (mediation: 'decline' | 'accept' | 'timeout' = 'decline') => {
      const decided = ['HandOff', 'DecidedOrAsked', 'Resolve', 'Resolved'];
      if (!has('OfferMediation')) return decided;
      if (mediation === 'accept')
        return ['OfferMediation', 'MediationAccepted', 'ResolveSettlement', 'Resolved'];
      if (mediation === 'timeout') return ['OfferMediation', ...decided];
      return ['OfferMediation', 'MediationAccepted', ...decided];
    };
    const buyer = (needed: boolean, timeout = false) => {
      if (!has('BuyerEvidenceNeeded')) return [];
      if (!needed) return ['BuyerEvidenceNeeded'];
      return [
        'BuyerEvidenceNeeded',
        'RequestBuyerEvidence',
        ...(timeout ? ['EscalateBuyerEvidenceTimeout'] : []),
      ];
    };

    it.concurrent('asks for the missing evidence and resolves on the decision', async () => {
      const { status, path } = await run({ sellerEvidence: true, buyerEvidence: true });

      expect(status).toBe('SUCCEEDED');
      expect(path).toEqual([
        'Entry',
        'Triage',
        'EvidenceNeeded',
        'RequestEvidence',
        ...buyer(true),
        ...decide(),
      ]);
    });

    it.concurrent('sends the plain first response when no evidence is missing', async () => {
      const { status, path } = await run({ answers: { mediation: 'accept' } });

      expect(status).toBe('SUCCEEDED');
      expect(path).toEqual([
        'Entry',
        'Triage',
        'EvidenceNeeded',
        'SendFirstResponse',
        ...buyer(false),
        ...decide('accept'),
      ]);
    });

    it.concurrent('escalates unanswered evidence requests at their caps and goes on with the evidence at hand', async () => {
      const { status, path } = await run({
        sellerEvidence: true,
        buyerEvidence: true,
        answers: { seller: 'timeout', buyer: 'timeout', mediation: 'timeout' },
      });

      expect(status).toBe('SUCCEEDED');
      const afterCap = has('CloseForNoResponse')
        ? ['CloseForNoResponse', 'Resolved']
        : [...buyer(true, true), ...decide('timeout')];
      expect(path).toEqual([
        'Entry',
        'Triage',
        'EvidenceNeeded',
        'RequestEvidence',
        'EscalateEvidenceTimeout',
        ...afterCap,
      ]);
    });

    it.concurrent('escalates an overdue decision and waits for the team again', async () => {
      const { status, path } = await run({ handOff: ['timeout', 'decide'] });

      expect(status).toBe('SUCCEEDED');
      expect(path.slice(-6)).toEqual([
        'HandOff',
        'EscalateDecisionOverdue',
        'HandOff',
        'DecidedOrAsked',
        'Resolve',
        'Resolved',
      ]);
    });

    it.concurrent('sends an agent’s request for more to the seller, then back to the team', async () => {
      const { status, path } = await run({ handOff: ['ask', 'decide'] });

      expect(status).toBe('SUCCEEDED');
      expect(path.slice(-7)).toEqual([
        'HandOff',
        'DecidedOrAsked',
        'RequestMoreEvidence',
        'HandOff',
        'DecidedOrAsked',
        'Resolve',
        'Resolved',
      ]);
    });

    it.concurrent('escalates an unanswered request for more and goes back to the team at its cap', async () => {
      const { status, path } = await run({ handOff: ['ask', 'decide'], answers: { more: 'timeout' } });

      expect(status).toBe('SUCCEEDED');
      expect(path.slice(-6)).toEqual([
        'RequestMoreEvidence',
        'EscalateMoreEvidenceTimeout',
        'HandOff',
        'DecidedOrAsked',
        'Resolve',
        'Resolved',
      ]);
    });

    it.concurrent('takes an appeal straight to a new handoff, without triage', async () => {
      const { path } = await run({ entry: 'appeal' });

      expect(path).toEqual([
        'Entry',
        'AcknowledgeAppeal',
        'HandOff',
        'DecidedOrAsked',
        'Resolve',
        'Resolved',
      ]);
    });

    it.concurrent('takes a reopened case back to its team', async () => {
      const { path } = await run({ entry: 'reopen' });

      expect(path).toEqual([
        'Entry',
        'AcknowledgeReopen',
        'HandOff',
        'DecidedOrAsked',
        'Resolve',
        'Resolved',
      ]);
    });

    it.concurrent('escalates a step that fails for good and fails the execution with a clear error', async () => {
      const { status, error, path } = await run({ failTriage: true });

      expect(status).toBe('FAILED');
      expect(error).toBe('CaseStepFailed');
      expect(path).toEqual(['Entry', 'Triage', 'EscalateStepFailure', 'CaseFailed']);
    });

    it.concurrent('alerts operators directly when the escalation itself fails, then fails the run', async () => {
      const { status, error, path, alerts } = await run({ failTriage: true, failEscalate: true });

      expect(status).toBe('FAILED');
      expect(error).toBe('CaseEscalationFailed');
      expect(path).toEqual([
        'Entry',
        'Triage',
        'EscalateStepFailure',
        'AlertOperatorsDirectly',
        'EscalationFailed',
      ]);
      expect(alerts).toEqual([
        {
          caseId: 'case_x',
          family,
          execution: expect.stringContaining(':execution:'),
          error: { Error: 'DomainRuleError', Cause: expect.any(String) },
          escalationError: { Error: 'DomainRuleError', Cause: expect.any(String) },
        },
      ]);
    });

    it.concurrent('ends the run failed, never stuck, when even the direct alert fails', async () => {
      const { status, error, path } = await run({ failTriage: true, failEscalate: true, failAlert: true });

      expect(status).toBe('FAILED');
      expect(error).toBe('CaseEscalationFailed');
      expect(path.at(-1)).toBe('EscalationFailed');
    });

    it.concurrent('retries a step that met a throttle and goes on, instead of failing the case', async () => {
      const { status, path } = await run({ throttleTriage: 1 });

      expect(status).toBe('SUCCEEDED');
      expect(path.slice(0, 3)).toEqual(['Entry', 'Triage', 'EvidenceNeeded']);
    });

    it('has entered every state of its definition across these paths', () => {
      expect([...entered].sort()).toEqual([...states].sort());
    });
  });
}
