import { z } from 'zod';

/** Intake fields several families share, defined once so their rules and messages agree. */
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
