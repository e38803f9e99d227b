import { BatchGetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoDb } from '#commons/clients/dynamodb.ts';
import { FAMILIES } from '#policy/families.ts';
import type { CaseRecord } from './case.ts';
import { TABLE } from './case-store.ts';
import { OPEN_STATUSES } from './lifecycle.ts';
import { clockView, WARN_AT } from './sla.ts';

const OPEN = OPEN_STATUSES;

/** Every team some family's routing can choose. */
export const allTeams = (): string[] =>
  [...new Set(Object.values(FAMILIES).flatMap((f) => f.routing.rules.map((r) => r.team)))].sort();

const teamCaseIds = async (team: string): Promise<string[]> => {
  const ids: string[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const out = await dynamoDb.send(
      new QueryCommand({
        TableName: TABLE.name,
        IndexName: 'byTeam',
        KeyConditionExpression: 'gsi2pk = :pk',
        ExpressionAttributeValues: { ':pk': `TEAM#${team}` },
        ExclusiveStartKey: startKey,
      }),
    );
    for (const item of out.Items ?? []) {
      if (OPEN.includes(item.status as CaseRecord['status'])) ids.push(String(item.caseId));
    }
    startKey = out.LastEvaluatedKey;
  } while (startKey);
  return ids;
};

const getCases = async (ids: readonly string[]): Promise<CaseRecord[]> => {
  const records: CaseRecord[] = [];
  for (let i = 0; i < ids.length; i += 100) {
    let keys = ids.slice(i, i + 100).map((caseId) => ({ pk: `CASE#${caseId}`, sk: 'CASE' }));
    while (keys.length > 0) {
      const out = await dynamoDb.send(
        new BatchGetCommand({ RequestItems: { [TABLE.name]: { Keys: keys } } }),
      );
      records.push(...((out.Responses?.[TABLE.name] ?? []) as CaseRecord[]));
      keys = (out.UnprocessedKeys?.[TABLE.name]?.Keys ?? []) as typeof keys;
    }
  }
  return records;
};

/**
 * The SLA board: per team, the open cases whose resolution clock is breached or at risk (at least the
 * warning share used), soonest due first. Read from each team's queue (the byTeam index) and the cases.
 */
export const slaBoard = async (at: number) => {
  const teams = [];
  for (const team of allTeams()) {
    const cases = (await getCases(await teamCaseIds(team)))
      .flatMap((record) => {
        const clock = record.sla?.resolution;
        if (!clock) return [];
        const view = clockView(clock, at);
        if (view.state === 'stopped' || (!view.breached && view.shareUsed < WARN_AT)) return [];
        return [
          {
            caseId: record.caseId,
            family: record.family,
            status: record.status,
            sellerTier: record.sellerTier,
            risk: view.breached ? 'breached' : 'at_risk',
            dueAt: view.dueAt,
            usedHours: view.usedHours,
            leftHours: view.leftHours,
            clock: view.state,
            escalationLevel: record.escalationLevel ?? 0,
          },
        ];
      })
      .sort((a, b) => a.dueAt.localeCompare(b.dueAt));
    if (cases.length > 0)
      teams.push({
        team,
        breached: cases.filter((c) => c.risk === 'breached').length,
        atRisk: cases.filter((c) => c.risk === 'at_risk').length,
        cases,
      });
  }
  return { at: new Date(at).toISOString(), teams };
};
