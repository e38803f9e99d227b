import { DomainRuleError } from '#commons/errors.ts';
import { toIssues } from '#commons/validation.ts';
import type { MessageTemplate, Region, TemplateSet } from '#policy/family-policy.ts';

export interface RenderedMessage {
  /** `id@version`, recorded with every message sent. */
  readonly templateRef: string;
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

const escapeHtml = (s: string): string =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

/** Control characters (other than tab and newline) have no place in a message and can forge headers. */
const clean = (value: unknown): unknown => {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
  if (typeof value === 'string') return value.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '');
  if (Array.isArray(value)) return value.map(clean);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, clean(v)]));
  }
  return value;
};

/**
 * Renders a template after validating its variables against the template's schema. The HTML part is the
 * text with every character escaped, so seller- or buyer-supplied text can never become markup.
 */
export const render = <V>(template: MessageTemplate<V>, vars: V): RenderedMessage => {
  const parsed = template.variables.safeParse(clean(vars));
  if (!parsed.success) {
    throw new DomainRuleError(
      `template ${template.id}@${template.version}: invalid variables`,
      toIssues(parsed.error),
    );
  }
  const text = template.text(parsed.data);
  const subject = template.subject(parsed.data).replace(/[\r\n]+/g, ' ');
  const html = `<!doctype html><html><body>${text
    .split('\n\n')
    .map((p) => `<p>${escapeHtml(p).replace(/\n/g, '<br>')}</p>`)
    .join('')}</body></html>`;
  return { templateRef: `${template.id}@${template.version}`, subject, text, html };
};

/** The template for the case's region, or the family's default wording. */
export const templateFor = <V>(set: TemplateSet<V>, region: Region): MessageTemplate<V> =>
  set.regions?.[region] ?? set.default;
