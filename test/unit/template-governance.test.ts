import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { FAMILIES } from '#policy/families.ts';
import type { MessageTemplate, TemplateSet } from '#policy/family-policy.ts';

/**
 * The governance check of seed 000 §5.3 / §9.3: every template has an owner, a review date that has not
 * passed, a policy reference and a version; it uses only variables its schema declares; region variants
 * extend the default's id. Fails `npm test` when wording outlives its review or loses its owner.
 */
const all: { family: string; name: string; template: MessageTemplate<never> }[] = [];
const variants: { defaultId: string; id: string }[] = [];
for (const family of Object.values(FAMILIES)) {
  const sets = [
    ...Object.entries(family.templates).filter(([name]) => name !== 'snippets'),
    ...family.templates.snippets.map((s) => [`snippet ${s.id}`, s.template] as const),
  ] as [string, TemplateSet<never> | undefined][];
  for (const [name, set] of sets) {
    if (!set) continue;
    all.push({ family: family.id, name, template: set.default });
    for (const [region, variant] of Object.entries(set.regions ?? {})) {
      variants.push({ defaultId: set.default.id, id: variant.id });
      all.push({ family: family.id, name: `${name} (${region})`, template: variant });
    }
  }
}

/** Records which variables a template reads, by rendering it against a recording proxy. */
const variablesRead = (template: MessageTemplate<never>): Set<string> => {
  const read = new Set<string>();
  const proxy = new Proxy(
    {},
    {
      get: (_, key) => {
        if (typeof key === 'string') read.add(key);
        return key === 'missing' ? ['item'] : 'x';
      },
    },
  ) as never;
  template.subject(proxy);
  template.text(proxy);
  return read;
};

const declared = (template: MessageTemplate<never>): Set<string> =>
  new Set(Object.keys((template.variables as unknown as z.ZodObject).shape ?? {}));

describe('template governance', () => {
  it('covers every family', () => {
    expect(new Set(all.map((t) => t.family)).size).toBe(Object.keys(FAMILIES).length);
  });

  it.each(all.map((t) => [`${t.family} ${t.name}`, t.template] as const))(
    '%s has an owner, a live review date and a policy',
    (_, template) => {
      expect(template.owner).toMatch(/^[^@\s]+@[^@\s]+$/);
      expect(Date.parse(template.reviewBy)).toBeGreaterThan(Date.now());
      expect(template.policyRef.trim().length).toBeGreaterThan(3);
      expect(Number.isInteger(template.version) && template.version > 0).toBe(true);
    },
  );

  it.each(all.map((t) => [`${t.family} ${t.name}`, t.template] as const))(
    '%s reads only variables its schema declares',
    (_, template) => {
      const missing = [...variablesRead(template)].filter((name) => !declared(template).has(name));

      expect(missing).toEqual([]);
    },
  );

  it('names region variants after their default, so counting a message kind counts every region', () => {
    expect(variants.length).toBeGreaterThan(0);
    for (const { defaultId, id } of variants) expect(id.startsWith(`${defaultId}.`)).toBe(true);
  });

  it('would catch a template reading an undeclared variable', () => {
    const first = all[0]?.template;
    if (!first) throw new Error('no templates');
    const broken = {
      ...first,
      text: (v: Record<string, string>) => `${v.caseId} ${v.sellerPassword}`,
    } as unknown as MessageTemplate<never>;

    expect([...variablesRead(broken)].filter((name) => !declared(broken).has(name))).toEqual([
      'sellerPassword',
    ]);
  });
});
