import { readFileSync } from 'node:fs';
import { Duration } from 'aws-cdk-lib';
import { Archive, EventBus } from 'aws-cdk-lib/aws-events';
import { CfnRegistry, CfnSchema } from 'aws-cdk-lib/aws-eventschemas';
import { Construct } from 'constructs';
import {
  DOMAIN_EVENT_SOURCE,
  DOMAIN_EVENT_TYPES,
  schemaFileOf,
} from '../../../functions/domain/domain-events.ts';
import { requireRepoFile } from '../repo-root.ts';

/** How long the archive keeps published events, so a consumer that was down can have them replayed. */
const ARCHIVE_RETENTION = Duration.days(30);

/**
 * The bus SellerWorks publishes its domain events on (source `sellerworks.cases`), the schema registry
 * holding the JSON Schema of each event's detail as committed under events/schemas/ (`npm run emit`), and
 * an archive of the bus. Consumers add their own rules, on their side; this stack adds none but the
 * archive's, whose pattern names the source exactly (no prefix, wildcard or anything-but).
 */
export class DomainEventBus extends Construct {
  readonly bus: EventBus;
  readonly registry: CfnRegistry;
  readonly schemas: readonly CfnSchema[];

  constructor(scope: Construct, id: string) {
    super(scope, id);
    // Named by CDK from the construct path (unique per stack): no hard-coded physical name.
    this.bus = new EventBus(this, 'Bus', { description: 'SellerWorks domain events (case lifecycle)' });
    new Archive(this, 'Archive', {
      sourceEventBus: this.bus,
      description: 'Every SellerWorks domain event, for replay to a consumer that missed some',
      eventPattern: { source: [DOMAIN_EVENT_SOURCE] },
      retention: ARCHIVE_RETENTION,
    });
    this.registry = new CfnRegistry(this, 'Registry', {
      description: 'Schemas of the SellerWorks domain events (events/schemas/)',
    });
    this.schemas = DOMAIN_EVENT_TYPES.map((detailType) => {
      const path = requireRepoFile(schemaFileOf(detailType), `the JSON Schema of "${detailType}"`);
      return new CfnSchema(this, detailType.replaceAll(' ', ''), {
        registryName: this.registry.attrRegistryName,
        // The registry's convention for discovered schemas: <source>@<DetailTypeWithoutSpaces>.
        schemaName: `${DOMAIN_EVENT_SOURCE}@${detailType.replaceAll(' ', '')}`,
        type: 'JSONSchemaDraft4',
        content: JSON.stringify(JSON.parse(readFileSync(path, 'utf8'))),
        description: `${detailType} (source ${DOMAIN_EVENT_SOURCE})`,
      });
    });
  }
}
