import { App, type CfnElement, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import cdkJson from '../../cdk.json' with { type: 'json' };
import { SellerWorksStack } from '../../infra/aws/sellerworks-stack.ts';

export interface Synthesized {
  readonly stack: SellerWorksStack;
  readonly template: Template;
  /** The CloudFormation template as plain JSON. */
  readonly json: CfnTemplate;
  /** cdk-nag AwsSolutions findings that are not acknowledged. */
  readonly nagViolations: ReturnType<AwsSolutionsChecks['validateScope']>['violations'];
  /** Logical id of a construct's CloudFormation resource (its default child for L2 constructs). */
  readonly logicalId: (construct: IConstruct) => string;
}

export interface CfnResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly DeletionPolicy?: string;
  readonly UpdateReplacePolicy?: string;
}
export interface CfnTemplate {
  readonly Resources: Record<string, CfnResource>;
  readonly Parameters?: Record<string, unknown>;
  readonly Outputs?: Record<string, { readonly Value: unknown }>;
}

/**
 * Synthesizes the stack in-process, with the feature flags and context of cdk.json (what `cdk synth` uses).
 *
 * `bundle: false` sets CDK's own `aws:cdk:bundling-stacks` context to none, so NodejsFunction skips esbuild
 * (about 0.8 s a function); bundling.test.ts bundles every handler in one esbuild run instead.
 */
export const synthesize = (options: { readonly bundle: boolean }): Synthesized => {
  const app = new App({
    context: { ...cdkJson.context, ...(options.bundle ? {} : { 'aws:cdk:bundling-stacks': [] }) },
  });
  const stack = new SellerWorksStack(app, 'SellerWorks');
  const template = Template.fromStack(stack);
  const nagViolations = new AwsSolutionsChecks(app, { verbose: true }).validateScope(stack).violations;
  const logicalId = (construct: IConstruct): string => {
    const element = (construct.node.defaultChild ?? construct) as CfnElement;
    return Stack.of(element).getLogicalId(element);
  };
  return { stack, template, json: template.toJSON() as CfnTemplate, nagViolations, logicalId };
};
