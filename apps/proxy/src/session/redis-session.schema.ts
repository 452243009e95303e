import { z } from 'zod';

/** What the Redis session store reads back. Another process wrote it, so it is validated like input. */
export const storedSessionSchema = z.object({
  id: z.string(),
  prefix: z.string(),
  userDirectory: z.string(),
  userId: z.string(),
  attributes: z.record(z.string(), z.array(z.string())),
  anonymous: z.boolean(),
  createdAt: z.number(),
  csrfToken: z.string().min(32),
  ip: z.string().optional(),
  inactivityTimeoutMs: z.number().int().positive(),
});

export const endedMessageSchema = z.object({
  id: z.string().max(128),
  reason: z.enum(['logout', 'timeout', 'evicted']),
});
