import { sfnErrors } from './sfn-errors.ts';

/** The default and largest page sizes of the Step Functions list operations. */
export const pageSize = (maxResults: number | undefined): number => Math.min(maxResults || 100, 1000);

/**
 * A page token: where the next page starts, by key rather than offset, so it stays valid while items are
 * added or change status between calls.
 */
export const encodePageToken = (key: unknown): string =>
  Buffer.from(JSON.stringify(key)).toString('base64url');

/**
 * @throws AwsServiceError `InvalidToken` for a token this list did not hand out.
 */
export function decodePageToken<T>(token: string, valid: (key: unknown) => key is T): T {
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(token, 'base64url').toString());
  } catch {
    key = undefined;
  }
  if (!valid(key)) throw sfnErrors.invalidToken(`'${token}' is not a pagination token of this list`);
  return key;
}
