import { existsSync, readFileSync } from 'node:fs';
import { writeFileAtomic } from '../fs/atomic-write.ts';
import { type ScheduleRecord, schedulesFileSchema } from './schedule-record.ts';

/**
 * Reads the schedules file.
 * @returns The stored schedules; none when the file does not exist yet.
 * @throws Error naming the file when it is not a schedules file.
 */
export function readSchedules(filePath: string): ScheduleRecord[] {
  if (!existsSync(filePath)) {
    return [];
  }
  let content: unknown;
  try {
    content = JSON.parse(readFileSync(filePath, 'utf8'));
  } catch (error) {
    throw new Error(`Schedules file ${filePath} is not JSON`, { cause: error });
  }
  const parsed = schedulesFileSchema.safeParse(content);
  if (!parsed.success) {
    throw new Error(`Schedules file ${filePath} does not hold schedules: ${parsed.error.message}`);
  }
  return parsed.data.schedules;
}

/** Replaces the schedules file atomically (a crash leaves the old or the new content, never a torn one). */
export function writeSchedules(filePath: string, schedules: Iterable<ScheduleRecord>): void {
  writeFileAtomic(filePath, `${JSON.stringify({ schedules: [...schedules] }, null, 2)}\n`);
}
