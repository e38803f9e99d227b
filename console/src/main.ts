import { get, type SignedInUser, signedIn, viewer } from './api.ts';
import { h, mount } from './dom.ts';
import { words } from './format.ts';
import { caseListPage } from './pages/case-list.ts';
import { casePage } from './pages/case-page.ts';
import { faqPage } from './pages/faq.ts';
import { metricsPage } from './pages/metrics.ts';
import { outboxPage } from './pages/outbox.ts';
import { queuePage } from './pages/queue.ts';
import { reviewResultsPage } from './pages/review-results.ts';
import { reviewsPage } from './pages/reviews.ts';
import { slaBoardPage } from './pages/sla-board.ts';
import { weeklyReviewPage } from './pages/weekly-review.ts';
import type { CaseListPage } from './types.ts';

/** A page draws itself into the main element and returns how to stop its refreshing. */
type Page = (root: HTMLElement, params: URLSearchParams) => () => void;

const route = (hash: string): { nav: string; page: (root: HTMLElement) => () => void } => {
  const [path = '', query = ''] = hash.replace(/^#/, '').split('?');
  const params = new URLSearchParams(query);
  const caseMatch = /^\/cases\/([^/]+)$/.exec(path);
  if (caseMatch) {
    const caseId = decodeURIComponent(caseMatch[1] ?? '');
    return { nav: 'cases', page: (root) => casePage(root, caseId) };
  }
  const pages: Record<string, Page> = {
    '/sla': (root) => slaBoardPage(root),
    '/metrics': metricsPage,
    '/weekly': weeklyReviewPage,
    '/outbox': outboxPage,
    '/faq': faqPage,
    '/queue': (root) => queuePage(root, render),
    '/reviews': reviewsPage,
    '/review-results': reviewResultsPage,
  };
  const page = pages[path] ?? caseListPage;
  return { nav: path.slice(1) || 'cases', page: (root) => page(root, params) };
};

const app = document.getElementById('app') as HTMLElement;
let stop: (() => void) | undefined;

const render = () => {
  stop?.();
  const { nav, page } = route(location.hash);
  for (const link of document.querySelectorAll<HTMLAnchorElement>('[data-nav]'))
    link.toggleAttribute('aria-current', link.dataset.nav === nav);
  delete app.dataset.loaded;
  stop = page(app);
};

/** On AWS: who signed in through the hosted UI, and what their pool groups make them; nothing to pick. */
const roleText = (user: SignedInUser) => {
  switch (user.role.kind) {
    case 'supervisor':
      return 'ops supervisor';
    case 'team':
      return `${words(user.role.team)} team`;
    case 'several-teams':
      return 'in more than one team group (refused)';
    default:
      return 'no SellerWorks role';
  }
};

/** The identity picker: a supervisor sees everything; picking a team shows what that team may see. */
const setUpViewer = async (user: SignedInUser | undefined) => {
  const select = document.getElementById('viewer') as HTMLSelectElement;
  if (user) {
    mount(select, h('option', { value: '' }, `${user.email} · ${roleText(user)}`));
    select.disabled = true;
    return;
  }
  const { filters } = await get<CaseListPage>('/ops/cases?limit=1');
  mount(
    select,
    h('option', { value: '' }, 'ops supervisor'),
    filters.team.map((team) =>
      h('option', { value: team, selected: viewer.team === team }, `${words(team)} team`),
    ),
  );
  select.addEventListener('change', () => {
    viewer.team = select.value;
    render();
  });
};

window.addEventListener('hashchange', render);
// Signed in first: on AWS the hosted UI's round trip puts back the page that was asked for.
signedIn().then(
  (user) => {
    render();
    setUpViewer(user).catch((error: Error) => console.error('could not load the teams', error));
  },
  () => render(), // the page shows why the API refuses
);
