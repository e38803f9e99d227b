import { randomUUID } from 'node:crypto';
import type { Principal } from '#commons/http/principal.ts';
import type { CaseRecord } from './case.ts';
import { commitChange } from './case-store.ts';

/**
 * Internal notes: what a team member wants the next person on the case to know. A note is an audit event
 * (`note.added`) of the case, in the ops timeline only; the ops view redacts one that quotes protected
 * evidence for teams without the right (case-view.ts). A concurrent change is re-read and the note added
 * again on top (`rebase`), so a busy case does not turn a note away.
 */
export const addNote = async (
  record: CaseRecord,
  text: string,
  author: Extract<Principal, { kind: 'ops' }>,
) => {
  const noteId = `note_${randomUUID().replaceAll('-', '').slice(0, 20)}`;
  const committed = await commitChange(
    record,
    {
      events: [
        {
          type: 'note.added',
          actor: { kind: 'ops', id: author.userId },
          detail: `Note: ${text.length > 200 ? `${text.slice(0, 199)}…` : text}`,
          data: { noteId, text, ...(author.team ? { team: author.team } : {}) },
        },
      ],
    },
    { rebase: 3 },
  );
  return { noteId, at: committed.updatedAt, author: author.userId, text };
};
