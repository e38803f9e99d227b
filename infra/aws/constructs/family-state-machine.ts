import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { DefinitionBody, LogLevel, StateMachine, StateMachineType } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { FamilyId } from '#state-machines/catalog.ts';
import { type FunctionId, substitutionName } from '../../../functions/registry.ts';
import {
  bindPlaceholders,
  callbackTasksWithoutTimeout,
  findPlaceholders,
  readAsl,
} from '../asl-definition.ts';
import { acknowledge } from './nag-acknowledgements.ts';

export interface FamilyStateMachineProps {
  readonly family: FamilyId;
  /** The functions an ASL may invoke, by registry id; each is bound to `${<id>FunctionArn}`. */
  readonly functions: ReadonlyMap<FunctionId, IFunction>;
  /** @default RetentionDays.THREE_MONTHS */
  readonly logRetention?: RetentionDays;
  /** @default RemovalPolicy.RETAIN */
  readonly logRemovalPolicy?: RemovalPolicy;
}

/**
 * One issue family's Step Functions Standard state machine, deployed from the very ASL file the local
 * engine runs (state-machines/asl/<family>.asl.json), with `${<id>FunctionArn}` placeholders bound through
 * `definitionSubstitutions`. Its role may invoke exactly the functions the ASL names, nothing else.
 *
 * The file is inlined (`fromString` of its text) rather than uploaded as an asset (`fromFile`): the template
 * then shows the definition, so `cdk diff` reviews ASL changes and template assertions can read it.
 */
export class FamilyStateMachine extends Construct {
  readonly family: FamilyId;
  readonly stateMachine: StateMachine;
  readonly logGroup: LogGroup;
  /** Registry ids of the functions this state machine invokes, in placeholder order. */
  readonly invokedFunctionIds: readonly FunctionId[];

  constructor(scope: Construct, id: string, props: FamilyStateMachineProps) {
    super(scope, id);
    this.family = props.family;
    const asl = readAsl(props.family);

    const unbounded = callbackTasksWithoutTimeout(asl.text);
    if (unbounded.length > 0) {
      throw new Error(
        `SellerWorks synth: ${asl.path} has .waitForTaskToken task(s) without TimeoutSeconds: ` +
          `${unbounded.join(', ')}. Every callback wait needs its SLA hard cap (DESIGN.md decision 7).`,
      );
    }

    const bySubstitution = new Map<string, { readonly id: FunctionId; readonly fn: IFunction }>();
    for (const [functionId, fn] of props.functions)
      bySubstitution.set(substitutionName(functionId), { id: functionId, fn });
    const substitutions = bindPlaceholders(
      asl,
      new Map([...bySubstitution].map(([name, { fn }]) => [name, fn.functionArn])),
    );
    const invoked = findPlaceholders(asl.text).map((name) => bySubstitution.get(name)!);
    this.invokedFunctionIds = invoked.map(({ id: functionId }) => functionId);

    this.logGroup = new LogGroup(this, 'Logs', {
      // The /aws/vendedlogs/ prefix keeps Step Functions from adding each group to the account's size-limited
      // CloudWatch Logs resource policy.
      logGroupName: `/aws/vendedlogs/states/${Stack.of(this).stackName}-${props.family}`,
      retention: props.logRetention ?? RetentionDays.THREE_MONTHS,
      removalPolicy: props.logRemovalPolicy ?? RemovalPolicy.RETAIN,
    });

    this.stateMachine = new StateMachine(this, 'StateMachine', {
      stateMachineType: StateMachineType.STANDARD,
      definitionBody: DefinitionBody.fromString(asl.text),
      definitionSubstitutions: substitutions,
      tracingEnabled: true,
      // ALL events, but never their input/output: case data (and protected fields) must not land in logs.
      logs: { destination: this.logGroup, level: LogLevel.ALL, includeExecutionData: false },
      comment: `SellerWorks ${props.family} (${asl.path})`,
    });

    if (invoked.length > 0) {
      this.stateMachine.addToRolePolicy(
        new PolicyStatement({
          actions: ['lambda:InvokeFunction'],
          resources: invoked.map(({ fn }) => fn.functionArn),
        }),
      );
    }

    acknowledge(
      this.stateMachine,
      'AwsSolutions-IAM5[Resource::*]',
      'Added by CDK for execution logging and tracing: the CloudWatch Logs delivery APIs (CreateLogDelivery …) ' +
        'and X-Ray PutTraceSegments/GetSampling* support no resource-level permissions.',
    );
  }
}
