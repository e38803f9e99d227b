import { createHash } from 'node:crypto';
import JaroWinklerDistance from 'natural/lib/natural/distance/jaro-winkler_distance.js';
import PorterStemmer from 'natural/lib/natural/stemmers/porter_stemmer.js';
import AggressiveTokenizer from 'natural/lib/natural/tokenizers/aggressive_tokenizer.js';
import { words as STOP_WORDS } from 'natural/lib/natural/util/stopwords.js';

/**
 * What a seller's statement is about, as a set of terms: the words lower-cased, accents and apostrophes
 * dropped, stop words and anything holding a digit (order ids, amounts, dates) left out, each stemmed by
 * natural's Porter stemmer. Statements are compared by these sets (weighted cosine, typo-tolerant), and a
 * MinHash of the set (16 bands of 2 rows) finds the few groups worth comparing with, so assigning a
 * statement reads a bounded number of groups however many there are (faq-fold.ts).
 *
 * Pure: no table, no clock.
 */

/** Words every seller message is full of and no concern is told by: greetings, sign-offs, fillers. */
const MAIL_WORDS = [
  'hi',
  'hello',
  'hey',
  'dear',
  'thanks',
  'thank',
  'please',
  'kindly',
  'regards',
  'best',
  'cheers',
  'team',
  'support',
  'sir',
  'madam',
  'dont',
  'cant',
  'wont',
  'didnt',
  'doesnt',
  'isnt',
  'im',
  'ive',
  'yet',
  'also',
  'just',
  'really',
  'ok',
  'okay',
  'one',
  'two',
  'three',
  'ten',
  'will',
  'would',
  'could',
  'since',
  'now',
  'not',
  'no',
  'us',
  'say',
  'says',
  'said',
  'even',
  'though',
  'tell',
  'know',
  'let',
];

/** Irregular forms the Porter stemmer leaves apart from their verb ("held" and "hold"). */
const IRREGULAR: Readonly<Record<string, string>> = {
  held: 'hold',
  paid: 'pay',
  sent: 'send',
  gave: 'give',
  given: 'give',
  went: 'go',
  gone: 'go',
  bought: 'buy',
  sold: 'sell',
  took: 'take',
  taken: 'take',
  came: 'come',
  made: 'make',
  broke: 'break',
  broken: 'break',
  lost: 'lose',
  kept: 'keep',
  left: 'leave',
  got: 'get',
  wrote: 'write',
  written: 'write',
  shipped: 'ship',
  arived: 'arrive',
};
const STOPS = new Set([...STOP_WORDS.map((w) => w.replace(/'/g, '')), ...MAIL_WORDS]);
const tokenizer = new AggressiveTokenizer();

/** How much of a statement is read: its opening says what it is about; emails may run to 10,000 characters. */
export const READ_CHARS = 1_000;
/** A statement's signature keeps at most this many distinct terms. */
const MAX_TERMS = 40;

/** The stems of a text's content words, in order of first appearance, distinct. */
export const termsOf = (text: string): string[] => {
  const normalised = text
    .slice(0, READ_CHARS)
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[’‘`]/g, "'")
    .replace(/'s\b/g, '')
    .replace(/'/g, '');
  const terms: string[] = [];
  for (const token of tokenizer.tokenize(normalised)) {
    const word = token.replace(/^[-/]+|[-/]+$/g, '');
    if (word.length < 2 || /\d/.test(word) || STOPS.has(word)) continue;
    for (const part of word.split(/[-/]/)) {
      if (part.length < 2 || STOPS.has(part)) continue;
      const stem = PorterStemmer.stem(IRREGULAR[part] ?? part);
      if (!terms.includes(stem)) terms.push(stem);
      if (terms.length === MAX_TERMS) return terms;
    }
  }
  return terms;
};

/**
 * Words nearly every statement of a family says (its name: "payout", "hold"; "buyer", "dispute"), weighed
 * lightly: they tell nothing about which concern of the family it is. (Not its reasons' labels: within a
 * reason, words such as "documents" or "verify" are what tells one concern from another.)
 */
export const familyVocabulary = (family: { readonly name: string }) => new Set(termsOf(family.name));

const COMMON_WEIGHT = 0.35;

/** A group's term profile: how many of its statements had each term, out of `statements`. */
export interface TermProfile {
  readonly statements: number;
  readonly terms: Readonly<Record<string, number>>;
}

/** Two stems are the same word misspelt: long enough, and Jaro-Winkler close. */
const misspelt = (a: string, b: string) =>
  a.length >= 4 && b.length >= 4 && a[0] === b[0] && JaroWinklerDistance(a, b) >= 0.9;

/**
 * How alike a statement's terms are to a group's profile, 0–1: the cosine between the statement's terms
 * and the group's, each term weighed by the share of the group's statements that had it (and lightly where
 * the family's own vocabulary). A term the group lacks counts as a misspelling of one it has when close.
 */
export const similarity = (terms: readonly string[], profile: TermProfile, common: ReadonlySet<string>) => {
  const weight = (term: string) => (common.has(term) ? COMMON_WEIGHT : 1);
  const groupTerms = Object.keys(profile.terms);
  let dot = 0;
  let own = 0;
  const matched = new Set<string>();
  for (const term of terms) {
    own += weight(term) ** 2;
    const match =
      profile.terms[term] !== undefined
        ? term
        : groupTerms.find((other) => !matched.has(other) && !terms.includes(other) && misspelt(term, other));
    if (!match || matched.has(match)) continue;
    matched.add(match);
    dot += weight(match) ** 2 * ((profile.terms[match] ?? 0) / profile.statements);
  }
  let theirs = 0;
  for (const term of groupTerms)
    theirs += (weight(term) * ((profile.terms[term] ?? 0) / profile.statements)) ** 2;
  return own === 0 || theirs === 0 ? 0 : dot / Math.sqrt(own * theirs);
};

/** A statement joins the most similar group at or above this; below it, it starts a group of its own. */
export const SAME_CONCERN = 0.5;

/** A group's profile keeps this many terms, those most of its statements had. */
const PROFILE_TERMS = 48;

/** The profile after one more statement with these terms. */
export const addToProfile = (profile: TermProfile | undefined, terms: readonly string[]): TermProfile => {
  const counts: Record<string, number> = { ...(profile?.terms ?? {}) };
  for (const term of terms) counts[term] = (counts[term] ?? 0) + 1;
  const kept = Object.entries(counts)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, PROFILE_TERMS);
  return { statements: (profile?.statements ?? 0) + 1, terms: Object.fromEntries(kept) };
};

// MinHash with banding (locality-sensitive hashing): two sets whose Jaccard similarity is J share at least
// one band with probability 1 − (1 − J²)^16: 0.99 at J = 0.5, 0.78 at J = 0.3, 0.15 at J = 0.1.
export const BANDS = 16;
const ROWS = 2;

const hash32 = (seed: number, term: string) => {
  // FNV-1a, seeded: cheap, stable across runs and targets.
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < term.length; i++) {
    h ^= term.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
};

/**
 * The statement's LSH band keys (one per band: `<band>:<hex>`); empty for a statement with no terms. The
 * MinHash is taken over the terms' first four letters, so a misspelt word ("payot", "statment") still
 * finds the groups its correct spelling is in; similarity then compares the whole terms.
 */
export const bandKeys = (stems: readonly string[]): string[] => {
  const terms = [...new Set(stems.map((stem) => stem.slice(0, 4)))];
  if (terms.length === 0) return [];
  const keys: string[] = [];
  for (let band = 0; band < BANDS; band++) {
    const mins: number[] = [];
    for (let row = 0; row < ROWS; row++) {
      const seed = Math.imul(band * ROWS + row + 1, 0x9e3779b1) >>> 0;
      let min = 0xffffffff;
      for (const term of terms) min = Math.min(min, hash32(seed, term));
      mins.push(min);
    }
    keys.push(`${band}:${mins.map((m) => m.toString(16).padStart(8, '0')).join('')}`);
  }
  return keys;
};

/** A short, stable id from parts (group ids are derived from the statement that started them). */
export const shortHash = (...parts: string[]) =>
  createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 12);

/** How much of the statement that starts a group is kept as its representative, for ops to read. */
export const REPRESENTATIVE_CHARS = 280;

/** The representative kept of a statement: its first characters, whitespace folded. */
export const representativeOf = (text: string): string => {
  const folded = text.replace(/\s+/g, ' ').trim();
  return folded.length <= REPRESENTATIVE_CHARS ? folded : `${folded.slice(0, REPRESENTATIVE_CHARS - 1)}…`;
};

/** A group as assignment compares with it. */
export interface Candidate {
  readonly groupId: string;
  readonly profile: TermProfile;
}

/** The candidate most similar to the statement at or above SAME_CONCERN, if any (ties: the larger group). */
export const chooseGroup = <C extends Candidate>(
  terms: readonly string[],
  candidates: readonly C[],
  common: ReadonlySet<string>,
): C | undefined => {
  let best: { candidate: C; score: number } | undefined;
  for (const candidate of candidates) {
    const score = similarity(terms, candidate.profile, common);
    if (score < SAME_CONCERN) continue;
    if (
      !best ||
      score > best.score + 1e-9 ||
      (Math.abs(score - best.score) <= 1e-9 &&
        candidate.profile.statements > best.candidate.profile.statements)
    )
      best = { candidate, score };
  }
  return best?.candidate;
};
