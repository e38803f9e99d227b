import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../infra/local/free-port.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** Ports for a runtime process, kept across its restarts. */
export interface RuntimePorts {
  readonly port: number;
  readonly smtpPort: number;
  readonly awsPort: number;
  readonly dynamoDbPort: number;
}

export const freeRuntimePorts = async (): Promise<RuntimePorts> => ({
  port: await freePort(),
  smtpPort: await freePort(),
  awsPort: await freePort(),
  dynamoDbPort: await freePort(),
});

/** The local runtime as `npm start` runs it, in a process of its own that a test can SIGKILL. */
export interface RuntimeProcess {
  /** The runtime's Node process. */
  readonly pid: number;
  readonly apiUrl: string;
  readonly smtpPort: number;
  readonly awsEndpoint: string;
  readonly dynamoDbEndpoint: string;
  /** What it printed so far. */
  output(): string;
  /** SIGKILL of its whole process group (the Node process and its DynamoDB Local JVM), as a crash. */
  kill(): Promise<void>;
  /** Ctrl-C. */
  interrupt(): Promise<void>;
}

/**
 * Starts `infra/local/main.ts` (what `npm start` runs) on `dataDir` and `ports`, and resolves once it says
 * it is running.
 */
export async function startRuntimeProcess(
  dataDir: string,
  ports: RuntimePorts,
  env: Record<string, string> = {},
): Promise<RuntimeProcess> {
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', '--disable-warning=ExperimentalWarning', 'infra/local/main.ts'],
    {
      cwd: root,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        DATA_DIR: dataDir,
        PORT: String(ports.port),
        SMTP_PORT: String(ports.smtpPort),
        LOCAL_AWS_PORT: String(ports.awsPort),
        DYNAMODB_PORT: String(ports.dynamoDbPort),
        ...env,
      },
    },
  );
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('SellerWorks is running locally')) resolve();
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    void exited.then(() => reject(new Error(`the runtime exited before it was running:\n${output}`)));
    setTimeout(() => reject(new Error(`the runtime did not start within 60 s:\n${output}`)), 60_000);
  });
  const signalGroup = async (signal: NodeJS.Signals) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    process.kill(-(child.pid ?? 0), signal);
    await exited;
  };
  return {
    pid: child.pid ?? 0,
    apiUrl: `http://localhost:${ports.port}`,
    smtpPort: ports.smtpPort,
    awsEndpoint: `http://127.0.0.1:${ports.awsPort}`,
    dynamoDbEndpoint: `http://127.0.0.1:${ports.dynamoDbPort}`,
    output: () => output,
    kill: () => signalGroup('SIGKILL'),
    interrupt: () => signalGroup('SIGINT'),
  };
}
