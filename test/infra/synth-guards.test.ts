import { App, Stack } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { describe, expect, it } from 'vitest';
import { ENV } from '../../functions/commons/env-names.ts';
import { FUNCTIONS, type FunctionId, type FunctionSpec } from '../../functions/registry.ts';
import { bindPlaceholders, callbackTasksWithoutTimeout } from '../../infra/aws/asl-definition.ts';
import { type AccessTargets, grantAccess } from '../../infra/aws/constructs/access-grants.ts';
import { CaseTable } from '../../infra/aws/constructs/case-table.ts';
import { SellerWorksFunction } from '../../infra/aws/constructs/sellerworks-function.ts';

/** A stack that skips bundling: these tests are about synth-time checks, not code. */
const emptyStack = (): Stack => new Stack(new App({ context: { 'aws:cdk:bundling-stacks': [] } }), 'Guards');
const specOf = (id: FunctionId): FunctionSpec => FUNCTIONS.find((spec) => spec.id === id)!;
/** Targets for functions that only use the table; nothing else is touched. */
const tableOnlyTargets = (stack: Stack, stepFunctionIds: FunctionId[] = []): AccessTargets =>
  ({
    table: new CaseTable(stack, 'Table') as ITable,
    stateMachines: new Map(),
    stepFunctionIds: new Set(stepFunctionIds),
    configuration: {},
  }) as Partial<AccessTargets> as AccessTargets;

describe('synth-time guards', () => {
  it('names the placeholder when an ASL uses one that no function binds', () => {
    const asl = {
      family: 'buyer-dispute',
      path: 'state-machines/asl/x.asl.json',
      text: `{"R":"\${TriageFunctionArm}"}`,
    } as const;

    const bind = () => bindPlaceholders(asl, new Map([['TriageFunctionArn', 'arn:triage']]));

    expect(bind).toThrow(/x\.asl\.json uses \$\{TriageFunctionArm\}, which nothing binds/);
  });

  it('finds a callback task without TimeoutSeconds even inside a Parallel branch', () => {
    const asl = JSON.stringify({
      StartAt: 'P',
      States: {
        P: {
          Type: 'Parallel',
          End: true,
          Branches: [
            {
              StartAt: 'Wait',
              States: {
                Wait: {
                  Type: 'Task',
                  Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
                  End: true,
                },
              },
            },
          ],
        },
      },
    });

    expect(callbackTasksWithoutTimeout(asl)).toEqual(['Wait']);
  });

  it('fails with the function and variable names when the registry lists an env var nobody provides', () => {
    const stack = emptyStack();
    const spec = { ...specOf('GetCase'), env: [ENV.tableName, ENV.portalUrl] };
    const fn = new SellerWorksFunction(stack, 'GetCase', { spec });

    const grant = () => grantAccess(fn, tableOnlyTargets(stack));

    expect(grant).toThrow(/function GetCase .* reads PORTAL_URL .* nothing in the stack provides a value/);
  });

  it('refuses Step Functions access for a function a state machine invokes (a dependency cycle)', () => {
    const stack = emptyStack();
    const spec: FunctionSpec = { ...specOf('Triage'), access: ['table:read', 'sfn:start'] };
    const fn = new SellerWorksFunction(stack, 'Triage', { spec });

    const grant = () => grantAccess(fn, tableOnlyTargets(stack, ['Triage']));

    expect(grant).toThrow(/Triage is invoked by a state machine and also asks for "sfn:start"/);
  });

  it('refuses to feed the table stream to a function whose access lacks table:stream', () => {
    const stack = emptyStack();
    const spec: FunctionSpec = { ...specOf('RecordMetrics'), access: [] };
    const fn = new SellerWorksFunction(stack, 'RecordMetrics', { spec });

    const consume = () => fn.consumeTableStream(new CaseTable(stack, 'Table') as ITable);

    expect(consume).toThrow(/RecordMetrics consumes the case table stream, .* access 'table:stream'/);
  });

  it('fails with the registry path when a handler file is missing', () => {
    const spec: FunctionSpec = { ...specOf('GetCase'), entry: 'functions/api/no-such-handler.ts' };

    const build = () => new SellerWorksFunction(emptyStack(), 'GetCase', { spec });

    expect(build).toThrow(/handler of function GetCase .* not found at functions\/api\/no-such-handler\.ts/);
  });
});
