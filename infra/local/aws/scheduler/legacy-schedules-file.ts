import { existsSync, readFileSync } from 'node:fs';
import { type ScheduleRecord, schedulesFileSchema } from './schedule-record.ts';

/**
 * Reads the JSON schedules file of earlier versions (`<dataDir>/schedules.json`, rewritten whole on every
 * change), which the local scheduler now imports once into its database.
 * @returns The stored schedules; none when the file does not exist.
 * @throws Error naming the file when it is not a schedules file.
 */
export function readLegacySchedules(filePath: string): ScheduleRecord[] {
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
