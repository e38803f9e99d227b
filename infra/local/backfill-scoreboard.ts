import { marshall } from '@aws-sdk/util-dynamodb';
import { upgradeOnce } from './upgrade-once.ts';

/**
 * Cases kept in `.data` from before the scoreboard kept totals were written before the table had a
 * stream: each is folded in once, as a stream record of a new case would be (the same fold, the same
 * marker per case version, so a case counted here and then changed is counted once). Runs at start, before
 * any handler writes, once the handlers' environment is set. Returns how many cases it counted.
 */
export const backfillScoreboard = async (): Promise<number> => {
  const { foldScoreboard } = await import('#domain/scoreboard-fold.ts');
  return upgradeOnce(
    'scoreboard',
    { FilterExpression: 'kind = :case', ExpressionAttributeValues: { ':case': 'case' } },
    async (items) => {
      const records = items.map((item) => ({
        eventName: 'INSERT',
        dynamodb: {
          Keys: marshall({ pk: item.pk, sk: item.sk }),
          NewImage: marshall(item, { removeUndefinedValues: true }),
        },
      }));
      return { changed: (await foldScoreboard(records)).folded };
    },
  );
};
