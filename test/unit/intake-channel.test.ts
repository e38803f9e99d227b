import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { toIssues } from '#commons/validation.ts';
import { FAMILIES } from '#policy/families.ts';
import { channelOf } from '#policy/intake-fields.ts';
import { FAMILY_IDS } from '#state-machines/catalog.ts';

const sampleOf = async (family: string) =>
  JSON.parse(
    await readFile(new URL(`../../events/intake/${family}.json`, import.meta.url), 'utf8'),
  ) as Record<string, unknown>;

describe('the intake channel every family accepts', () => {
  it.each(FAMILY_IDS)(
    '%s takes portal, api or agent, and counts a case without one as portal',
    async (id) => {
      const family = FAMILIES[id];
      const sample = await sampleOf(id);

      for (const channel of ['portal', 'api', 'agent'])
        expect(family.intake.safeParse({ ...sample, channel }).data?.channel).toBe(channel);
      expect(channelOf(family.intake.parse(sample))).toBe('portal');
    },
  );

  it.each(FAMILY_IDS)(
    '%s refuses any other channel, naming the field and the channels it takes',
    async (id) => {
      const result = FAMILIES[id].intake.safeParse({ ...(await sampleOf(id)), channel: 'fax' });

      expect(result.success).toBe(false);
      expect(toIssues(result.error!)).toEqual([{ path: 'channel', reason: 'one of portal, api, agent' }]);
    },
  );
});
