/** The shape of start's options as JSON; ranges are checked afterwards by resolveOptions. */
import { z } from 'zod';

const duration = z.string().min(1).max(32);

export const optionsSchema = z.strictObject({
  soak: duration.optional(),
  trailLag: duration.optional(),
  pendingWindowDays: z.number().optional(),
  minIdle: duration.optional(),
  approval: z.enum(['none', 'required']).optional(),
  allowExternalMaterial: z.boolean().optional(),
  acceptUnknownBeforeTracking: z.boolean().optional(),
});
