import { loggedInvocation } from '#commons/logging.ts';
import { dispatchEveryTeam } from '#domain/assignment.ts';
import { allTeams } from '#domain/sla-board.ts';

/**
 * Gives queued cases to agents with room, every team: whatever a dispatch after a commit missed (it
 * failed, or its process stopped first). On AWS an EventBridge rule invokes it every minute; locally the
 * runtime does every few seconds. Answers how many cases it assigned.
 */
export const handler = loggedInvocation(
  async (_event?: unknown): Promise<{ assigned: number }> => ({
    assigned: await dispatchEveryTeam(allTeams()),
  }),
  () => ({}),
  (result) => result,
);
