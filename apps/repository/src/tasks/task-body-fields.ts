import { z } from 'zod';

/**
 * Pieces of Qlik's task and event bodies. Clients send back what they read (Qlik's shapes carry
 * userSyncTask/externalProgramTask slots, operational state, event types), so those are accepted
 * when they say what trustzone has — a reload task, nothing else — and refused by name otherwise.
 */
export const onlyNull = z.null({ error: 'only reload tasks exist here; must be null' }).optional();
export const emptyList = z.array(z.unknown()).max(0, 'tags and custom properties on tasks are not supported; send []').optional();
export const literal = <T extends number>(value: T, what: string) => z.literal(value, { error: `must be ${value} (${what})` }).optional();

/** Qlik accepts enum numbers as JSON numbers or numeric strings ("2"); both are read as numbers. */
export const intLike = (min: number, max: number) =>
  z.union([z.number(), z.string().regex(/^\d{1,9}$/, 'must be a number')]).transform((v) => Number(v)).pipe(z.number().int().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`));

export const timeConstraintInput = z.strictObject({
  days: z.number().int().min(0).max(366).optional(),
  hours: z.number().int().min(0).max(24 * 366).optional(),
  minutes: z.number().int().min(0).max(60 * 24 * 366).optional(),
  seconds: z.number().int().min(0).max(3600 * 24 * 366).optional(),
});

export function constraintSeconds(t: z.output<typeof timeConstraintInput> | undefined): number {
  if (!t) return 360 * 60;
  return (t.days ?? 0) * 86_400 + (t.hours ?? 0) * 3600 + (t.minutes ?? 0) * 60 + (t.seconds ?? 0);
}

export function constraintJson(seconds: number) {
  return { days: Math.floor(seconds / 86_400), hours: Math.floor((seconds % 86_400) / 3600), minutes: Math.floor((seconds % 3600) / 60), seconds: seconds % 60 };
}
