import { RemovalPolicy } from 'aws-cdk-lib';
import {
  AttributeType,
  BillingMode,
  ProjectionType,
  StreamViewType,
  Table,
  TableEncryption,
} from 'aws-cdk-lib/aws-dynamodb';
import type { Construct } from 'constructs';
import { TABLE_KEYS } from '#domain/table-design.ts';

export interface CaseTableProps {
  /** @default RemovalPolicy.RETAIN: cases and their audit trail outlive the stack */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * The single case table, keyed as functions/domain/table-design.ts says (the local runtime creates its
 * DynamoDB Local table from the same constant): on-demand, point-in-time recovery, TTL, the GSIs, and a
 * stream of every change with the item before and after it (the scoreboard's metrics are the difference
 * between a case's figures before and after a commit: functions/streams/record-metrics.ts).
 */
export class CaseTable extends Table {
  constructor(scope: Construct, id: string, props: CaseTableProps = {}) {
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    super(scope, id, {
      partitionKey: { name: TABLE_KEYS.partitionKey, type: AttributeType.STRING },
      sortKey: { name: TABLE_KEYS.sortKey, type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      timeToLiveAttribute: TABLE_KEYS.ttlAttribute,
      stream: StreamViewType.NEW_AND_OLD_IMAGES,
      encryption: TableEncryption.AWS_MANAGED,
      deletionProtection: removalPolicy === RemovalPolicy.RETAIN,
      removalPolicy,
    });
    for (const index of TABLE_KEYS.indexes) {
      this.addGlobalSecondaryIndex({
        indexName: index.name,
        partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
        sortKey: { name: index.sortKey, type: AttributeType.STRING },
        ...(index.projection.length > 0
          ? { projectionType: ProjectionType.INCLUDE, nonKeyAttributes: [...index.projection] }
          : { projectionType: ProjectionType.KEYS_ONLY }),
      });
    }
  }
}
