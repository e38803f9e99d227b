import { fileURLToPath } from 'node:url';
import { startLocalRuntime } from './runtime.ts';

/** `npm start`: the whole product on this machine, data in .data/ (git-ignored), until Ctrl-C. */
const portOf = (name: string, fallback: number): number => {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    console.error(`${name} must be a port number (0-65535), got ${JSON.stringify(raw)}`);
    process.exit(2);
  }
  return port;
};

const timeScaleText = process.env.TIME_SCALE ?? '1';
const timeScale = Number(timeScaleText);
if (!Number.isFinite(timeScale) || timeScale < 1) {
  console.error(`TIME_SCALE must be a number ≥ 1, got ${JSON.stringify(timeScaleText)}`);
  process.exit(2);
}

// `npm start` keeps running: DynamoDB Local with both JIT compilers (slower for its first minute under load,
// then faster by a third to a half); DYNAMODB_COMPILER=client for a runtime that lives seconds (dynamodb-local.ts).
const compiler = process.env.DYNAMODB_COMPILER ?? 'optimising';
if (compiler !== 'optimising' && compiler !== 'client') {
  console.error(`DYNAMODB_COMPILER must be optimising or client, got ${JSON.stringify(compiler)}`);
  process.exit(2);
}

const started = Date.now();
const dataDir = process.env.DATA_DIR ?? fileURLToPath(new URL('../../.data', import.meta.url));
const runtime = await startLocalRuntime({
  dataDir,
  port: portOf('PORT', 3000),
  smtpPort: portOf('SMTP_PORT', 2525),
  awsPort: portOf('LOCAL_AWS_PORT', 4010),
  dynamoDbPort: portOf('DYNAMODB_PORT', 8000),
  dynamoDbCompiler: compiler,
  timeScale,
  dynamoDbFaults: process.env.FAULT_INJECTION === '1',
});

console.log(`
SellerWorks is running locally (started in ${((Date.now() - started) / 1000).toFixed(1)} s)

  ops console     ${runtime.apiUrl}/console     (signed in as an ops supervisor)
  API             ${runtime.apiUrl}
  dev token       ${runtime.apiUrl}/dev/token?seller=seller-42     (or ?role=ops&team=disputes)
  outbox          ${runtime.apiUrl}/dev/outbox?caseId=ID
  seller replies  smtp://127.0.0.1:${runtime.smtpPort}  (to the Reply-To address of an evidence request)
  AWS endpoint    ${runtime.awsEndpoint}  (Step Functions, SES v2, SNS, S3, Secrets Manager)
  DynamoDB Local  ${runtime.dynamoDbEndpoint}
  function logs   ${runtime.logPath}  (JSON lines; LOG_LEVEL=debug also prints them here)
  data            ${runtime.dataDir}${timeScale > 1 ? `\n  time scale      ×${timeScale} (waits for replies and decisions pass that much faster)` : ''}

Try it: npm run demo, then open the console        Stop: Ctrl-C
`);

let stopping = false;
const shutdown = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: stopping SellerWorks…`);
  await runtime.stop();
  console.log('stopped.');
  process.exit(0);
};
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGHUP', () => void shutdown('SIGHUP'));
