import { ApiError, post } from '../api.ts';
import { h, panel } from '../dom.ts';
import { words } from '../format.ts';
import type { OpsCase } from '../types.ts';

/** What the API said was wrong, field by field, as it said it. */
const problem = (error: unknown) =>
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
