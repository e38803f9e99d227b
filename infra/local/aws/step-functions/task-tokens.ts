import { randomBytes } from 'node:crypto';

/**
 * Task tokens: unguessable (256 random bits), fresh per task attempt, and carrying their execution's ARN,
 * so a token that outlived its task is told apart from one never issued (`TaskTimedOut` rather than
 * `InvalidToken`, as in AWS). Which token is live is kept with the execution's position, not here.
 */
export const newTaskToken = (executionArn: string): string =>
  `${Buffer.from(executionArn).toString('base64url')}.${randomBytes(32).toString('base64url')}`;

/** The execution ARN a token was issued for, or `undefined` when it is not a token of this service. */
export function executionOfToken(token: string): string | undefined {
  const [encodedArn, secret, ...rest] = token.split('.');
  if (!encodedArn || !secret || rest.length > 0) return undefined;
  return Buffer.from(encodedArn, 'base64url').toString();
}
