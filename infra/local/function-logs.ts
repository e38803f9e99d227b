import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ENV } from '../../functions/commons/env-names.ts';
import type { LogSink } from '../../functions/commons/logging.ts';

export interface FunctionLogs {
  /** Where the handlers' lines go: the file, and the terminal with LOG_LEVEL=debug. */
  readonly sink: LogSink;
  /** The log file: JSON lines, one per log call of a handler. */
  readonly path: string;
  close(): Promise<void>;
}

/**
 * The handlers' log, locally: what CloudWatch Logs holds on AWS, appended to `<dataDir>/logs/functions.log`
 * (a test's runtime writes into its own temporary data dir). The terminal stays for the runtime's own lines
 * unless LOG_LEVEL=debug asks to watch the handlers' too.
 */
export const openFunctionLogs = (dataDir: string, logLevel = process.env[ENV.logLevel]): FunctionLogs => {
  const dir = join(dataDir, 'logs');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'functions.log');
  const file = createWriteStream(path, { flags: 'a' });
  const echo = logLevel?.toLowerCase() === 'debug';
  return {
    path,
    sink: (line) => {
      file.write(`${line}\n`);
      if (echo) process.stdout.write(`${line}\n`);
    },
    close: () => new Promise<void>((resolve) => file.end(() => resolve())),
  };
};
