/**
 * The console's user pool groups and what they grant, read by the API (principal.ts, from the verified
 * token) and by the console (to show who signed in). No imports: the console bundles this file.
 */
export const SUPERVISORS_GROUP = 'supervisors';
export const TEAM_GROUP_PREFIX = 'team-';
export const GROUPS_CLAIM = 'cognito:groups';

export type PoolRole =
  | { readonly kind: 'supervisor' }
  | { readonly kind: 'team'; readonly team: string }
  | { readonly kind: 'several-teams'; readonly teams: readonly string[] }
  | { readonly kind: 'none' };

/**
 * A supervisor is ops without a team whatever other groups they are in; `team-<team>` is ops on that team;
 * a user on several teams gets none of them (the API refuses rather than pick one by chance).
 */
export const roleOfGroups = (groups: readonly string[]): PoolRole => {
  if (groups.includes(SUPERVISORS_GROUP)) return { kind: 'supervisor' };
  const teams = groups
    .filter((g) => g.startsWith(TEAM_GROUP_PREFIX))
    .map((g) => g.slice(TEAM_GROUP_PREFIX.length));
  if (teams.length > 1) return { kind: 'several-teams', teams };
  return teams[0] ? { kind: 'team', team: teams[0] } : { kind: 'none' };
};
