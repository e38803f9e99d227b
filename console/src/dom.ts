/** A child of an element: text is always text (never parsed as markup), arrays are flattened. */
export type Child = Node | string | number | null | undefined | false | readonly Child[];
type AttrValue = string | number | boolean | undefined | null | ((event: Event) => void);

/**
 * Builds an element. Attributes named `on<event>` become listeners; `false`, `null` and `undefined` leave
 * an attribute out. Text children are text nodes, so seller words and email text can never inject markup.
 */
export const h = (tag: string, attrs: Record<string, AttrValue> = {}, ...children: Child[]): HTMLElement => {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (typeof value === 'function') el.addEventListener(name.slice(2).toLowerCase(), value);
    else el.setAttribute(name, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
};

const append = (el: Element, children: readonly Child[]) => {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else if (child instanceof Node) el.appendChild(child);
    else el.appendChild(document.createTextNode(String(child)));
  }
};

/** Replaces an element's content. */
export const mount = (el: Element, ...children: Child[]) => {
  el.replaceChildren();
  append(el, children);
};

/**
 * An SVG document made by the console's own renderers (graph, charts), which escape every text they
 * place; parsed as XML rather than assigned as HTML, so a malformed drawing fails instead of leaking.
 */
export const svg = (markup: string): Element => {
  const doc = new DOMParser().parseFromString(markup, 'image/svg+xml');
  const root = doc.documentElement;
  if (root.nodeName !== 'svg') throw new Error('the drawing is not an SVG document');
  return document.importNode(root, true);
};

/** A section with a heading, as every panel of the case page is. */
export const panel = (id: string, title: string, ...children: Child[]) =>
  h(
    'section',
    { class: 'panel', id, 'aria-labelledby': `${id}-title` },
    h('h2', { id: `${id}-title` }, title),
    ...children,
  );

/** A definition list of label → value pairs, skipping empty values. */
export const facts = (pairs: readonly (readonly [string, Child])[]) =>
  h(
    'dl',
    { class: 'facts' },
    pairs
      .filter(([, value]) => value !== undefined && value !== null && value !== '')
      .map(([label, value]) => [h('dt', {}, label), h('dd', {}, value)]),
  );

export const badge = (text: string, kind: string) => h('span', { class: `badge ${kind}` }, text);
