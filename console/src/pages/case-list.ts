import { get } from '../api.ts';
import { badge, h, mount } from '../dom.ts';
import { dateTime, hours, words } from '../format.ts';
import type { CaseListPage, CaseListRow } from '../types.ts';

/** The list's filters, kept in the URL (`#/cases?family=…`) so a filtered view can be shared and reloaded. */
const FILTERS = [
  ['family', 'Family'],
  ['status', 'Status'],
  ['team', 'Team'],
  ['tier', 'Seller tier'],
  ['region', 'Region'],
  ['channel', 'Channel'],
  ['sla', 'SLA risk'],
] as const;

const REFRESH_MS = 3000;

export const slaBadge = (sla: CaseListRow['sla']) =>
  sla.risk === 'stopped'
    ? badge('met or stopped', 'muted')
    : badge(
        sla.risk === 'on_track'
          ? `on track${sla.leftHours !== null ? ` · ${hours(sla.leftHours)} left` : ''}`
          : sla.risk === 'at_risk'
            ? `at risk · ${hours(sla.leftHours)} left`
            : `breached · ${hours(-(sla.leftHours ?? 0))} over`,
        sla.risk,
      );

const row = (c: CaseListRow) =>
  h(
    'tr',
    { 'data-case-id': c.caseId },
    h('td', {}, h('a', { href: `#/cases/${c.caseId}` }, c.caseId)),
    h('td', {}, words(c.family)),
    h('td', {}, badge(words(c.status), `status-${c.status}`)),
    h('td', {}, words(c.team)),
    h('td', {}, words(c.sellerTier)),
    h('td', {}, c.region),
    h('td', {}, c.channel),
    h(
      'td',
      {},
      slaBadge(c.sla),
      c.escalationLevel > 0 ? badge(`escalated ×${c.escalationLevel}`, 'breached') : null,
    ),
    h('td', { class: 'when' }, dateTime(c.createdAt)),
    h('td', { class: 'when' }, c.statusSince ? dateTime(c.statusSince) : '—'),
  );

/**
 * Every case, newest first, filtered by family, status, team, seller tier, region, channel, seller and SLA
 * risk (most urgent first), or found by its id. The first page refreshes itself, so cases opened meanwhile appear at the top.
 */
export const caseListPage = (root: HTMLElement, params: URLSearchParams) => {
  const query = new URLSearchParams();
  for (const [name] of FILTERS) {
    const value = params.get(name);
    if (value) query.set(name, value);
  }
  const search = params.get('q') ?? '';
  if (search) query.set('q', search);
  const seller = params.get('seller') ?? '';
  if (seller) query.set('seller', seller);

  const setParam = (name: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(name, value);
    else next.delete(name);
    location.hash = `#/cases${next.size ? `?${next}` : ''}`;
  };

  const body = h('tbody');
  const status = h('p', { class: 'muted', id: 'list-status' }, 'Loading…');
  const more = h('button', { type: 'button', class: 'more', hidden: true }, 'Show more');
  const filterBar = h('form', {
    class: 'filters',
    role: 'search',
    onsubmit: (e: Event) => e.preventDefault(),
  });
  mount(
    root,
    h('h1', {}, 'Cases'),
    filterBar,
    h(
      'table',
      { class: 'cases' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          [
            'Case',
            'Family',
            'Status',
            'Team',
            'Tier',
            'Region',
            'Channel',
            'SLA',
            'Opened',
            'In status since',
          ].map((t) => h('th', { scope: 'col' }, t)),
        ),
      ),
      body,
    ),
    status,
    more,
  );

  let cursor: string | null = null;
  let pagesShown = 1;
  let filtersDrawn = false;

  const drawFilters = (filters: CaseListPage['filters']) => {
    if (filtersDrawn) return;
    filtersDrawn = true;
    const input = h('input', {
      type: 'search',
      name: 'q',
      placeholder: 'Case id, e.g. case_…',
      value: search,
      'aria-label': 'Search by case id',
    }) as HTMLInputElement;
    const sellerInput = h('input', {
      type: 'search',
      name: 'seller',
      placeholder: 'Seller id',
      value: seller,
      'aria-label': "A seller's cases",
    }) as HTMLInputElement;
    sellerInput.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') setParam('seller', sellerInput.value.trim());
    });
    mount(
      filterBar,
      FILTERS.map(([name, label]) =>
        h(
          'label',
          {},
          label,
          h(
            'select',
            { name, onchange: (e: Event) => setParam(name, (e.target as HTMLSelectElement).value) },
            h('option', { value: '' }, 'any'),
            (filters[name] as readonly string[]).map((v) =>
              h('option', { value: v, selected: params.get(name) === v }, words(v)),
            ),
          ),
        ),
      ),
      h('label', {}, 'Seller', sellerInput),
      h(
        'label',
        {},
        'Find',
        input,
        h('button', { type: 'button', onclick: () => setParam('q', input.value.trim()) }, 'Go'),
      ),
      params.size ? h('a', { href: '#/cases', class: 'clear' }, 'Clear') : null,
    );
    input.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') setParam('q', input.value.trim());
    });
  };

  const load = async (append: boolean) => {
    const q = new URLSearchParams(query);
    if (append && cursor) q.set('cursor', cursor);
    const started = performance.now();
    const page = await get<CaseListPage>(`/ops/cases?${q}`);
    drawFilters(page.filters);
    if (append) body.append(...page.cases.map(row));
    else mount(body, page.cases.map(row));
    cursor = page.nextCursor;
    more.hidden = !cursor;
    const shown = body.children.length;
    status.textContent =
      shown === 0
        ? search
          ? `No case ${search}.`
          : cursor
            ? 'None of the cases read so far match; more below.'
            : 'No cases match these filters.'
        : `${shown} case${shown === 1 ? '' : 's'} shown${page.order === 'most-urgent' ? ', most urgent first' : ''}${cursor ? ', more below' : ''} · loaded in ${Math.round(performance.now() - started)} ms`;
    root.dataset.loaded = 'true';
  };

  more.addEventListener('click', () => {
    pagesShown++;
    void load(true);
  });
  const fail = (error: Error) => {
    status.textContent = `Could not load cases: ${error.message}`;
  };
  load(false).catch(fail);
  // Only the first page refreshes: refreshing would otherwise drop the pages the user asked for.
  const timer = setInterval(() => {
    if (pagesShown === 1 && document.visibilityState === 'visible') load(false).catch(fail);
  }, REFRESH_MS);
  return () => clearInterval(timer);
};
