import { z } from 'zod';
import { nowMs } from '#commons/clock.ts';

const DAY_MS = 86_400_000;
/** No marketplace event a seller reports is older than this. */
const EARLIEST = Date.parse('2000-01-01T00:00:00Z');
const dayStart = (day: string) => Date.parse(`${day}T00:00:00Z`);
/** Within bounds; text that is no date at all is left to the format check, so it is reported once. */
const within = (ms: number, from: number, to: number) => Number.isNaN(ms) || (ms >= from && ms <= to);

/** A day that has happened (YYYY-MM-DD), from 2000-01-01 to today, with a day's grace for time zones. */
export const pastDay = (error: string) =>
  z.iso.date({ error }).refine((day) => within(dayStart(day), EARLIEST, nowMs() + DAY_MS), {
    message: 'a day from 2000-01-01 to today',
  });

/** A moment that has happened (ISO 8601 UTC), from 2000 to now, with five minutes' grace for clock skew. */
export const pastInstant = (message: string) =>
  z.iso.datetime({ message }).refine((at) => within(Date.parse(at), EARLIEST, nowMs() + 300_000), {
    message: 'a moment from 2000-01-01 to now',
  });

/** A deadline (YYYY-MM-DD) within a year back and two years ahead: a card network's, say. */
export const deadlineDay = (error: string) =>
  z.iso
    .date({ error })
    .refine((day) => within(dayStart(day), nowMs() - 365 * DAY_MS, nowMs() + 2 * 365 * DAY_MS), {
      message: 'a day within a year back and two years ahead',
    });

export const amount = z
  .number()
  .min(0.01, 'at least 0.01')
  .max(10_000_000)
  .refine((n) => Math.abs(n * 100 - Math.round(n * 100)) < 1e-6, { message: 'at most two decimal places' });

export const currency = z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as USD');

export const money = { amount, currency } as const;

export const sellerEmail = z.email().max(254);

export const identifier = z.string().trim().min(1).max(64);

export const statement = z.string().trim().min(1).max(5000);

/**
 * How the case reached us: the seller portal's form, the marketplace's seller API (integrators), or a
 * support agent filing on the seller's behalf. Absent means the portal. The scoreboard segments by it.
 */
export const INTAKE_CHANNELS = ['portal', 'api', 'agent'] as const;
export type IntakeChannel = (typeof INTAKE_CHANNELS)[number];
export const channel = z.enum(INTAKE_CHANNELS, { error: `one of ${INTAKE_CHANNELS.join(', ')}` }).optional();
/** Cases filed before the channel was recorded, and intakes that leave it out, came through the portal. */
export const DEFAULT_CHANNEL: IntakeChannel = 'portal';
export const channelOf = (intake: { readonly channel?: IntakeChannel | undefined }): IntakeChannel =>
  intake.channel ?? DEFAULT_CHANNEL;
