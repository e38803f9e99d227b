import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FAMILIES, isFamilyId, REGISTERED_IDS } from '#policy/families.ts';
import { FAMILY_IDS } from '#state-machines/catalog.ts';

/**
 * The places README "Adding a family" names, kept honest: the registry is the one list, the catalog is
 * emitted from it, and each registered family has its sample intake and its row in the README's table.
 */
const repoFile = (path: string) => readFileSync(new URL(`../../../${path}`, import.meta.url), 'utf8');

/** The family ids in the first column of README's "Families and their teams" table. */
const readmeFamilies = (): string[] => {
  const section = repoFile('README.md').split('### Families and their teams')[1] ?? '';
  const table = section.split('\n\n').find((block) => block.trim().startsWith('| family'));
  return (table ?? '')
    .split('\n')
    .slice(2)
    .map((row) => row.split('|')[1]?.trim() ?? '')
    .filter((id) => id.length > 0);
};

describe('the family registry', () => {
  it('is what the catalog lists, in the same order (npm run emit writes it)', () => {
    expect([...FAMILY_IDS]).toEqual(REGISTERED_IDS);
    expect(Object.keys(FAMILIES)).toEqual(REGISTERED_IDS);
  });

  it('knows a family id from anything else', () => {
    expect(isFamilyId('payout-hold')).toBe(true);
    expect(isFamilyId('toString')).toBe(false);
    expect(isFamilyId('weather')).toBe(false);
  });

  it.each(REGISTERED_IDS)('%s has a sample intake in events/intake that its schema accepts', (id) => {
    const sample: unknown = JSON.parse(repoFile(`events/intake/${id}.json`));

    const result = FAMILIES[id].intake.safeParse(sample);

    expect(result.success, JSON.stringify(result.error?.issues)).toBe(true);
  });

  it("has a row for every family, and no other, in README's families table", () => {
    expect(readmeFamilies().sort()).toEqual([...REGISTERED_IDS].sort());
  });
});
