import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { logger } from '#commons/logging.ts';
import { FAMILIES, isFamilyId } from '#policy/families.ts';
import {
  addFaqBuckets,
  commitFaqStatement,
  commitFaqTemplate,
  faqCandidates,
  getCase,
  getFaqCase,
  getFaqGroups,
} from '../case-store.ts';
import type { StreamRecord } from '../scoreboard-fold.ts';
import {
  EXAMPLE_CASES,
  type FaqCase,
  type FaqGroup,
  isoWeek,
  STATEMENTS_PER_CASE,
  type StatementSource,
  tierOf,
} from './faq-model.ts';
import {
  addToProfile,
  bandKeys,
  chooseGroup,
  familyVocabulary,
  representativeOf,
  shortHash,
  termsOf,
} from './statement-text.ts';

/**
 * FAQ grouping as statements are committed. On AWS the FoldCaseChanges function reads the table's stream
 * (beside the scoreboard's and the weekly review's folds); of what it is handed, this fold reads new cases
 * (their intake statement), new evidence (a seller's email words) and new `message.sent` audit events (the
 * template a seller got); locally the runtime reads DynamoDB Local's stream of the same table and calls the
 * same function. Each statement goes to the most similar group of
 * its family and reason among the few sharing an LSH band with it (statement-text.ts), or starts one; each
 * folds once (the case's FAQ record lists what it folded), and a case counts once per group. The seller's
 * words are read from the stream image and never logged.
 */

type Image = Record<string, unknown>;
const imageOf = (raw: Record<string, unknown> | undefined): Image =>
  unmarshall((raw ?? {}) as Record<string, AttributeValue>);

/** What a record brings, if anything. */
type Fold =
  | {
      kind: 'statement';
      caseId: string;
      key: string;
      source: StatementSource;
      text: string;
      at: string;
      family?: string;
      reason?: string;
    }
  | { kind: 'template'; caseId: string; template: string };

const keysOf = (record: StreamRecord) => {
  const keys = record.dynamodb?.Keys as { pk?: { S?: string }; sk?: { S?: string } } | undefined;
  return { pk: keys?.pk?.S ?? '', sk: keys?.sk?.S ?? '' };
};

/** The record's statement or template, or undefined when it brings neither. */
export const foldOf = (record: StreamRecord): Fold | undefined => {
  if (record.eventName !== 'INSERT') return undefined;
  const { pk, sk } = keysOf(record);
  if (!pk.startsWith('CASE#')) return undefined;
  const caseId = pk.slice('CASE#'.length);
  if (sk === 'CASE') {
    const item = imageOf(record.dynamodb?.NewImage);
    const family = String(item.family);
    if (!isFamilyId(family)) return undefined;
    const intake = item.intake as { reason?: unknown } | undefined;
    const text = FAMILIES[family].statement?.(intake as never);
    if (typeof text !== 'string' || text.trim() === '' || typeof intake?.reason !== 'string')
      return undefined;
    return {
      kind: 'statement',
      caseId,
      key: 'intake',
      source: 'intake',
      text,
      at: String(item.createdAt),
      family,
      reason: intake.reason,
    };
  }
  if (sk.startsWith('EVIDENCE#')) {
    const item = imageOf(record.dynamodb?.NewImage);
    // The seller's own words from an email: not a buyer's, not a whole message whose words could not be
    // told from the quote (it would be grouped by our own quoted wording).
    if (item.provider !== 'seller' || item.source !== 'email' || item.unparsed === true) return undefined;
    if (typeof item.text !== 'string' || item.text.trim() === '') return undefined;
    return {
      kind: 'statement',
      caseId,
      key: `email:${String(item.evidenceId)}`,
      source: 'email',
      text: item.text,
      at: String(item.receivedAt),
    };
  }
  if (sk.startsWith('EVENT#')) {
    const item = imageOf(record.dynamodb?.NewImage);
    const data = item.data as { template?: unknown; audience?: unknown } | undefined;
    if (item.type !== 'message.sent' || (data?.audience ?? 'seller') !== 'seller') return undefined;
    if (typeof data?.template !== 'string') return undefined;
    return { kind: 'template', caseId, template: data.template };
  }
  return undefined;
};

const ATTEMPTS = 8;

/** Groups one statement; false when it was folded already or could not be placed (no family known). */
const foldStatement = async (fold: Extract<Fold, { kind: 'statement' }>): Promise<boolean> => {
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const before = await getFaqCase(fold.caseId);
    if (before?.folded.includes(fold.key)) return false;
    if (before && before.folded.length >= STATEMENTS_PER_CASE) return false;
    let family = fold.family ?? before?.family;
    let reason = fold.reason ?? before?.reason;
    if (!family || !reason) {
      const record = await getCase(fold.caseId);
      family = record?.family;
      reason = record?.intake.reason;
    }
    if (!family || !reason || !isFamilyId(family)) return false;
    const terms = termsOf(fold.text);
    if (terms.length === 0) return false;
    const bands = bandKeys(terms);
    const read = await faqCandidates(family, reason, bands);
    const candidates = await getFaqGroups(family, reason, read.ids);
    const common = familyVocabulary(FAMILIES[family]);
    const chosen = chooseGroup(
      terms,
      candidates.map((group) => ({ ...group, groupId: group.groupId })),
      common,
    );
    const newCase = !chosen || !(before?.groups ?? []).includes(chosen.groupId);
    const week = isoWeek(fold.at);
    const base: FaqGroup = chosen ?? {
      groupId: `${family}.${reason}.${shortHash(fold.caseId, fold.key)}`,
      family,
      reason,
      version: 0,
      statements: 0,
      cases: 0,
      weeks: {},
      sources: {},
      templates: {},
      examples: [],
      representative: representativeOf(fold.text),
      profile: { statements: 0, terms: {} },
      firstSeen: fold.at,
      lastSeen: fold.at,
    };
    const templates = { ...base.templates };
    if (newCase) for (const t of before?.templates ?? []) templates[t] = (templates[t] ?? 0) + 1;
    const group: FaqGroup = {
      ...base,
      version: base.version + 1,
      statements: base.statements + 1,
      cases: base.cases + (newCase ? 1 : 0),
      weeks: { ...base.weeks, [week]: (base.weeks[week] ?? 0) + 1 },
      sources: { ...base.sources, [fold.source]: (base.sources[fold.source] ?? 0) + 1 },
      templates,
      examples: [fold.caseId, ...base.examples.filter((id) => id !== fold.caseId)].slice(0, EXAMPLE_CASES),
      profile: chosen ? addToProfile(base.profile, terms) : addToProfile(undefined, terms),
      // ISO times compare as strings (Math.max would make them NaN).
      // biome-ignore lint/complexity/useMathMinMax: strings, not numbers
      lastSeen: fold.at > base.lastSeen ? fold.at : base.lastSeen,
    };
    const faqCase: FaqCase = {
      caseId: fold.caseId,
      family,
      reason,
      version: (before?.version ?? 0) + 1,
      folded: [...(before?.folded ?? []), fold.key],
      groups: newCase ? [...(before?.groups ?? []), group.groupId] : (before?.groups ?? []),
      templates: before?.templates ?? [],
    };
    const committed = await commitFaqStatement({
      group,
      groupBefore: chosen,
      faqCase,
      caseBefore: before,
      tierBefore: tierOf(base.statements),
      tierAfter: tierOf(group.statements),
    });
    if (committed) {
      await addFaqBuckets(family, reason, bands, group.groupId, read.buckets);
      return true;
    }
  }
  throw new Error(`FAQ grouping of case ${fold.caseId} lost ${ATTEMPTS} races in a row`);
};

/** Counts a template sent to a case's seller, once per case, on each group the case is in. */
const foldTemplate = async (fold: Extract<Fold, { kind: 'template' }>): Promise<boolean> => {
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const before = await getFaqCase(fold.caseId);
    if (before?.templates.includes(fold.template)) return false;
    const groups =
      before && before.groups.length > 0
        ? await getFaqGroups(before.family, before.reason, before.groups)
        : [];
    const faqCase: FaqCase = before
      ? { ...before, version: before.version + 1, templates: [...before.templates, fold.template] }
      : {
          caseId: fold.caseId,
          family: '',
          reason: '',
          version: 1,
          folded: [],
          groups: [],
          templates: [fold.template],
        };
    if (await commitFaqTemplate(faqCase, before, groups, fold.template)) return true;
  }
  throw new Error(`FAQ template count of case ${fold.caseId} lost ${ATTEMPTS} races in a row`);
};

/**
 * Folds a batch of the stream into the FAQ groups, in order. An unreadable record is skipped with a warning
 * naming its key (never its words); a failed write throws and the batch comes again (each statement and
 * template folds once).
 */
export const foldFaq = async (records: readonly StreamRecord[]): Promise<{ folded: number }> => {
  let folded = 0;
  for (const record of records) {
    let fold: Fold | undefined;
    try {
      fold = foldOf(record);
    } catch (error) {
      const { pk, sk } = keysOf(record);
      logger.warn('record not folded into the FAQ groups: unreadable', {
        pk,
        sk,
        eventID: record.eventID,
        reason: error instanceof Error ? error.name : 'unknown error',
      });
      continue;
    }
    if (!fold) continue;
    if (await (fold.kind === 'statement' ? foldStatement(fold) : foldTemplate(fold))) folded += 1;
  }
  return { folded };
};
