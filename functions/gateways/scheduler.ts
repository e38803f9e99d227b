import { CreateScheduleCommand, DeleteScheduleCommand } from '@aws-sdk/client-scheduler';
import { scheduler } from '#commons/clients/scheduler.ts';
import { nowMs } from '#commons/clock.ts';
import { optionalEnv, requireEnv } from '#commons/config.ts';
import { ENV } from '#commons/env-names.ts';

/** Read when a schedule is created: only the functions that arm timers are given the scheduler's role. */
const config = () => ({
  role: requireEnv(ENV.schedulerRoleArn),
  group: optionalEnv(ENV.scheduleGroup, 'default'),
});
const group = () => optionalEnv(ENV.scheduleGroup, 'default');

/**
 * `at(…)` wants the time without zone or fraction, in UTC: rounded up to the whole second, so a schedule
 * never rings before the time it is for, and never set in the past (a send the outbox retried past its
 * time, or an alarm for a timer already due, rings now).
 */
const atExpression = (iso: string) => {
  const at = Math.max(Date.parse(iso), nowMs());
  return `at(${new Date(Math.ceil(at / 1000) * 1000).toISOString().slice(0, 19)})`;
};

/**
 * The one door to EventBridge Scheduler: a one-time schedule that invokes `target` (a function ARN) with
 * `input` at `at`, and deletes itself after. Creating a name that exists is harmless: the schedule is there.
 */
export const scheduleOnce = async (schedule: {
  readonly name: string;
  readonly at: string;
  readonly target: string;
  readonly input: unknown;
}): Promise<void> => {
  const { role, group } = config();
  try {
    await scheduler.send(
      new CreateScheduleCommand({
        Name: schedule.name,
        GroupName: group,
        ScheduleExpression: atExpression(schedule.at),
        ScheduleExpressionTimezone: 'UTC',
        FlexibleTimeWindow: { Mode: 'OFF' },
        ActionAfterCompletion: 'DELETE',
        Target: { Arn: schedule.target, RoleArn: role, Input: JSON.stringify(schedule.input) },
      }),
    );
  } catch (error) {
    if ((error as Error).name !== 'ConflictException') throw error;
  }
};

/** Deletes a schedule that is no longer needed; one that fired (and deleted itself) or is gone is fine. */
export const deleteSchedule = async (name: string): Promise<void> => {
  try {
    await scheduler.send(new DeleteScheduleCommand({ Name: name, GroupName: group() }));
  } catch (error) {
    if ((error as Error).name !== 'ResourceNotFoundException') throw error;
  }
};
