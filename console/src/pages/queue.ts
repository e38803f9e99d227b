import { ApiError, get, post, put, viewer } from '../api.ts';
import { badge, h, mount, panel } from '../dom.ts';
import { dateTime, hours, words } from '../format.ts';
import type { AgentView } from '../types.ts';

const REFRESH_MS = 3000;

const caseLink = (caseId: string) => h('a', { href: `#/cases/${encodeURIComponent(caseId)}` }, caseId);

/**
 * Every agent the viewer may see, with their load (who has room) and their figures from the scoreboard:
 * decisions on cases they held, the median time from getting a case to its decision, and cases taken from
 * them (reassigned, or back to the queue when away or silent).
 */
const agentsTable = (agents: readonly AgentView[]) =>
  h(
    'table',
    { class: 'agents' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        [
          'Agent',
          'Team',
          'Status',
          'Load',
          'Skills',
          'Cases',
          'Handled',
          'Median handle time',
          'Reassigned away',
        ].map((t) => h('th', {}, t)),
      ),
    ),
    h(
      'tbody',
      {},
      agents.map((a) =>
        h(
          'tr',
          { 'data-agent-id': a.agentId },
          h('td', {}, a.name, ' ', h('code', {}, a.agentId)),
          h('td', {}, words(a.team)),
          h('td', {}, badge(a.status, a.status === 'available' ? 'on_track' : 'muted')),
          h('td', { class: 'load' }, `${a.load}/${a.capacity}`),
          h(
            'td',
            {},
            Object.entries(a.skills)
              .filter(([, values]) => values && values.length > 0)
              .map(([kind, values]) => `${kind}: ${(values ?? []).join(', ')}`)
              .join('; ') || 'any case',
          ),
          h(
            'td',
            {},
            a.cases.map((c, i) => [i > 0 ? ' ' : null, caseLink(c)]),
          ),
          h('td', { class: 'handled' }, String(a.metrics.handled)),
          h('td', { class: 'handle-time' }, hours(a.metrics.medianHandleHours)),
          h('td', { class: 'reassigned-away' }, String(a.metrics.reassignedAway)),
        ),
      ),
    ),
  );

/**
 * "My queue": signed in as an agent of the chosen team, the cases they hold, a button that takes the
 * highest-priority case of the team's queue their skills cover, and their status. A supervisor (no team)
 * sees every agent and their load instead.
 */
export const queuePage = (root: HTMLElement, reRender: () => void) => {
  const body = h('div', {});
  mount(root, h('h1', {}, 'My queue'), body);
  let stopped = false;

  let shown = '';
  /** Redraws only when what the page shows changed, so a button is never swapped under the pointer. */
  const unchanged = (what: unknown) => {
    const next = JSON.stringify(what);
    if (next === shown) return true;
    shown = next;
    return false;
  };

  const load = async () => {
    if (!viewer.team) {
      const { agents } = await get<{ agents: AgentView[] }>('/ops/agents');
      if (unchanged({ agents })) return;
      mount(
        body,
        h(
          'p',
          { class: 'muted' },
          'Signed in as a supervisor: every agent and what they hold. Pick a team above to work as one of its agents.',
        ),
        agents.length ? agentsTable(agents) : h('p', {}, 'No agents yet (PUT /ops/agents/{agentId}).'),
      );
      return;
    }
    const { agents } = await get<{ agents: AgentView[] }>(
      `/ops/agents?team=${encodeURIComponent(viewer.team)}`,
    );
    const me = agents.find((a) => a.agentId === viewer.agent);
    if (unchanged({ team: viewer.team, agent: viewer.agent, agents })) return;
    const picker = h(
      'select',
      { name: 'agent', 'aria-label': 'Work as' },
      h('option', { value: '' }, 'choose an agent…'),
      agents.map((a) => h('option', { value: a.agentId, selected: a.agentId === viewer.agent }, a.name)),
    ) as HTMLSelectElement;
    picker.addEventListener('change', () => {
      viewer.agent = picker.value;
      reRender();
    });
    if (!me) {
      mount(
        body,
        h('label', { class: 'viewer' }, `Work as an agent of the ${words(viewer.team)} team: `, picker),
        agents.length ? null : h('p', {}, 'This team has no agents yet.'),
      );
      return;
    }
    const result = h('div', { class: 'result', role: 'status' });
    const next = h('button', { type: 'button', name: 'next' }, 'Next case') as HTMLButtonElement;
    next.addEventListener('click', async () => {
      next.disabled = true;
      try {
        const taken = await post<{ caseId: string } | undefined>('/ops/queue/next');
        if (taken) location.hash = `#/cases/${encodeURIComponent(taken.caseId)}`;
        else {
          result.className = 'result';
          result.replaceChildren('Nothing in the queue your skills cover.');
          next.disabled = false;
        }
      } catch (error) {
        result.className = 'result error';
        result.replaceChildren(
          error instanceof ApiError ? `${error.status}: ${error.message}` : (error as Error).message,
        );
        next.disabled = false;
      }
    });
    const away = me.status === 'away';
    const status = h(
      'button',
      { type: 'button', name: 'status' },
      away ? 'I am back' : 'Go away',
    ) as HTMLButtonElement;
    status.addEventListener('click', async () => {
      status.disabled = true;
      await put(`/ops/agents/${encodeURIComponent(me.agentId)}/status`, {
        status: away ? 'available' : 'away',
      });
      shown = '';
      await load();
    });
    mount(
      body,
      h('label', { class: 'viewer' }, 'Working as ', picker),
      h(
        'p',
        { class: 'case-head' },
        badge(me.status, away ? 'muted' : 'on_track'),
        ` holding ${me.load} of ${me.capacity}`,
        me.lastAssignedAt ? ` · last given a case ${dateTime(me.lastAssignedAt)}` : null,
      ),
      h(
        'p',
        { class: 'my-figures muted' },
        `Decided ${me.metrics.handled} case(s) you held, median ${hours(me.metrics.medianHandleHours)} from getting one; ${me.metrics.reassignedAway} taken from you`,
      ),
      h('p', {}, next, ' ', status, result),
      panel(
        'mine',
        `My cases (${me.cases.length})`,
        me.cases.length
          ? h(
              'ul',
              { class: 'my-cases' },
              me.cases.map((c) => h('li', { 'data-case-id': c }, caseLink(c))),
            )
          : h('p', { class: 'muted' }, 'None right now.'),
      ),
    );
  };

  const refresh = async () => {
    try {
      // A form being used is not redrawn under the user.
      if (!body.querySelector('button:disabled')) await load();
      root.dataset.loaded = 'true';
    } catch (error) {
      mount(body, h('p', { class: 'error' }, (error as Error).message));
      root.dataset.loaded = 'true';
    }
  };
  void refresh();
  const timer = setInterval(() => {
    if (!stopped && document.visibilityState === 'visible') void refresh();
  }, REFRESH_MS);
  return () => {
    stopped = true;
    clearInterval(timer);
  };
};
