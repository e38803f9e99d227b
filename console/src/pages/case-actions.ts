import { ApiError, get, post, viewer } from '../api.ts';
import { badge, h, panel } from '../dom.ts';
import { dateTime, words } from '../format.ts';
import type { AgentView, OpsCase } from '../types.ts';

/** What the API said was wrong, field by field, as it said it. */
export const problem = (error: unknown) =>
  error instanceof ApiError
    ? [
        h('strong', {}, `${error.status}: ${error.message}`),
        error.issues.length
          ? h(
              'ul',
              {},
              error.issues.map((i) => h('li', {}, `${i.path}: ${i.reason}`)),
            )
          : null,
      ]
    : h('strong', {}, (error as Error).message);

/**
 * A form that posts to the ops API and reports what came back. It marks itself dirty while being filled
 * in, so the case page's refresh does not wipe what the user typed.
 */
const actionForm = (
  name: string,
  submitLabel: string,
  fields: HTMLElement[],
  send: (data: FormData) => Promise<unknown>,
  done: () => void,
) => {
  const result = h('div', { class: 'result', role: 'status' });
  const form = h(
    'form',
    { class: 'action', name },
    fields,
    h('button', { type: 'submit' }, submitLabel),
    result,
  ) as HTMLFormElement;
  form.addEventListener('input', () => {
    form.dataset.dirty = 'true';
  });
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const button = form.querySelector('button');
    if (button) button.disabled = true;
    result.className = 'result';
    result.replaceChildren('Sending…');
    try {
      await send(new FormData(form));
      result.className = 'result ok';
      result.replaceChildren('Recorded.');
      delete form.dataset.dirty;
      done();
    } catch (error) {
      result.className = 'result error';
      result.replaceChildren(...[problem(error)].flat().filter((n) => n !== null));
      if (button) button.disabled = false;
    }
  });
  return form;
};

const field = (label: string, control: HTMLElement) => h('label', {}, h('span', {}, label), control);

/**
 * While a team holds the case for a decision: record the decision (one of the outcomes the family allows
 * that team) or pass the case to another of the family's teams. The API decides who may do either; the
 * console only shows what it answered.
 */
export const actionsPanel = (c: OpsCase, done: () => void) => {
  if (!('allowedOutcomes' in c) || !c.allowedOutcomes) return null;
  const base = `/ops/cases/${encodeURIComponent(c.caseId)}`;
  const decide = actionForm(
    'decide',
    'Record decision',
    [
      field(
        'Outcome',
        h(
          'select',
          { name: 'outcome', required: true },
          h('option', { value: '' }, 'choose…'),
          c.allowedOutcomes.map((o) => h('option', { value: o.id }, `${o.label} (${o.policyRef})`)),
        ),
      ),
      field('Rationale', h('textarea', { name: 'rationale', rows: 3, maxlength: 2000 })),
    ],
    (data) => post(`${base}/decision`, { outcome: data.get('outcome'), rationale: data.get('rationale') }),
    done,
  );
  const transferTo = 'transferTo' in c ? (c.transferTo ?? []) : [];
  const transfer = transferTo.length
    ? actionForm(
        'transfer',
        'Transfer',
        [
          field(
            'To team',
            h(
              'select',
              { name: 'team' },
              transferTo.map((t) => h('option', { value: t }, words(t))),
            ),
          ),
          field('Reason', h('input', { name: 'reason', maxlength: 500 })),
          field(
            'Reason for sending it back (if it came from there)',
            h('input', { name: 'returnReason', maxlength: 500 }),
          ),
        ],
        (data) =>
          post(`${base}/transfer`, {
            team: data.get('team'),
            reason: data.get('reason'),
            ...(data.get('returnReason') ? { returnReason: data.get('returnReason') } : {}),
          }),
        done,
      )
    : null;
  return panel(
    'actions',
    `Decide (${words(c.waiting && 'team' in c.waiting ? c.waiting.team : c.routing?.team)} team)`,
    decide,
    transfer ? [h('h3', {}, 'Or pass it on'), transfer] : null,
  );
};

/**
 * Who owns the case while its team decides: the assignee with the rule and reason that chose them, or its
 * place in the team's queue; a supervisor can give it to one of the team's agents. Every case takes
 * internal notes, which only ops see.
 */
export const ownerPanel = (c: OpsCase, done: () => void) => {
  const base = `/ops/cases/${encodeURIComponent(c.caseId)}`;
  const team = c.waiting && 'team' in c.waiting ? c.waiting.team : c.routing?.team;
  const withTeam = 'allowedOutcomes' in c && !!c.allowedOutcomes;
  const owner = withTeam
    ? c.assignee
      ? h(
          'p',
          { class: 'assignee', 'data-agent-id': c.assignee.agentId },
          'Assigned to ',
          h('strong', {}, c.assignee.name),
          ` (${c.assignee.agentId}) ${dateTime(c.assignee.assignedAt)} by `,
          h('code', {}, c.assignee.rule),
          `: ${c.assignee.reason}`,
        )
      : h(
          'p',
          { class: 'queued' },
          badge('queued', 'at_risk'),
          'queue' in c && c.queue
            ? ` #${c.queue.position} in the ${words(c.queue.team)} team's queue`
            : ` in the ${words(team)} team's queue`,
        )
    : null;
  const priority =
    withTeam && 'priority' in c && c.priority
      ? h(
          'p',
          { class: 'priority' },
          `Priority ${c.priority.level} (${c.priority.ruleId}): ${c.priority.reason}`,
        )
      : null;
  let assign: HTMLElement | null = null;
  if (withTeam && !viewer.team && team) {
    const agents = h('select', { name: 'agentId', required: true }, h('option', { value: '' }, 'choose…'));
    void get<{ agents: AgentView[] }>(`/ops/agents?team=${encodeURIComponent(team)}`).then(
      ({ agents: list }) =>
        agents.append(
          ...list.map((a) =>
            h(
              'option',
              { value: a.agentId, disabled: a.status !== 'available' },
              `${a.name} (${a.load}/${a.capacity}${a.status === 'away' ? ', away' : ''})`,
            ),
          ),
        ),
    );
    assign = actionForm(
      'assign',
      c.assignee ? 'Reassign' : 'Assign',
      [field('Agent', agents), field('Why', h('input', { name: 'reason', maxlength: 500 }))],
      (data) =>
        post(`${base}/assign`, {
          agentId: data.get('agentId'),
          ...(data.get('reason') ? { reason: data.get('reason') } : {}),
        }),
      done,
    );
  }
  const note = actionForm(
    'note',
    'Add note',
    [
      field(
        'Internal note (ops only, never the seller)',
        h('textarea', { name: 'text', rows: 2, maxlength: 5000 }),
      ),
    ],
    (data) => post(`${base}/notes`, { text: data.get('text') }),
    done,
  );
  return panel('owner', withTeam ? 'Owner and notes' : 'Notes', owner, priority, assign, note);
};

/**
 * The reply composer: the case's owner (or a supervisor) writes to the seller from one of the family's
 * approved snippets, adding their own words where the snippet takes them; a snippet that asks for more
 * evidence lists the items to tick and opens a new evidence wait. The API checks all of it again.
 */
export const replyPanel = (c: OpsCase, done: () => void) => {
  if (!('replySnippets' in c) || !c.replySnippets?.length) return null;
  const snippets = c.replySnippets;
  const askable = 'askableEvidence' in c ? (c.askableEvidence ?? []) : [];
  const select = h(
    'select',
    { name: 'snippet', required: true },
    snippets.map((s) => h('option', { value: s.id }, `${s.label} — ${s.template}`)),
  ) as HTMLSelectElement;
  const text = h('textarea', { name: 'text', rows: 3, maxlength: 2000 }) as HTMLTextAreaElement;
  const textField = field('Your words', text);
  const items = h(
    'fieldset',
    { class: 'evidence-items' },
    h('legend', {}, 'Ask the seller for'),
    askable.map((e) =>
      h('label', {}, h('input', { type: 'checkbox', name: 'evidence', value: e.kind }), ` ${e.label}`),
    ),
  );
  // Show what the chosen snippet takes: words (required or not, or none) and evidence items.
  const fitFields = () => {
    const chosen = snippets.find((s) => s.id === select.value) ?? snippets[0];
    // `style`, not `hidden`: the stylesheet lays labels out as grids, which would override the attribute.
    textField.style.display = chosen?.freeText === 'none' ? 'none' : '';
    text.required = chosen?.freeText === 'required';
    items.style.display = chosen?.asksForEvidence ? '' : 'none';
  };
  select.addEventListener('change', fitFields);
  fitFields();
  const form = actionForm(
    'reply',
    'Send to seller',
    [field('Snippet', select), textField, items],
    (data) => {
      const chosen = snippets.find((s) => s.id === data.get('snippet'));
      const words = String(data.get('text') ?? '').trim();
      return post(`/ops/cases/${encodeURIComponent(c.caseId)}/replies`, {
        snippet: data.get('snippet'),
        ...(chosen?.freeText !== 'none' && words ? { text: words } : {}),
        ...(chosen?.asksForEvidence ? { evidence: data.getAll('evidence') } : {}),
      });
    },
    done,
  );
  return panel('reply', 'Write to the seller', form);
};
