import { validationFailed } from '#commons/errors.ts';
import type { BaseIntake, Family, Snippet } from '#policy/family-policy.ts';
import { FREE_TEXT_MAX } from '#policy/template-vars.ts';
import type { CaseRecord } from './case.ts';
import { templateFor } from './templates.ts';

/**
 * What an agent may write to a seller (pure: the use case is replies.ts): the family's approved snippets as
 * the composer offers them, the items a reply may ask for, and the check of a reply against its snippet.
 */

export interface ReplyInput {
  readonly snippet: string;
  readonly text?: string | undefined;
  readonly evidence?: readonly string[] | undefined;
}

/** A snippet as the composer offers it: what it is, what it takes, and the wording's id@version. */
export const snippetChoices = (family: Family<BaseIntake>, record: Pick<CaseRecord, 'region'>) =>
  family.templates.snippets.map((s) => {
    const template = templateFor(s.template, record.region);
    return {
      id: s.id,
      label: s.label,
      freeText: s.freeText,
      asksForEvidence: s.asksForEvidence,
      template: `${template.id}@${template.version}`,
    };
  });

/** The evidence an agent may ask the seller for: the family's seller-provided items. */
export const askableEvidence = (family: Family<BaseIntake>) =>
  family.evidence.filter((e) => e.provider === 'seller').map((e) => ({ kind: e.kind, label: e.label }));

/**
 * The snippet and what the agent adds, checked against the snippet: free text only where it is taken (and
 * then within {@link FREE_TEXT_MAX}), evidence items exactly when it asks for them, each a seller item of
 * the family's contract. Every problem is reported at once, with its field path.
 */
export const checkReply = (family: Family<BaseIntake>, input: ReplyInput): Snippet => {
  const snippet = family.templates.snippets.find((s) => s.id === input.snippet);
  if (!snippet) {
    throw validationFailed([
      {
        path: 'snippet',
        reason: `not an approved ${family.id} snippet; one of ${family.templates.snippets.map((s) => s.id).join(', ')}`,
      },
    ]);
  }
  const issues: { path: string; reason: string }[] = [];
  const text = input.text?.trim();
  if (snippet.freeText === 'none' && input.text !== undefined) {
    issues.push({ path: 'text', reason: `the ${snippet.id} snippet takes no free text` });
  }
  if (snippet.freeText === 'required' && !text) {
    issues.push({ path: 'text', reason: `the ${snippet.id} snippet needs your own words` });
  }
  if (text && text.length > FREE_TEXT_MAX) {
    issues.push({ path: 'text', reason: `at most ${FREE_TEXT_MAX} characters` });
  }
  const askable = new Set(askableEvidence(family).map((e) => e.kind));
  if (snippet.asksForEvidence) {
    const kinds = input.evidence ?? [];
    if (kinds.length === 0) {
      issues.push({ path: 'evidence', reason: `the ${snippet.id} snippet asks for at least one item` });
    }
    kinds.forEach((kind, i) => {
      if (!askable.has(kind)) {
        issues.push({
          path: `evidence.${i}`,
          reason: `not a seller item of ${family.id}; one of ${[...askable].join(', ')}`,
        });
      }
    });
    if (new Set(kinds).size !== kinds.length) {
      issues.push({ path: 'evidence', reason: 'each item once' });
    }
  } else if (input.evidence !== undefined) {
    issues.push({ path: 'evidence', reason: `the ${snippet.id} snippet asks for no evidence` });
  }
  if (issues.length > 0) throw validationFailed(issues);
  return snippet;
};
