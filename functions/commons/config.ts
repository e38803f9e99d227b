import type { EnvName } from './env-names.ts';

/** Thrown at init when a required environment variable is missing, so a misconfigured function fails fast. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Reads a required environment variable once; the error names the variable. */
export const requireEnv = (name: EnvName): string => {
  const value = process.env[name];
  if (value === undefined || value === '') {
    throw new ConfigError(`environment variable ${name} is required but not set`);
  }
  return value;
};

export const optionalEnv = (name: EnvName, fallback: string): string => {
  const value = process.env[name];
  return value === undefined || value === '' ? fallback : value;
};
