import { Stack, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * cdk-nag 3 reports through CDK policy validation, and a finding is silenced only by acknowledging its exact
 * id on the resource or an ancestor (`Validations.of(x).acknowledge`). These helpers keep every
 * acknowledgement next to the grant it is about, always with a reason.
 */
export const acknowledge = (scope: IConstruct, id: string, reason: string): void => {
  Validations.of(scope).acknowledge({ id, reason });
};

/**
 * Acknowledges `AwsSolutions-IAM5` for one wildcard resource, written as the finding names it: the resolved
 * ARN with `Fn::GetAtt` shown as `<LogicalId.Attribute>` and `Ref` as `<LogicalId>` (cdk-nag's notation).
 */
export const acknowledgeWildcardResource = (scope: IConstruct, resource: string, reason: string): void => {
  acknowledge(scope, `AwsSolutions-IAM5[Resource::${flatten(Stack.of(scope).resolve(resource))}]`, reason);
};

const flatten = (node: unknown): string => {
  if (typeof node === 'string') return node.replace(/\$\{/g, '<').replace(/\}/g, '>');
  if (node !== null && typeof node === 'object') {
    const join = (node as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join'];
    if (join) return join[1].map(flatten).join(join[0]);
    const getAtt = (node as { 'Fn::GetAtt'?: [unknown, unknown] })['Fn::GetAtt'];
    if (getAtt) return `<${flatten(getAtt[0])}.${flatten(getAtt[1])}>`;
    const ref = (node as { Ref?: unknown }).Ref;
    if (ref !== undefined) return `<${flatten(ref)}>`;
  }
  return JSON.stringify(node);
};
