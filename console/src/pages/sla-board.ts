import { get } from '../api.ts';
import { badge, h, mount } from '../dom.ts';
import { dateTime, hours, words } from '../format.ts';
import type { SlaBoard } from '../types.ts';

/** Per team, the open cases whose resolution clock is breached or at risk, soonest due first. */
export const slaBoardPage = (root: HTMLElement) => {
  const load = async () => {
    const board = await get<SlaBoard>('/ops/sla');
    mount(
      root,
      h('h1', {}, 'SLA board'),
      h(
        'p',
        { class: 'muted' },
        `As of ${dateTime(board.at)}: open cases past ${75}% of their resolution target, by team.`,
      ),
      board.teams.length === 0
        ? h('p', { class: 'ok' }, 'No case is at risk or breached.')
        : board.teams.map((team) =>
            h(
              'section',
              { class: 'panel', 'data-team': team.team },
              h('h2', {}, `${words(team.team)}: ${team.breached} breached, ${team.atRisk} at risk`),
              h(
                'table',
                {},
                h(
                  'thead',
                  {},
                  h(
                    'tr',
                    {},
                    ['Case', 'Family', 'Status', 'Tier', 'Risk', 'Due', 'Used', 'Escalation'].map((t) =>
                      h('th', { scope: 'col' }, t),
                    ),
                  ),
                ),
                h(
                  'tbody',
                  {},
                  team.cases.map((c) =>
                    h(
                      'tr',
                      {},
                      h('td', {}, h('a', { href: `#/cases/${c.caseId}` }, c.caseId)),
                      h('td', {}, words(c.family)),
                      h('td', {}, words(c.status)),
                      h('td', {}, words(c.sellerTier)),
                      h('td', {}, badge(words(c.risk), c.risk)),
                      h('td', { class: 'when' }, dateTime(c.dueAt)),
                      h('td', {}, `${hours(c.usedHours)} (${hours(c.leftHours)} left)`),
                      h('td', {}, c.escalationLevel > 0 ? `level ${c.escalationLevel}` : '—'),
                    ),
                  ),
                ),
              ),
            ),
          ),
    );
    root.dataset.loaded = 'true';
  };
  load().catch((error: Error) =>
    mount(root, h('h1', {}, 'SLA board'), h('p', { class: 'error' }, error.message)),
  );
  const timer = setInterval(() => {
    if (document.visibilityState === 'visible') load().catch(() => undefined);
  }, 10_000);
  return () => clearInterval(timer);
};
