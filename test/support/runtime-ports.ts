import type { LocalRuntime } from '../../infra/local/runtime.ts';

const portOf = (url: string) => Number(new URL(url).port);

/**
 * The ports a running runtime listens on, to start the next one on the same: the handlers' SDK clients
 * are built once per process, so a restart within a test must keep every endpoint where it was.
 */
export const portsOf = (runtime: LocalRuntime) => ({
  port: portOf(runtime.apiUrl),
  smtpPort: runtime.smtpPort,
  awsPort: portOf(runtime.awsEndpoint),
  dynamoDbPort: portOf(runtime.dynamoDbEndpoint),
});
