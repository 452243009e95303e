import { z } from 'zod';
import { EdgeError, EdgeErrorCode } from '../edge/edge.error';
import type { SessionAttributes } from './authenticated-user';
import { ATTRIBUTES_MAX_COUNT, buildAttributes, identityProblem, loginDirectoryProblem } from './identity-rules';

/**
 * The body of `POST /qps/[<prefix>/]ticket` (proxy-and-repository-api.md, "Ticket login"):
 * `{"UserDirectory","UserId","Attributes":[{"group":"Sales"}],"TargetId"}`. Names are trimmed and
 * must be non-empty without `\`; Attributes is a list of single-key objects with string values.
 * Unknown top-level keys are refused: a typo such as `"UserID"` must not silently log in nobody.
 */
export interface TicketRequest {
  userDirectory: string;
  userId: string;
  attributes: SessionAttributes;
  targetId?: string;
}

const identity = z
  .string()
  .max(1024)
  .transform((s) => s.trim())
  .superRefine((s, ctx) => {
    const problem = identityProblem(s);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

const singleKeyObject = z
  .record(z.string(), z.string())
  .refine((o) => Object.keys(o).length === 1, 'each attribute must be an object with exactly one key');

const bodySchema = z.strictObject({
  UserDirectory: identity.superRefine((s, ctx) => {
    const problem = loginDirectoryProblem(s);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  }),
  UserId: identity,
  Attributes: z.array(singleKeyObject).max(ATTRIBUTES_MAX_COUNT * 4).default([]),
  TargetId: z.string().regex(/^[A-Za-z0-9-]{1,64}$/, 'must be an id of [A-Za-z0-9-]').optional(),
});

export function parseTicketRequest(body: unknown): TicketRequest {
  const parsed = bodySchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = ['body', ...(issue?.path ?? []).map(String)].join('.');
    throw new EdgeError(EdgeErrorCode.InvalidRequest, `${field}: ${issue?.message ?? 'invalid'}`, { field });
  }
  const { UserDirectory, UserId, Attributes, TargetId } = parsed.data;
  const pairs = Attributes.map((o) => Object.entries(o)[0] as [string, string]);
  const attributes = buildAttributes(pairs, 'body.Attributes');
  return { userDirectory: UserDirectory, userId: UserId, attributes, ...(TargetId === undefined ? {} : { targetId: TargetId }) };
}
