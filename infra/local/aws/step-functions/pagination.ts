import { sfnErrors } from './sfn-errors.ts';

/** The default and largest page sizes of the Step Functions list operations. */
const DEFAULT_PAGE_SIZE = 100;
const MAX_PAGE_SIZE = 1000;

/** One page of a list and the token for the next, if any. */
export interface Page<T> {
  items: T[];
  nextToken: string | undefined;
}

/**
 * Cuts one page from an ordered list. The token names the last item returned rather than an offset, so a
 * page is not shifted when new executions are added between calls.
 * @param keyOf A unique, stable key per item.
 * @throws AwsServiceError `InvalidToken` for a token this list did not hand out.
 */
export function paginate<T>(
  ordered: readonly T[],
  keyOf: (item: T) => string,
  maxResults: number | undefined,
  nextToken: string | undefined,
): Page<T> {
  const size = Math.min(maxResults || DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
  let start = 0;
  if (nextToken !== undefined) {
    const lastKey = Buffer.from(nextToken, 'base64url').toString();
    const lastIndex = ordered.findIndex((item) => keyOf(item) === lastKey);
    if (lastIndex < 0) {
      throw sfnErrors.invalidToken(`'${nextToken}' is not a pagination token of this list`);
    }
    start = lastIndex + 1;
  }
  const items = ordered.slice(start, start + size);
  const last = items.at(-1);
  const hasMore = start + size < ordered.length;
  return {
    items,
    nextToken: hasMore && last !== undefined ? Buffer.from(keyOf(last)).toString('base64url') : undefined,
  };
}
