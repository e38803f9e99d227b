import { get, put } from '../api.ts';
import { weekBars } from '../charts/week-bars.ts';
import { badge, facts, h, mount, svg } from '../dom.ts';
import { dateTime, words } from '../format.ts';
import type { CaseListPage, FaqGroupView, FaqPage } from '../types.ts';
import { problem } from './case-actions.ts';

const TREND = { rising: 'at_risk', falling: 'on_track', steady: 'muted' } as const;

/**
 * Mark a group as an FAQ candidate (with an optional note for whoever writes the FAQ) or clear the mark.
 * The API answers the group as it is now; the page redraws it from that answer.
 */
const markForm = (group: FaqGroupView, redraw: (next: FaqGroupView, said: string) => void) => {
  const result = h('div', { class: 'result', role: 'status' });
  const note = h('input', { name: 'note', maxlength: 500, size: 50 }) as HTMLInputElement;
  const form = h(
    'form',
    { class: 'action', name: 'faq-mark' },
    group.candidate ? null : h('label', {}, h('span', {}, 'Note for the FAQ writer (optional)'), note),
    h('button', { type: 'submit' }, group.candidate ? 'Clear' : 'Mark as FAQ candidate'),
    result,
  ) as HTMLFormElement;
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const button = form.querySelector('button');
    if (button) button.disabled = true;
    result.className = 'result';
    result.replaceChildren('Sending…');
    try {
      // An empty note is no note; anything else goes as typed, and the API says what it refuses.
      const body = group.candidate
        ? { candidate: false }
        : { candidate: true, ...(note.value ? { note: note.value } : {}) };
      const next = await put<FaqGroupView>(
        `/ops/faq/groups/${encodeURIComponent(group.groupId)}/candidate`,
        body,
      );
      redraw(next, next.candidate ? 'Marked as an FAQ candidate.' : 'Mark cleared.');
    } catch (error) {
      result.className = 'result error';
      result.replaceChildren(...[problem(error)].flat().filter((n) => n !== null));
      if (button) button.disabled = false;
    }
  });
  return form;
};

const groupArticle = (group: FaqGroupView, said?: string): HTMLElement => {
  const sources = Object.entries(group.sources)
    .map(([source, n]) => `${n} from ${source === 'email' ? 'emails' : 'intakes'}`)
    .join(', ');
  const article = h(
    'article',
    {
      class: 'panel faq-group',
      'data-group-id': group.groupId,
      'data-candidate': group.candidate ? 'true' : undefined,
    },
    h('h2', { class: 'representative' }, `“${group.representative}”`),
    facts([
      [
        'Size',
        `${group.size} statement${group.size === 1 ? '' : 's'} from ${group.cases} case${group.cases === 1 ? '' : 's'}`,
      ],
      ['Sources', sources],
      [
        'Trend',
        h(
          'span',
          { class: 'trend' },
          badge(group.trend.direction, TREND[group.trend.direction]),
          svg(weekBars(`Statements a week, the last ${group.trend.weeks.length} weeks`, group.trend.weeks)),
          h(
            'small',
            { class: 'muted' },
            `${group.trend.weeks[0]?.week ?? ''} – ${group.trend.weeks.at(-1)?.week ?? ''}`,
          ),
        ),
      ],
      ['Seen', `${dateTime(group.firstSeen)} – ${dateTime(group.lastSeen)}`],
      [
        'Example cases',
        h(
          'ul',
          { class: 'examples' },
          group.examples.map((caseId) => h('li', {}, h('a', { href: `#/cases/${caseId}` }, caseId))),
        ),
      ],
      [
        'Answered with',
        group.templates.length === 0
          ? h('span', { class: 'muted' }, 'no email to these sellers yet')
          : h(
              'ul',
              { class: 'templates' },
              group.templates.map((t) =>
                h(
                  'li',
                  {},
                  h('code', { class: 'template' }, t.template),
                  ` to ${t.cases} case${t.cases === 1 ? '' : 's'}`,
                ),
              ),
            ),
      ],
    ]),
    group.candidate
      ? h(
          'p',
          { class: 'mark' },
          badge('FAQ candidate', 'candidate'),
          `marked by ${group.candidate.markedBy} at ${dateTime(group.candidate.markedAt)}`,
          group.candidate.note ? h('blockquote', {}, group.candidate.note) : null,
        )
      : null,
  );
  const form = markForm(group, (next, text) => article.replaceWith(groupArticle(next, text)));
  if (said) {
    const result = form.querySelector('.result');
    result?.classList.add('ok');
    result?.replaceChildren(said);
  }
  article.append(form);
  return article;
};

/**
 * FAQ candidates and dispute patterns: a family and reason's recurring seller statements, grouped by
 * likeness as they arrive (largest groups first, a page at a time), each with its size, weekly trend,
 * example cases and the templates that answered them; ops mark a group as an FAQ candidate, which
 * `sellerworks faq export` lists. Family, reason, "candidates only" and the page size (`limit`) are kept in
 * the URL.
 */
export const faqPage = (root: HTMLElement, params: URLSearchParams) => {
  const candidatesOnly = params.get('candidates') === 'true';
  const setParams = (changes: Record<string, string>) => {
    const next = new URLSearchParams(params);
    for (const [name, value] of Object.entries(changes)) {
      if (value) next.set(name, value);
      else next.delete(name);
    }
    location.hash = `#/faq${next.size ? `?${next}` : ''}`;
  };

  const filterBar = h('form', { class: 'filters', onsubmit: (e: Event) => e.preventDefault() });
  const reasonText = h('p', { class: 'muted', id: 'faq-reason' });
  const list = h('div', { id: 'faq-groups' });
  const status = h('div', { id: 'faq-status', class: 'muted', role: 'status' }, 'Loading…');
  const more = h('button', { type: 'button', class: 'more', hidden: true }, 'Show more') as HTMLButtonElement;
  mount(
    root,
    h('h1', {}, 'FAQ candidates'),
    h(
      'p',
      { class: 'muted' },
      'Seller statements (intake statements and the words of their emails) grouped by likeness within a ' +
        'family and reason as they arrive: groups of two statements or more, largest first. Mark a group ' +
        'as an FAQ candidate for whoever writes the FAQ (',
      h('code', {}, 'sellerworks faq export'),
      ' lists them).',
    ),
    filterBar,
    reasonText,
    list,
    status,
    more,
  );

  const drawFilters = (families: readonly string[], family: string, answer?: FaqPage) => {
    const reasons = answer?.reasons ?? [];
    const chosen = answer?.reason ?? params.get('reason') ?? '';
    mount(
      filterBar,
      h(
        'label',
        {},
        'Family',
        h(
          'select',
          {
            name: 'family',
            onchange: (e: Event) => setParams({ family: (e.target as HTMLSelectElement).value, reason: '' }),
          },
          families.map((f) => h('option', { value: f, selected: f === family }, words(f))),
        ),
      ),
      h(
        'label',
        {},
        'Reason',
        h(
          'select',
          {
            name: 'reason',
            disabled: reasons.length === 0,
            onchange: (e: Event) => setParams({ reason: (e.target as HTMLSelectElement).value }),
          },
          reasons.map((r) => h('option', { value: r.id, selected: r.id === chosen }, words(r.id))),
        ),
      ),
      h(
        'label',
        {},
        h('input', {
          type: 'checkbox',
          name: 'candidates',
          checked: candidatesOnly,
          onchange: (e: Event) =>
            setParams({ candidates: (e.target as HTMLInputElement).checked ? 'true' : '' }),
        }),
        'FAQ candidates only',
      ),
      params.size ? h('a', { href: '#/faq', class: 'clear' }, 'Clear') : null,
    );
    const label = reasons.find((r) => r.id === chosen)?.label;
    reasonText.textContent = label ? `${words(chosen)}: “${label}”` : '';
  };

  let cursor: string | null = null;
  let query: URLSearchParams | undefined;

  const showPage = (answer: FaqPage, append: boolean) => {
    const articles = answer.groups.map((g) => groupArticle(g));
    if (append) list.append(...articles);
    else mount(list, articles);
    cursor = answer.nextCursor;
    more.hidden = !cursor;
    const shown = list.children.length;
    status.className = 'muted';
    status.textContent =
      shown > 0
        ? `${shown} group${shown === 1 ? '' : 's'} shown${candidatesOnly ? ' marked as FAQ candidates' : ', largest first'}${cursor ? '; more below' : ''}.`
        : candidatesOnly
          ? 'No group of this reason is marked as an FAQ candidate.'
          : 'No seller statement of this reason has recurred yet.';
  };

  const fail = (error: unknown) => {
    status.className = 'error';
    mount(status, problem(error));
  };

  const load = async () => {
    const { filters } = await get<CaseListPage>('/ops/cases?limit=1');
    const family = params.get('family') || filters.family[0] || '';
    query = new URLSearchParams({ family });
    const reason = params.get('reason');
    if (reason) query.set('reason', reason);
    if (candidatesOnly) query.set('candidates', 'true');
    const limit = params.get('limit'); // groups a page (the API's 20 when absent)
    if (limit) query.set('limit', limit);
    try {
      const answer = await get<FaqPage>(`/ops/faq?${query}`);
      // The reason the API listed (the family's first when none was asked for), so "more" pages match it.
      query.set('reason', answer.reason);
      drawFilters(filters.family, family, answer);
      showPage(answer, false);
    } catch (error) {
      drawFilters(filters.family, family);
      throw error;
    }
  };

  more.addEventListener('click', async () => {
    if (!query || !cursor) return;
    more.disabled = true;
    try {
      showPage(await get<FaqPage>(`/ops/faq?${query}&cursor=${encodeURIComponent(cursor)}`), true);
    } catch (error) {
      fail(error);
    } finally {
      more.disabled = false;
    }
  });

  load()
    .catch(fail)
    .finally(() => {
      root.dataset.loaded = 'true';
    });
  return () => undefined;
};
