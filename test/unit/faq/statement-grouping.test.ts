import { describe, expect, it } from 'vitest';
import {
  addToProfile,
  bandKeys,
  type Candidate,
  chooseGroup,
  familyVocabulary,
  termsOf,
} from '#domain/faq/statement-text.ts';
import { familyOf } from '#policy/families.ts';
import { CORPUS, type CorpusStatement } from './statement-corpus.ts';

/**
 * Groups the corpus as the fold does, one statement at a time: candidates are only the groups sharing an
 * LSH band with the statement (per family and reason), the most similar one at or above the threshold wins,
 * else the statement starts a group.
 */
const groupCorpus = (statements: readonly CorpusStatement[]) => {
  const groups: (Candidate & { members: CorpusStatement[] })[] = [];
  const buckets = new Map<string, Set<string>>();
  for (const statement of statements) {
    const scope = `${statement.family}#${statement.reason}`;
    const terms = termsOf(statement.text);
    const keys = bandKeys(terms).map((key) => `${scope}#${key}`);
    const ids = new Set(keys.flatMap((key) => [...(buckets.get(key) ?? [])]));
    const candidates = groups.filter((g) => ids.has(g.groupId));
    const common = familyVocabulary(familyOf(statement.family));
    const chosen = chooseGroup(terms, candidates, common);
    const group = chosen ?? {
      groupId: `${scope}#${groups.length}`,
      profile: addToProfile(undefined, []),
      members: [],
    };
    if (!chosen) groups.push(group as (typeof groups)[number]);
    const index = groups.findIndex((g) => g.groupId === group.groupId);
    groups[index] = {
      ...group,
      profile: chosen ? addToProfile(group.profile, terms) : addToProfile(undefined, terms),
      members: [...group.members, statement],
    };
    for (const key of keys) buckets.set(key, new Set([...(buckets.get(key) ?? []), group.groupId]));
  }
  return groups;
};

describe('FAQ statement grouping on a fixed corpus', () => {
  const groups = groupCorpus(CORPUS);
  const concerns = [...new Set(CORPUS.map((s) => s.concern))];

  it.each(concerns)('puts every statement of the "%s" concern in one group', (concern) => {
    const holding = groups.filter((g) => g.members.some((m) => m.concern === concern));

    expect(holding.map((g) => g.members.map((m) => m.text))).toHaveLength(1);
    expect(holding[0]?.members).toHaveLength(CORPUS.filter((s) => s.concern === concern).length);
  });

  it('keeps different concerns apart: each group holds one concern', () => {
    for (const group of groups) expect(new Set(group.members.map((m) => m.concern)).size).toBe(1);
    expect(groups).toHaveLength(concerns.length);
  });

  it('groups the same way whatever order the statements come in', () => {
    const reversed = groupCorpus([...CORPUS].reverse());

    const partition = (gs: typeof groups) =>
      gs
        .map((g) =>
          g.members
            .map((m) => m.text)
            .sort()
            .join('|'),
        )
        .sort();
    expect(partition(reversed)).toEqual(partition(groups));
  });

  it('finds the group of a statement whose every word but one is misspelt', () => {
    const [group, ...others] = groupCorpus([
      ...CORPUS.filter((s) => s.concern === 'document-uploaded'),
      {
        ...(CORPUS[0] as CorpusStatement),
        reason: 'verification_required',
        concern: 'document-uploaded',
        text: 'alredy uplodaed bank statment payout stil on hold',
      },
    ]);

    expect(others).toEqual([]);
    expect(group?.members).toHaveLength(5);
  });

  it('reads case, punctuation, accents, numbers and stop words out of a statement', () => {
    expect(termsOf('WHEN will my PAYOUT be released?!? 114-3941689, €89.99')).toEqual(
      termsOf('when will my payout be released'),
    );
    expect(termsOf('Café délivré')).toEqual(termsOf('cafe delivre'));
    expect(termsOf('the and of it is')).toEqual([]);
  });

  it('never groups statements of different reasons, however alike', () => {
    const [a, b] = groupCorpus([
      {
        family: 'payout-hold',
        reason: 'risk_review',
        concern: 'x',
        text: 'When will my payout be released?',
      },
      {
        family: 'payout-hold',
        reason: 'negative_balance',
        concern: 'x',
        text: 'When will my payout be released?',
      },
    ]);

    expect(a?.groupId).not.toBe(b?.groupId);
  });
});
