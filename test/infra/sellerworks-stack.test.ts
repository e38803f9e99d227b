import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROUTES } from '../../functions/api/routes.ts';
import { ENV } from '../../functions/commons/env-names.ts';
import { DOMAIN_EVENT_SOURCE, DOMAIN_EVENT_TYPES } from '../../functions/domain/domain-events.ts';
import { type CaseMetrics, metricPoints } from '../../functions/domain/metrics.ts';
import { TABLE_KEYS } from '../../functions/domain/table-design.ts';
import { FAMILIES } from '../../functions/policy/families.ts';
import { REGIONS, SELLER_TIERS } from '../../functions/policy/family-policy.ts';
import { INTAKE_CHANNELS } from '../../functions/policy/intake-fields.ts';
import { FUNCTIONS, type FunctionId, substitutionName } from '../../functions/registry.ts';
import { EVIDENCE_WORKING_DAYS } from '../../infra/aws/sellerworks-stack.ts';
import { FAMILY_IDS } from '../../state-machines/catalog.ts';
import { committedSchema } from '../support/event-schemas.ts';
import { type CfnResource, type CfnTemplate, type Synthesized, synthesize } from './synthesize.ts';

let synth: Synthesized;
beforeAll(() => {
  synth = synthesize({ bundle: false });
});

const resourcesOf = (json: CfnTemplate, type: string): [string, CfnResource][] =>
  Object.entries(json.Resources).filter(([, resource]) => resource.Type === type);
const arnOf = (logicalId: string) => ({ 'Fn::GetAtt': [logicalId, 'Arn'] });
const functionId = (id: FunctionId): string => synth.logicalId(synth.stack.functions.get(id)!);
const props = (logicalId: string): Record<string, unknown> =>
  synth.json.Resources[logicalId]?.Properties ?? {};
const propsOf = (resource: CfnResource): Record<string, unknown> => resource.Properties ?? {};

interface Statement {
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource?: unknown;
  readonly Condition?: Record<string, Record<string, unknown>>;
}
const policyStatements = (resource: CfnResource): Statement[] =>
  (propsOf(resource).PolicyDocument as { Statement: Statement[] }).Statement;
const asArray = <T>(value: T | T[] | undefined): T[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

/** Every identity-policy statement attached to a role (its DefaultPolicy and any inline policy), by role id. */
const statementsOfRole = (roleId: string): Statement[] => {
  const attached = resourcesOf(synth.json, 'AWS::IAM::Policy')
    .filter(([, policy]) =>
      asArray(policy.Properties?.Roles as unknown[]).some(
        (r) => JSON.stringify(r) === JSON.stringify({ Ref: roleId }),
      ),
    )
    .flatMap(([, policy]) => policyStatements(policy));
  const inline = asArray(props(roleId).Policies as { PolicyDocument: { Statement: Statement[] } }[]).flatMap(
    (policy) => policy.PolicyDocument.Statement,
  );
  return [...attached, ...inline];
};
const roleOfFunction = (id: FunctionId): string =>
  (props(functionId(id)).Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
const allowed = (statements: Statement[], action: string): Statement[] =>
  statements.filter((s) => s.Effect === 'Allow' && asArray(s.Action).includes(action));

describe('Lambda functions', () => {
  it('builds exactly the functions of the registry, each Node.js 22 on arm64 with active tracing', () => {
    // Plus CDK's BucketDeployment provider, which copies the ops console's files at deploy time.
    synth.template.resourceCountIs('AWS::Lambda::Function', FUNCTIONS.length + 1);
    for (const spec of FUNCTIONS) {
      const fn = props(functionId(spec.id));

      expect(fn.Runtime, spec.id).toBe('nodejs22.x');
      expect(fn.Architectures, spec.id).toEqual(['arm64']);
      expect(fn.TracingConfig, spec.id).toEqual({ Mode: 'Active' });
      expect(fn.MemorySize, spec.id).toBe(256);
      expect(fn.Handler, spec.id).toBe('index.handler');
    }
  });

  it('logs each function as JSON into its own log group with a retention', () => {
    for (const spec of FUNCTIONS) {
      const logging = props(functionId(spec.id)).LoggingConfig as {
        LogFormat: string;
        LogGroup: { Ref: string };
      };

      expect(logging.LogFormat).toBe('JSON');
      expect(synth.json.Resources[logging.LogGroup.Ref]?.Type).toBe('AWS::Logs::LogGroup');
      expect(props(logging.LogGroup.Ref).RetentionInDays).toBeGreaterThan(0);
    }
  });

  it('gives every function exactly the environment variables its registry entry lists (plus source maps)', () => {
    for (const spec of FUNCTIONS) {
      const variables = (props(functionId(spec.id)).Environment as { Variables: Record<string, unknown> })
        .Variables;

      expect(Object.keys(variables).sort(), spec.id).toEqual([...spec.env, 'NODE_OPTIONS'].sort());
      expect(variables.NODE_OPTIONS).toBe('--enable-source-maps');
    }
  });

  it('tells Resolve the fire-timer function its follow-up will ring, without letting it create schedules', () => {
    const variables = (props(functionId('Resolve')).Environment as { Variables: Record<string, unknown> })
      .Variables;

    expect(variables[ENV.timerFunctionArn]).toEqual({ 'Fn::GetAtt': [functionId('FireTimer'), 'Arn'] });
    const resolve = FUNCTIONS.find((f) => f.id === 'Resolve');
    expect(resolve?.access).not.toContain('timers:schedule');
    const statements = statementsOfRole(roleOfFunction('Resolve'));
    expect(allowed(statements, 'scheduler:CreateSchedule')).toHaveLength(0);
    expect(allowed(statements, 'scheduler:DeleteSchedule').length).toBeGreaterThan(0);
  });

  it('tells CreateCase the ARN of every family state machine as JSON keyed by family', () => {
    const variables = (props(functionId('CreateCase')).Environment as { Variables: Record<string, unknown> })
      .Variables;
    const rendered = JSON.stringify(variables[ENV.stateMachineArns]);

    for (const family of FAMILY_IDS) {
      const machineId = synth.logicalId(synth.stack.stateMachines.get(family)!.stateMachine);
      expect(rendered).toContain(`\\"${family}\\":\\"`);
      expect(rendered).toContain(JSON.stringify({ Ref: machineId }));
    }
  });

  it('lets functions write only to their own log group, with no AWS managed policy attached', () => {
    for (const spec of FUNCTIONS) {
      const roleId = roleOfFunction(spec.id);
      const logGroupId = (props(functionId(spec.id)).LoggingConfig as { LogGroup: { Ref: string } }).LogGroup
        .Ref;
      const logWrites = allowed(statementsOfRole(roleId), 'logs:PutLogEvents');

      expect(props(roleId).ManagedPolicyArns, spec.id).toBeUndefined();
      expect(logWrites.map((s) => s.Resource)).toEqual([arnOf(logGroupId)]);
    }
  });
});

describe('grants derived from the registry access lists', () => {
  const tableId = () => synth.logicalId(synth.stack.table);

  it('grants table writes only to functions whose access includes table:write', () => {
    for (const spec of FUNCTIONS) {
      const statements = statementsOfRole(roleOfFunction(spec.id));
      const writes = allowed(statements, 'dynamodb:PutItem');
      const reads = allowed(statements, 'dynamodb:Query');

      expect(reads.length > 0, spec.id).toBe((spec.access as readonly string[]).includes('table:read'));
      expect(writes.length > 0, spec.id).toBe((spec.access as readonly string[]).includes('table:write'));
      for (const statement of [...reads, ...writes]) {
        expect(JSON.stringify(statement.Resource)).toContain(tableId());
      }
    }
  });

  it('lets only functions with sfn:start start executions, on the family state machines', () => {
    const machineRefs = FAMILY_IDS.map((family) => ({
      Ref: synth.logicalId(synth.stack.stateMachines.get(family)!.stateMachine),
    }));
    for (const spec of FUNCTIONS) {
      const starts = allowed(statementsOfRole(roleOfFunction(spec.id)), 'states:StartExecution');

      expect(starts.length > 0, spec.id).toBe((spec.access as readonly string[]).includes('sfn:start'));
      const byRef = (a: unknown, b: unknown) => JSON.stringify(a).localeCompare(JSON.stringify(b));
      for (const statement of starts) {
        expect([...asArray(statement.Resource)].sort(byRef)).toEqual([...machineRefs].sort(byRef));
      }
    }
  });

  it('lets only functions with sfn:task-response send task results, scoped to the state machines', () => {
    for (const spec of FUNCTIONS) {
      const responses = allowed(statementsOfRole(roleOfFunction(spec.id)), 'states:SendTaskSuccess');

      expect(responses.length > 0, spec.id).toBe(
        (spec.access as readonly string[]).includes('sfn:task-response'),
      );
      for (const statement of responses) {
        expect(JSON.stringify(statement.Resource)).toContain('BuyerDisputeStateMachine');
      }
    }
  });

  it('scopes ses:SendEmail to the sending identity and configuration set, from the configured address', () => {
    const senders = FUNCTIONS.filter((spec) => (spec.access as readonly string[]).includes('ses:send'));
    expect(senders.length).toBeGreaterThan(0);
    for (const spec of FUNCTIONS) {
      const sends = allowed(statementsOfRole(roleOfFunction(spec.id)), 'ses:SendEmail');

      expect(sends.length > 0, spec.id).toBe(senders.includes(spec));
      for (const statement of sends) {
        const resources = JSON.stringify(statement.Resource);
        expect(resources).toContain(':identity/');
        expect(resources).toContain(':configuration-set/');
        expect(statement.Condition?.StringEquals?.['ses:FromAddress']).toBeDefined();
      }
    }
  });

  it('lets only the escalating function publish, to the escalation topic, with its KMS key', () => {
    const topicId = synth.logicalId(synth.stack.escalation.topic);
    const keyId = synth.logicalId(synth.stack.escalation.key);
    for (const spec of FUNCTIONS) {
      const statements = statementsOfRole(roleOfFunction(spec.id));
      const publishes = allowed(statements, 'sns:Publish');

      expect(publishes.length > 0, spec.id).toBe((spec.access as readonly string[]).includes('sns:escalate'));
      if (publishes.length > 0) {
        expect(publishes.map((s) => s.Resource)).toEqual([{ Ref: topicId }]);
        expect(allowed(statements, 'kms:GenerateDataKey').map((s) => s.Resource)).toEqual([arnOf(keyId)]);
      }
    }
  });

  it('lets InboundEmail read only the inbound prefix and only put evidence', () => {
    const statements = statementsOfRole(roleOfFunction('InboundEmail'));
    const inboundId = synth.logicalId(synth.stack.inboundMail.bucket);
    const evidenceId = synth.logicalId(synth.stack.evidenceBucket);

    expect(allowed(statements, 's3:GetObject').map((s) => s.Resource)).toEqual([
      { 'Fn::Join': ['', [arnOf(inboundId), '/inbound/*']] },
    ]);
    expect(allowed(statements, 's3:PutObject').map((s) => s.Resource)).toEqual([
      { 'Fn::Join': ['', [arnOf(evidenceId), '/*']] },
    ]);
    expect(statements.filter((s) => asArray(s.Action).some((a) => a.startsWith('s3:')))).toHaveLength(2);
  });

  it('lets only functions with secret:reply-token read the signing secret', () => {
    for (const spec of FUNCTIONS) {
      const reads = allowed(statementsOfRole(roleOfFunction(spec.id)), 'secretsmanager:GetSecretValue');

      expect(reads.length > 0, spec.id).toBe(
        (spec.access as readonly string[]).includes('secret:reply-token'),
      );
    }
  });
});

describe('IAM hygiene', () => {
  const allStatements = (): Statement[] => [
    ...resourcesOf(synth.json, 'AWS::IAM::Policy').flatMap(([, policy]) => policyStatements(policy)),
    ...resourcesOf(synth.json, 'AWS::IAM::Role').flatMap(([, role]) =>
      asArray(role.Properties?.Policies as { PolicyDocument: { Statement: Statement[] } }[]).flatMap(
        (p) => p.PolicyDocument.Statement,
      ),
    ),
  ];

  it('never allows Action "*" or a whole-service wildcard', () => {
    for (const statement of allStatements()) {
      for (const action of asArray(statement.Action)) {
        expect(action).not.toBe('*');
        expect(action).not.toMatch(/^[a-z0-9-]+:\*$/);
      }
    }
  });

  it('never allows DynamoDB, SNS or S3 actions on Resource "*"', () => {
    const dataActions = allStatements().filter((s) =>
      asArray(s.Action).some((action) => /^(dynamodb|sns|s3):/.test(action)),
    );

    expect(dataActions.length).toBeGreaterThan(0);
    for (const statement of dataActions) expect(asArray(statement.Resource)).not.toContain('*');
  });
});

describe('state machines', () => {
  const machine = (family: (typeof FAMILY_IDS)[number]) => {
    const construct = synth.stack.stateMachines.get(family)!;
    return { construct, id: synth.logicalId(construct.stateMachine) };
  };

  it('deploys one Standard state machine per family, traced, logging ALL without execution data', () => {
    synth.template.resourceCountIs('AWS::StepFunctions::StateMachine', FAMILY_IDS.length);
    for (const family of FAMILY_IDS) {
      const sm = props(machine(family).id);

      expect(sm.StateMachineType).toBe('STANDARD');
      expect(sm.TracingConfiguration).toEqual({ Enabled: true });
      expect(sm.LoggingConfiguration).toMatchObject({ Level: 'ALL', IncludeExecutionData: false });
    }
  });

  it(`binds every \${placeholder} of each definition to the ARN of the function it names`, () => {
    for (const family of FAMILY_IDS) {
      const sm = props(machine(family).id);
      const definition = sm.DefinitionString as string;
      const substitutions = sm.DefinitionSubstitutions as Record<string, unknown>;
      const placeholders = [...new Set(Array.from(definition.matchAll(/\$\{([^}]*)\}/g), (m) => m[1] ?? ''))];

      expect(typeof definition).toBe('string');
      expect(placeholders.length).toBeGreaterThan(0);
      expect(Object.keys(substitutions).sort()).toEqual(placeholders.sort());
      for (const name of placeholders) {
        const spec = FUNCTIONS.find((f) => substitutionName(f.id) === name);
        expect(spec, `${family}: \${${name}}`).toBeDefined();
        expect(substitutions[name]).toEqual(arnOf(functionId(spec!.id)));
      }
    }
  });

  it('lets each state machine role invoke exactly the functions its definition names', () => {
    for (const family of FAMILY_IDS) {
      const { construct, id } = machine(family);
      const roleId = (props(id).RoleArn as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
      const invokes = allowed(statementsOfRole(roleId), 'lambda:InvokeFunction');
      const expected = construct.invokedFunctionIds.map((fid) => arnOf(functionId(fid)));

      expect(construct.invokedFunctionIds.length).toBeGreaterThan(0);
      expect(invokes.flatMap((s) => asArray(s.Resource))).toEqual(expected);
    }
  });
});

describe('HTTP API', () => {
  // The portal's authorizer; the staff pool's, on the /ops routes, is ops-console.test.ts's.
  const ofIntakeApi = ([, resource]: [string, CfnResource]) =>
    JSON.stringify(resource.Properties?.ApiId) ===
    JSON.stringify({ Ref: synth.logicalId(synth.stack.api.api) });
  const authorizers = () =>
    resourcesOf(synth.json, 'AWS::ApiGatewayV2::Authorizer').filter(
      ([, a]) => ofIntakeApi(['', a]) && a.Properties?.Name === 'JwtAuthorizer',
    );

  it('has one portal JWT authorizer whose issuer and audience are stack parameters', () => {
    expect(authorizers()).toHaveLength(1);
    expect(authorizers()[0]?.[1].Properties).toMatchObject({
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: { Issuer: { Ref: 'JwtIssuer' }, Audience: [{ Ref: 'JwtAudience' }] },
    });
    expect(synth.json.Parameters).toHaveProperty('JwtIssuer');
    expect(synth.json.Parameters).toHaveProperty('JwtAudience');
  });

  it('has exactly the routes of routes.ts, each behind a JWT authorizer (or none, as marked) and wired to its function', () => {
    const [authorizerId] = authorizers()[0]!;
    const routes = resourcesOf(synth.json, 'AWS::ApiGatewayV2::Route').filter(ofIntakeApi);

    expect(routes.map(([, r]) => r.Properties?.RouteKey).sort()).toEqual(
      ROUTES.map((r) => `${r.method} ${r.path}`).sort(),
    );
    for (const spec of ROUTES) {
      const [, route] = routes.find(([, r]) => r.Properties?.RouteKey === `${spec.method} ${spec.path}`)!;
      const target = JSON.stringify(route.Properties?.Target);
      const integrationId = /"Ref":"([^"]+)"/.exec(target)?.[1] ?? '';

      if ('auth' in spec && spec.auth === 'none') {
        // A page an email links to: no authorizer; its signed path token is checked by the handler.
        expect(route.Properties?.AuthorizationType).toBe('NONE');
        expect(route.Properties?.AuthorizerId).toBeUndefined();
      } else if (spec.path.startsWith('/ops/'))
        // The staff pool's authorizer (ops-console.test.ts checks which).
        expect(route.Properties?.AuthorizationType).toBe('JWT');
      else
        expect(route.Properties).toMatchObject({
          AuthorizationType: 'JWT',
          AuthorizerId: { Ref: authorizerId },
        });
      expect(props(integrationId)).toMatchObject({
        IntegrationType: 'AWS_PROXY',
        PayloadFormatVersion: '2.0',
        IntegrationUri: arnOf(functionId(spec.functionId)),
      });
    }
  });

  it('serves a $default stage with access logs and throttling', () => {
    synth.template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      AccessLogSettings: { DestinationArn: Match.anyValue(), Format: Match.stringLikeRegexp('requestId') },
      DefaultRouteSettings: { ThrottlingRateLimit: Match.anyValue(), ThrottlingBurstLimit: Match.anyValue() },
    });
  });

  it('takes its throttles as parameters sized for a million cases a day, intake with one of its own', () => {
    const parameters = synth.template.toJSON().Parameters as Record<string, Record<string, unknown>>;
    expect(parameters.ApiRateLimit).toMatchObject({ Type: 'Number', Default: 1500 });
    expect(parameters.ApiBurstLimit).toMatchObject({ Type: 'Number', Default: 3000 });
    expect(parameters.IntakeRateLimit).toMatchObject({ Type: 'Number', Default: 300 });
    expect(parameters.IntakeBurstLimit).toMatchObject({ Type: 'Number', Default: 600 });
    synth.template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      DefaultRouteSettings: {
        ThrottlingRateLimit: { Ref: 'ApiRateLimit' },
        ThrottlingBurstLimit: { Ref: 'ApiBurstLimit' },
      },
      RouteSettings: {
        'POST /cases': {
          ThrottlingRateLimit: { Ref: 'IntakeRateLimit' },
          ThrottlingBurstLimit: { Ref: 'IntakeBurstLimit' },
        },
      },
    });
  });
});

describe('case table', () => {
  it('matches TABLE_KEYS: keys, the GSIs and TTL; on-demand with point-in-time recovery', () => {
    synth.template.resourceCountIs('AWS::DynamoDB::Table', 1);
    synth.template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [
        { AttributeName: TABLE_KEYS.partitionKey, KeyType: 'HASH' },
        { AttributeName: TABLE_KEYS.sortKey, KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: TABLE_KEYS.indexes.map((index) => ({
        IndexName: index.name,
        KeySchema: [
          { AttributeName: index.partitionKey, KeyType: 'HASH' },
          { AttributeName: index.sortKey, KeyType: 'RANGE' },
        ],
        Projection:
          index.projection.length > 0
            ? { ProjectionType: 'INCLUDE', NonKeyAttributes: [...index.projection] }
            : { ProjectionType: 'KEYS_ONLY' },
      })),
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      TimeToLiveSpecification: { AttributeName: TABLE_KEYS.ttlAttribute, Enabled: true },
    });
  });

  it('has the sparse outboxDue index the outbox sweep reads: keys only', () => {
    const table = resourcesOf(synth.json, 'AWS::DynamoDB::Table')[0]?.[1];
    const indexes = propsOf(table!).GlobalSecondaryIndexes as { IndexName: string; Projection: unknown }[];

    expect(indexes.find((i) => i.IndexName === 'outboxDue')?.Projection).toEqual({
      ProjectionType: 'KEYS_ONLY',
    });
  });

  it('is retained when the stack is deleted', () => {
    synth.template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
  });
});

describe('email', () => {
  it('receives reply-domain mail into S3 under inbound/ first, then invokes InboundEmail asynchronously', () => {
    const rules = resourcesOf(synth.json, 'AWS::SES::ReceiptRule');
    const inboundId = synth.logicalId(synth.stack.inboundMail.bucket);

    expect(rules).toHaveLength(1);
    const rule = rules[0]![1].Properties?.Rule as {
      Actions: Record<string, unknown>[];
      Recipients: unknown[];
    };
    expect(rule.Actions.map((action) => Object.keys(action))).toEqual([['S3Action'], ['LambdaAction']]);
    expect(rule.Actions[0]?.S3Action).toMatchObject({
      BucketName: { Ref: inboundId },
      ObjectKeyPrefix: 'inbound/',
    });
    expect(rule.Actions[1]?.LambdaAction).toEqual({
      FunctionArn: arnOf(functionId('InboundEmail')),
      InvocationType: 'Event',
    });
    expect(rule.Recipients[0]).toEqual({ Ref: 'ReplyDomain' });
    // The sending address too, for replies from clients that drop Reply-To (matched by thread or case tag).
    expect(JSON.stringify(rule.Recipients[1])).toContain('MailDomain');
    expect(rule).toMatchObject({
      ScanEnabled: true,
      TlsPolicy: 'Require',
    });
  });

  it('parks InboundEmail events that fail every retry in an encrypted dead-letter queue', () => {
    const deadLetters = props(functionId('InboundEmail')).DeadLetterConfig as {
      TargetArn: { 'Fn::GetAtt': [string, string] };
    };
    const queueId = deadLetters.TargetArn['Fn::GetAtt'][0];

    expect(synth.json.Resources[queueId]?.Type).toBe('AWS::SQS::Queue');
    expect(props(queueId).SqsManagedSseEnabled).toBe(true);
    synth.template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: functionId('InboundEmail') },
      MaximumRetryAttempts: 2,
    });
  });

  it('lets SES put objects into the inbound prefix only for this account', () => {
    const inboundId = synth.logicalId(synth.stack.inboundMail.bucket);

    synth.template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: inboundId },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Allow',
            Principal: { Service: 'ses.amazonaws.com' },
            Action: 's3:PutObject',
            Resource: { 'Fn::Join': ['', [arnOf(inboundId), '/inbound/*']] },
            Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
          }),
        ]),
      },
    });
  });

  it('lets SES invoke InboundEmail only on behalf of this account', () => {
    synth.template.hasResourceProperties('AWS::Lambda::Permission', {
      FunctionName: Match.objectLike({ 'Fn::GetAtt': [functionId('InboundEmail'), 'Arn'] }),
      Principal: 'ses.amazonaws.com',
      SourceAccount: { Ref: 'AWS::AccountId' },
    });
  });

  it('sends through a configuration set that requires TLS, from the MailDomain identity', () => {
    synth.template.hasResourceProperties('AWS::SES::ConfigurationSet', {
      DeliveryOptions: { TlsPolicy: 'REQUIRE' },
    });
    synth.template.hasResourceProperties('AWS::SES::EmailIdentity', {
      EmailIdentity: { Ref: 'MailDomain' },
      ConfigurationSetAttributes: { ConfigurationSetName: Match.anyValue() },
    });
  });

  it('generates the reply-token signing secret', () => {
    synth.template.hasResourceProperties('AWS::SecretsManager::Secret', {
      GenerateSecretString: Match.objectLike({ PasswordLength: 64 }),
    });
  });
});

describe('storage and messaging hardening', () => {
  it('encrypts every bucket, blocks public access, expires objects and requires TLS', () => {
    const buckets = resourcesOf(synth.json, 'AWS::S3::Bucket');
    const policies = resourcesOf(synth.json, 'AWS::S3::BucketPolicy');

    // Evidence, inbound mail, access logs, the console's files and its CloudFront logs.
    expect(buckets).toHaveLength(5);
    // The console's files are replaced by each deploy and must not expire between deploys.
    const consoleAssets = synth.logicalId(synth.stack.opsConsole.bucket);
    for (const [id, bucket] of buckets) {
      expect(bucket.Properties).toMatchObject({
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
        },
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
      });
      const rules = (propsOf(bucket).LifecycleConfiguration as { Rules: { ExpirationInDays?: number }[] })
        .Rules;
      expect(
        rules.some((rule) => (rule.ExpirationInDays ?? 0) > 0),
        id,
      ).toBe(id !== consoleAssets);
      const policy = policies.find(
        ([, p]) => JSON.stringify(p.Properties?.Bucket) === JSON.stringify({ Ref: id }),
      );
      expect(JSON.stringify(policy?.[1].Properties?.PolicyDocument), id).toContain(
        '"aws:SecureTransport":"false"',
      );
    }
  });

  it('moves evidence to Glacier Instant Retrieval once every appeal and reopen window has passed', () => {
    const longest = Math.max(
      ...Object.values(FAMILIES).map((f) => Math.max(f.windows.appealDays, f.windows.reopenDays)),
    );

    expect(EVIDENCE_WORKING_DAYS).toBeGreaterThan(longest);
    synth.template.hasResourceProperties('AWS::S3::Bucket', {
      VersioningConfiguration: { Status: 'Enabled' },
      LifecycleConfiguration: {
        Rules: [
          Match.objectLike({
            ExpirationInDays: 730,
            Transitions: [{ StorageClass: 'GLACIER_IR', TransitionInDays: EVIDENCE_WORKING_DAYS }],
          }),
        ],
      },
    });
  });

  it('encrypts the escalation topic with a rotating KMS key and refuses plain-HTTP publishing', () => {
    synth.template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    synth.template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    synth.template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });
});

describe('outputs', () => {
  it('exports the API URL, table name, state machine ARNs and escalation topic ARN', () => {
    const outputs = Object.keys(synth.json.Outputs ?? {});

    expect(outputs).toEqual(
      expect.arrayContaining([
        'ApiUrl',
        'CaseTableName',
        'EscalationTopicArn',
        'BuyerDisputeStateMachineArn',
      ]),
    );
  });
});

describe('cdk-nag AwsSolutions', () => {
  it('reports no unacknowledged errors', () => {
    const errors = synth.nagViolations
      .filter((violation) => violation.severity === 'error')
      .map(
        (violation) =>
          `${violation.ruleName}: ${violation.violatingResources.map((r) => r.constructPath).join(', ')}`,
      );

    expect(errors).toEqual([]);
  });
});

describe('support scoreboard', () => {
  const tableId = () => synth.logicalId(synth.stack.table);
  const recordMetricsRole = () => roleOfFunction('RecordMetrics');
  const mappings = () => resourcesOf(synth.json, 'AWS::Lambda::EventSourceMapping');
  const mappingOf = (id: FunctionId) => {
    const found = mappings().find(
      ([, r]) => JSON.stringify(propsOf(r).FunctionName) === JSON.stringify({ Ref: functionId(id) }),
    );
    if (!found) throw new Error(`no event source mapping for ${id}`);
    return found[1];
  };
  const recordMetricsMapping = () => mappingOf('RecordMetrics');
  const dashboard = () => {
    const [[, resource] = []] = resourcesOf(synth.json, 'AWS::CloudWatch::Dashboard');
    const body = propsOf(resource!).DashboardBody as { 'Fn::Join': [string, unknown[]] };
    // The body is JSON joined around the region token; any stand-in for the token keeps it parseable.
    const text = body['Fn::Join'][1].map((part) => (typeof part === 'string' ? part : 'REGION')).join('');
    return { properties: propsOf(resource!), text, json: JSON.parse(text) as { widgets: unknown[] } };
  };

  it('has two readers of the table stream, as a stream shard takes at most two at once', () => {
    const readers = mappings().filter(([, r]) =>
      JSON.stringify(propsOf(r).EventSourceArn).includes('StreamArn'),
    );
    expect(readers.map(([, r]) => JSON.stringify(propsOf(r).FunctionName)).sort()).toEqual(
      [functionId('FoldCaseChanges'), functionId('RecordMetrics')]
        .map((id) => JSON.stringify({ Ref: id }))
        .sort(),
    );
  });

  it('invokes FoldCaseChanges with case changes, new evidence and new message.sent events only, from the stream start', () => {
    const mapping = propsOf(mappingOf('FoldCaseChanges'));
    const patterns = (mapping.FilterCriteria as { Filters: { Pattern: string }[] }).Filters.map((f) =>
      JSON.parse(f.Pattern),
    );

    expect(mapping.StartingPosition).toBe('TRIM_HORIZON');
    expect(patterns).toEqual([
      {
        eventName: ['INSERT', 'MODIFY'],
        dynamodb: { Keys: { pk: { S: [{ prefix: 'CASE#' }] }, sk: { S: ['CASE'] } } },
      },
      {
        eventName: ['INSERT'],
        dynamodb: { Keys: { pk: { S: [{ prefix: 'CASE#' }] }, sk: { S: [{ prefix: 'EVIDENCE#' }] } } },
      },
      {
        eventName: ['INSERT'],
        dynamodb: {
          Keys: { pk: { S: [{ prefix: 'CASE#' }] }, sk: { S: [{ prefix: 'EVENT#' }] } },
          NewImage: { type: { S: ['message.sent'] } },
        },
      },
    ]);
  });

  it('streams every change of the case table with the item before and after it', () => {
    synth.template.hasResourceProperties('AWS::DynamoDB::Table', {
      StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
    });
  });

  it('invokes RecordMetrics from the table stream, case items only, from the latest record, with bounded retries', () => {
    expect(mappings()).toHaveLength(2);
    const mapping = propsOf(recordMetricsMapping());
    const [filter] = (mapping.FilterCriteria as { Filters: { Pattern: string }[] }).Filters;

    expect(mapping).toMatchObject({
      FunctionName: { Ref: functionId('RecordMetrics') },
      EventSourceArn: { 'Fn::GetAtt': [tableId(), 'StreamArn'] },
      StartingPosition: 'LATEST',
      BatchSize: 100,
      BisectBatchOnFunctionError: true,
    });
    expect(mapping.MaximumRetryAttempts).toBeGreaterThanOrEqual(1);
    expect(mapping.MaximumRetryAttempts).toBeLessThanOrEqual(5);
    expect(JSON.parse(filter!.Pattern)).toEqual({
      eventName: ['INSERT', 'MODIFY'],
      dynamodb: { Keys: { pk: { S: [{ prefix: 'CASE#' }] }, sk: { S: ['CASE'] } } },
    });
  });

  it('folds every change into the scoreboard totals from the oldest record the stream holds (each change counts once)', () => {
    const mapping = propsOf(mappingOf('FoldCaseChanges'));

    expect(mapping).toMatchObject({
      EventSourceArn: { 'Fn::GetAtt': [tableId(), 'StreamArn'] },
      StartingPosition: 'TRIM_HORIZON',
      BisectBatchOnFunctionError: true,
    });
    // Its transactions put fold markers and add to the totals (DynamoDB authorises each item's action).
    const statements = statementsOfRole(roleOfFunction('FoldCaseChanges'));
    expect(allowed(statements, 'dynamodb:PutItem').length).toBeGreaterThan(0);
    expect(allowed(statements, 'dynamodb:UpdateItem').length).toBeGreaterThan(0);
  });

  it('records batches that fail every retry in an encrypted queue, the only queue RecordMetrics may send to', () => {
    const mapping = propsOf(recordMetricsMapping());
    const destination = (mapping.DestinationConfig as { OnFailure: { Destination: unknown } }).OnFailure
      .Destination as { 'Fn::GetAtt': [string, string] };
    const queueId = destination['Fn::GetAtt'][0];
    const sends = allowed(statementsOfRole(recordMetricsRole()), 'sqs:SendMessage');

    expect(synth.json.Resources[queueId]?.Type).toBe('AWS::SQS::Queue');
    expect(props(queueId).SqsManagedSseEnabled).toBe(true);
    expect(sends.map((s) => s.Resource)).toEqual([arnOf(queueId)]);
  });

  it('lets RecordMetrics read the case table’s stream and nothing else of the table', () => {
    const dynamodb = statementsOfRole(recordMetricsRole()).filter((s) =>
      asArray(s.Action).some((action) => action.startsWith('dynamodb:')),
    );

    expect(dynamodb.map((s) => ({ actions: [...asArray(s.Action)].sort(), resource: s.Resource }))).toEqual([
      {
        actions: ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator'],
        resource: { 'Fn::GetAtt': [tableId(), 'StreamArn'] },
      },
      {
        actions: ['dynamodb:ListStreams'],
        resource: { 'Fn::Join': ['', [arnOf(tableId()), '/stream/*']] },
      },
    ]);
  });

  it('gives the stream function the stream timeout and no environment beyond source maps', () => {
    const fn = props(functionId('RecordMetrics'));

    expect(fn.Timeout).toBe(30);
    expect(Object.keys((fn.Environment as { Variables: object }).Variables)).toEqual(['NODE_OPTIONS']);
  });

  it('lets GetCaseExecution describe the family state machines and read their executions, nothing more', () => {
    const statements = statementsOfRole(roleOfFunction('GetCaseExecution'));
    const states = statements.filter((s) => asArray(s.Action).some((a) => a.startsWith('states:')));
    const machineIds = FAMILY_IDS.map((family) =>
      synth.logicalId(synth.stack.stateMachines.get(family)!.stateMachine),
    );
    const executionArn = (machineId: string) => ({
      'Fn::Join': [
        '',
        [
          'arn:',
          { Ref: 'AWS::Partition' },
          ':states:',
          { Ref: 'AWS::Region' },
          ':',
          { Ref: 'AWS::AccountId' },
          ':execution:',
          { 'Fn::GetAtt': [machineId, 'Name'] },
          ':*',
        ],
      ],
    });
    const byJson = (a: unknown, b: unknown) => JSON.stringify(a).localeCompare(JSON.stringify(b));

    expect([...new Set(states.flatMap((s) => asArray(s.Action)))].sort()).toEqual([
      'states:DescribeExecution',
      'states:DescribeStateMachine',
      'states:GetExecutionHistory',
    ]);
    expect(
      allowed(states, 'states:DescribeStateMachine')
        .flatMap((s) => asArray(s.Resource))
        .sort(byJson),
    ).toEqual(machineIds.map((id) => ({ Ref: id })).sort(byJson));
    for (const action of ['states:DescribeExecution', 'states:GetExecutionHistory']) {
      expect(
        allowed(states, action)
          .flatMap((s) => asArray(s.Resource))
          .sort(byJson),
        action,
      ).toEqual(machineIds.map(executionArn).sort(byJson));
    }
  });

  it('lets only functions with sfn:read read executions', () => {
    for (const spec of FUNCTIONS) {
      const reads = allowed(statementsOfRole(roleOfFunction(spec.id)), 'states:GetExecutionHistory');

      expect(reads.length > 0, spec.id).toBe((spec.access as readonly string[]).includes('sfn:read'));
    }
  });

  it('lets GetOpsCase get evidence files (to sign download links) and tells it the bucket', () => {
    const statements = statementsOfRole(roleOfFunction('GetOpsCase'));
    const evidenceId = synth.logicalId(synth.stack.evidenceBucket);
    const variables = (props(functionId('GetOpsCase')).Environment as { Variables: Record<string, unknown> })
      .Variables;

    expect(allowed(statements, 's3:GetObject').flatMap((s) => asArray(s.Resource))).toEqual([
      { 'Fn::Join': ['', [arnOf(evidenceId), '/cases/*']] },
      { 'Fn::Join': ['', [arnOf(evidenceId), '/uploads/*']] },
    ]);
    expect(statements.filter((s) => asArray(s.Action).some((a) => a.startsWith('s3:')))).toHaveLength(1);
    expect(variables[ENV.evidenceBucket]).toEqual({ Ref: evidenceId });
  });

  it('builds one dashboard named after the stack, with a line per family, tier, channel and region', () => {
    const { properties, text } = dashboard();

    synth.template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    expect(properties.DashboardName).toBe('SellerWorks-Support');
    for (const [dimension, values] of [
      ['Family', FAMILY_IDS],
      ['SellerTier', SELLER_TIERS],
      ['Channel', INTAKE_CHANNELS],
      ['Region', REGIONS],
    ] as const) {
      for (const value of values)
        expect(text, `${dimension}=${value}`).toContain(`"${dimension}","${value}"`);
    }
  });

  it('draws the rates as metric math over counts, for all cases and per family, and durations in hours', () => {
    const { text } = dashboard();
    const expressions = (key: string) => [
      `100 * FILL(casesreopened_${key}, 0) / casesresolved_${key}`,
      `100 * FILL(casesescalated_${key}, 0) / casesopened_${key}`,
      `FILL(transfers_${key}, 0) / casesopened_${key}`,
      `100 * FILL(solvedwithouttouch_${key}, 0) / casesresolved_${key}`,
      `FILL(manualtouches_${key}, 0) / casesresolved_${key}`,
      `timetoresolution_p90_${key} / 3600`,
      `firstresponsetime_p50_${key} / 3600`,
    ];

    for (const key of ['all', ...FAMILY_IDS.map((family) => family.replaceAll('-', '_'))]) {
      for (const expression of expressions(key)) expect(text, key).toContain(`"expression":"${expression}"`);
    }
    expect(text).toContain('"stat":"p90"');
  });

  it('charts every metric the stream can log', () => {
    const { text } = dashboard();
    const before: CaseMetrics = {
      receivedAt: '2026-11-22T00:00:00.000Z',
      resolutions: 0,
      reopens: 0,
      appeals: 0,
      transfers: 0,
      escalations: 0,
      manualTouches: 0,
    };
    const after: CaseMetrics = {
      ...before,
      firstResponseAt: '2026-11-22T01:00:00.000Z',
      resolvedAt: '2026-11-22T05:00:00.000Z',
      resolutions: 1,
      reopens: 1,
      transfers: 1,
      escalations: 1,
      manualTouches: 1,
    };
    const names = [...metricPoints(undefined, before), ...metricPoints(before, after)].map((p) => p.name);

    expect(names.length).toBeGreaterThanOrEqual(9);
    for (const name of names) {
      // Escalations (a count of escalation steps) is logged for Logs Insights; the scoreboard's rate uses
      // CasesEscalated (cases escalated at least once).
      if (name === 'Escalations') continue;
      expect(text, name).toContain(`"SellerWorks","${name}"`);
    }
  });

  it('outputs the dashboard URL', () => {
    const { Value } = synth.json.Outputs?.SupportDashboardUrl ?? { Value: undefined };
    const dashboardId = resourcesOf(synth.json, 'AWS::CloudWatch::Dashboard')[0]![0];

    expect(JSON.stringify(Value)).toContain('.console.aws.amazon.com/cloudwatch/home?region=');
    expect(JSON.stringify(Value)).toContain(JSON.stringify({ Ref: dashboardId }));
  });
});

describe('outbox sweep', () => {
  it('runs SweepOutbox every minute from an EventBridge rule, without retries (the next run comes anyway)', () => {
    const rules = resourcesOf(synth.json, 'AWS::Events::Rule').filter(([, rule]) =>
      JSON.stringify(propsOf(rule).Targets).includes(functionId('SweepOutbox')),
    );

    expect(rules).toHaveLength(1);
    expect(propsOf(rules[0]![1])).toMatchObject({
      ScheduleExpression: 'rate(1 minute)',
      State: 'ENABLED',
      Targets: [{ Arn: arnOf(functionId('SweepOutbox')), RetryPolicy: { MaximumRetryAttempts: 0 } }],
    });
    synth.template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      FunctionName: arnOf(functionId('SweepOutbox')),
      Principal: 'events.amazonaws.com',
    });
  });

  it('lets SweepOutbox send email, publish and create timer schedules, and write the table, as every writer that dispatches may', () => {
    const statements = statementsOfRole(roleOfFunction('SweepOutbox'));

    expect(allowed(statements, 'ses:SendEmail')).toHaveLength(1);
    expect(allowed(statements, 'sns:Publish')).toHaveLength(1);
    expect(allowed(statements, 'scheduler:CreateSchedule')).toHaveLength(1);
    expect(allowed(statements, 'iam:PassRole')).toHaveLength(1);
    expect(allowed(statements, 'dynamodb:UpdateItem').length).toBeGreaterThan(0);
  });
});

describe('domain events', () => {
  const busId = () => synth.logicalId(synth.stack.domainEvents.bus);

  it('has one event bus for the domain events, and publishers told its name', () => {
    synth.template.resourceCountIs('AWS::Events::EventBus', 1);
    for (const spec of FUNCTIONS.filter((f) => (f.access as readonly string[]).includes('events:put'))) {
      const variables = (props(functionId(spec.id)).Environment as { Variables: Record<string, unknown> })
        .Variables;

      expect(variables[ENV.eventBusName], spec.id).toEqual({ Ref: busId() });
    }
  });

  it('lets every function that commits case changes publish, only PutEvents on the bus, only as sellerworks.cases', () => {
    // MarkFaqGroup writes only FAQ group items, never a case: it publishes nothing.
    const committers = FUNCTIONS.filter(
      (f) =>
        (f.access as readonly string[]).includes('table:write') &&
        f.kind !== 'stream' &&
        f.id !== 'MarkFaqGroup',
    );
    expect(committers.every((f) => (f.access as readonly string[]).includes('events:put'))).toBe(true);

    for (const spec of FUNCTIONS) {
      const puts = allowed(statementsOfRole(roleOfFunction(spec.id)), 'events:PutEvents');

      if (!(spec.access as readonly string[]).includes('events:put')) expect(puts, spec.id).toEqual([]);
      else
        expect(puts, spec.id).toEqual([
          expect.objectContaining({
            Resource: arnOf(busId()),
            Condition: { StringEquals: { 'events:source': DOMAIN_EVENT_SOURCE } },
          }),
        ]);
    }
  });

  it('registers the committed JSON Schema of every detail type in its schema registry', () => {
    synth.template.resourceCountIs('AWS::EventSchemas::Registry', 1);
    const registryId = synth.logicalId(synth.stack.domainEvents.registry);
    const schemas = resourcesOf(synth.json, 'AWS::EventSchemas::Schema').map(([, r]) => propsOf(r));

    expect(schemas).toHaveLength(DOMAIN_EVENT_TYPES.length);
    for (const detailType of DOMAIN_EVENT_TYPES) {
      const schema = schemas.find(
        (s) => s.SchemaName === `sellerworks.cases@${detailType.replaceAll(' ', '')}`,
      );

      expect(schema, detailType).toMatchObject({
        RegistryName: { 'Fn::GetAtt': [registryId, 'RegistryName'] },
        Type: 'JSONSchemaDraft4',
      });
      expect(JSON.parse(String(schema?.Content))).toEqual(committedSchema(detailType));
    }
  });

  it('has no rule or archive whose pattern matches by prefix, wildcard or exclusion', () => {
    const patterns = [
      ...resourcesOf(synth.json, 'AWS::Events::Rule'),
      ...resourcesOf(synth.json, 'AWS::Events::Archive'),
    ]
      .map(([, r]) => propsOf(r).EventPattern)
      .filter((pattern) => pattern !== undefined);
    const [archive] = resourcesOf(synth.json, 'AWS::Events::Archive');

    expect(propsOf(archive?.[1] ?? { Type: '' })).toMatchObject({
      SourceArn: arnOf(busId()),
      EventPattern: { source: [DOMAIN_EVENT_SOURCE] },
      RetentionDays: 30,
    });
    for (const pattern of patterns) {
      const text = JSON.stringify(pattern);

      expect(text).not.toMatch(/"(prefix|suffix|wildcard|anything-but|exists)"|\*/);
      expect((pattern as { source?: unknown }).source).toEqual([DOMAIN_EVENT_SOURCE]);
    }
  });
});
