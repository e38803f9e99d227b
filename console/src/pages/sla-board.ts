import { get, getLocal } from '../api.ts';
import { badge, h, mount } from '../dom.ts';
import { dateTime, hours, words } from '../format.ts';
import type { FailedTimer, SlaBoard } from '../types.ts';

/** Per team, the open cases whose resolution clock is breached or at risk, soonest due first. */
export const slaBoardPage = (root: HTMLElement) => {
  const load = async () => {
    const [board, failed] = await Promise.all([
      get<SlaBoard>('/ops/sla'),
      getLocal<FailedTimer[]>('/dev/timers/failed').catch(() => []),
    ]);
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
              h(
                'h2',
                {},
                `${words(team.team)}: ${team.breached} breached, ${team.atRisk} at risk${team.more ? ' (the longest overdue; more below)' : ''}`,
              ),
              team.more
                ? h(
                    'p',
                    { class: 'muted' },
                    h(
                      'a',
                      { href: `#/cases?team=${team.team}&sla=breached` },
                      'Every breached case of this team',
                    ),
                  )
                : null,
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
      failedTimers(failed),
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

/** Timers (reminders, warnings, escalations) that failed after every retry: never silent. */
const failedTimers = (failed: readonly FailedTimer[]) =>
  failed.length === 0
    ? null
    : h(
        'section',
        { class: 'panel', 'data-failed-timers': String(failed.length) },
        h('h2', {}, `Timers that failed: ${failed.length}`),
        h(
          'p',
          { class: 'error' },
          'These reminders or escalations did not happen; act on the cases by hand.',
        ),
        h(
          'table',
          {},
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              ['Case', 'Timer', 'Due', 'Attempts', 'Last error'].map((t) => h('th', { scope: 'col' }, t)),
            ),
          ),
          h(
            'tbody',
            {},
            failed.map((t) =>
              h(
                'tr',
                {},
                h('td', {}, t.caseId ? h('a', { href: `#/cases/${t.caseId}` }, t.caseId) : '—'),
                h('td', {}, t.timer ?? t.schedule),
                h('td', { class: 'when' }, dateTime(t.dueAt)),
                h('td', {}, String(t.attempts)),
                h('td', {}, t.error ? `${t.error.error}: ${t.error.message}` : '—'),
              ),
            ),
          ),
        ),
      );
