import { z } from 'zod';
import { tailAuditLog } from '@trustzone/logging';
import { AUDIT_LOG_RESOURCE } from '../entities/qrs-types';
import { parseWith } from '../rpc/json-body';
import type { RequestAccess } from '../security/request-access';
import { callActor, type RepositoryAudit } from './repository-audit';

const date = z.string().max(64).transform((s, ctx) => {
  const d = new Date(s);
  if (Number.isNaN(d.getTime())) {
    ctx.addIssue({ code: 'custom', message: 'must be an ISO date' });
    return z.NEVER;
  }
  return d;
});

// The proxy forwards query parameters as strings (GET /qrs/audit?from=…&limit=…).
const filterSchema = z.strictObject({
  from: date.optional(),
  to: date.optional(),
  action: z.string().max(100).optional(),
  user: z.string().max(512).optional(),
  outcome: z.enum(['success', 'failure', 'denied', 'error']).optional(),
  targetId: z.string().max(256).optional(),
  limit: z.coerce.number().int().min(1).max(10_000).default(100),
});

/**
 * The newest audit records matching a filter, for AuditAdmin and RootAdmin: Read on the AuditLog
 * resource, which only their shipped `*` rules grant. Reading the trail is itself recorded.
 */
export async function readAudit(dir: string, audit: RepositoryAudit, body: unknown, access: RequestAccess): Promise<string> {
  await access.require(AUDIT_LOG_RESOURCE, 'read');
  const f = parseWith(filterSchema, body);
  const result = await tailAuditLog({
    dir,
    limit: f.limit,
    maxScan: 200_000,
    filter: {
      ...(f.from ? { since: f.from } : {}),
      ...(f.to ? { until: f.to } : {}),
      ...(f.action ? { action: f.action } : {}),
      ...(f.user ? { user: f.user } : {}),
      ...(f.outcome ? { outcome: f.outcome } : {}),
      ...(f.targetId ? { targetId: f.targetId } : {}),
    },
  });
  await audit.record({ actor: callActor(access.ctx), action: 'audit.read', outcome: 'success', details: { returned: result.entries.length, filter: { ...f, from: f.from?.toISOString(), to: f.to?.toISOString() } } });
  return JSON.stringify({ records: result.entries, incomplete: result.incomplete, malformed: result.malformed, scanned: result.scanned });
}
