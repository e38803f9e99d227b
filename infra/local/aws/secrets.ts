import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { AwsServiceError } from './aws-service-error.ts';
import { writeFileAtomic } from './fs/atomic-write.ts';

/** The account id every local ARN carries, as LocalStack and the AWS docs' examples use. */
export const LOCAL_ACCOUNT_ID = '000000000000';

const storedSecretSchema = z.object({
  value: z.string(),
  versionId: z.string(),
  createdDate: z.iso.datetime(),
});
const secretsFileSchema = z.record(z.string(), storedSecretSchema);
type StoredSecret = z.infer<typeof storedSecretSchema>;

/** What GetSecretValue answers, as Secrets Manager names it. */
export interface SecretValue {
  ARN: string;
  Name: string;
  SecretString: string;
  VersionId: string;
  VersionStages: string[];
  CreatedDate: Date;
}

/**
 * The local Secrets Manager: named string secrets kept in a JSON file, so a secret generated on the first
 * start (a signing key, say) stays the same across restarts and previously signed tokens keep verifying.
 */
export class LocalSecrets {
  private readonly secrets: Map<string, StoredSecret>;

  /**
   * @param filePath JSON file holding the secrets; created on the first `ensure`.
   * @param region Region used in the ARNs this store hands out.
   */
  constructor(
    private readonly filePath: string,
    private readonly region = 'us-east-1',
  ) {
    this.secrets = new Map(existsSync(filePath) ? Object.entries(LocalSecrets.load(filePath)) : []);
  }

  /**
   * Makes sure the secret exists, creating it with `generate()` the first time the name is seen.
   * @returns The secret's ARN, to hand to handlers as configuration.
   */
  ensure(name: string, generate: () => string): string {
    if (!this.secrets.has(name)) {
      const secret = { value: generate(), versionId: randomUUID(), createdDate: new Date().toISOString() };
      const next = new Map(this.secrets).set(name, secret);
      // Write first: if the disk refuses, memory must not hold a secret that the next start would not have.
      writeFileAtomic(this.filePath, `${JSON.stringify(Object.fromEntries(next), null, 2)}\n`);
      this.secrets.set(name, secret);
    }
    return this.arnOf(name);
  }

  /** The ARN GetSecretValue accepts for `name`. */
  arnOf(name: string): string {
    return `arn:aws:secretsmanager:${this.region}:${LOCAL_ACCOUNT_ID}:secret:${name}`;
  }

  /**
   * GetSecretValue by name or by ARN.
   * @throws AwsServiceError `ResourceNotFoundException` for an unknown secret.
   */
  getSecretValue(secretId: string): SecretValue {
    const name = LocalSecrets.nameFromId(secretId);
    const secret = this.secrets.get(name);
    if (!secret) {
      throw new AwsServiceError(
        'ResourceNotFoundException',
        "Secrets Manager can't find the specified secret.",
      );
    }
    return {
      ARN: this.arnOf(name),
      Name: name,
      SecretString: secret.value,
      VersionId: secret.versionId,
      VersionStages: ['AWSCURRENT'],
      CreatedDate: new Date(secret.createdDate),
    };
  }

  private static nameFromId(secretId: string): string {
    const arn = /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:(.+)$/.exec(secretId);
    return arn?.[1] ?? secretId;
  }

  private static load(filePath: string): Record<string, StoredSecret> {
    let content: unknown;
    try {
      content = JSON.parse(readFileSync(filePath, 'utf8'));
    } catch (error) {
      throw new Error(`Secrets file ${filePath} is not JSON`, { cause: error });
    }
    const parsed = secretsFileSchema.safeParse(content);
    if (!parsed.success) {
      throw new Error(`Secrets file ${filePath} does not hold secrets: ${parsed.error.message}`);
    }
    return parsed.data;
  }
}
