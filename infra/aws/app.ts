import { App, RemovalPolicy, Tags, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { SellerWorksStack } from './sellerworks-stack.ts';

/**
 * The CDK app: one SellerWorks stack. `npx cdk deploy --parameters MailDomain=… --parameters ReplyDomain=…
 * --parameters PortalUrl=… --parameters JwtIssuer=… --parameters JwtAudience=…`.
 *
 * Context (cdk.json or `-c`):
 * - `sellerworks:stackName` (default `SellerWorks`), so several copies can share an account;
 * - `sellerworks:retainData` (default true); `false` makes a throwaway stack that deletes its data with it;
 * - `sellerworks:nag` (default true); cdk-nag AwsSolutions checks, whose unsuppressed errors fail synth.
 */
const app = new App();
const flag = (key: string, fallback: boolean): boolean => {
  const value: unknown = app.node.tryGetContext(key);
  return value === undefined ? fallback : value === true || value === 'true';
};

const stackName: unknown = app.node.tryGetContext('sellerworks:stackName');
const account = process.env.CDK_DEFAULT_ACCOUNT;
const region = process.env.CDK_DEFAULT_REGION;

new SellerWorksStack(app, typeof stackName === 'string' && stackName !== '' ? stackName : 'SellerWorks', {
  description: 'SellerWorks: seller-support case orchestration (Step Functions, Lambda, DynamoDB, SES, SNS)',
  // Environment-agnostic unless the CLI resolved credentials; no account is written into the code.
  ...(account && region && { env: { account, region } }),
  dataRemovalPolicy: flag('sellerworks:retainData', true) ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
});

Tags.of(app).add('app', 'sellerworks');
if (flag('sellerworks:nag', true))
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
