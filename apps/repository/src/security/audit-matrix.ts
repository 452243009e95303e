import { z } from 'zod';
import { compileQrsFilter, type RuleEngine, type User } from '@trustzone/rules';
import type { SiteCache } from '../cache/site-cache';
import { viaRules } from '../errors/rules-error.mapper';
import { ENTITY_KINDS } from '../entities/entity-kinds';
import type { EntityService } from '../entities/entity-service';
import { parseQrsType } from '../entities/qrs-types';
import { userKind } from '../entities/kinds/user.kind';
import { parseWith } from '../rpc/json-body';
import { customPropertyValues } from './resource-snapshots';
import type { RequestAccess } from './request-access';
import { requireRuleReader } from './rule-reader';

/** Upper bound of users × resources × actions per matrix: answers stay within a request's time. */
const MAX_EVALUATIONS = 500_000;

const attrs = z.record(z.string().max(128), z.array(z.string().max(1024)).max(64)).refine((r) => Object.keys(r).length <= 64, 'at most 64 attributes');
const matrixRequest = z.strictObject({
  resourceType: z.string().max(64),
  resourceFilter: z.string().max(4096).default(''),
  userFilter: z.string().max(4096).default(''),
  actions: z.array(z.string().max(32)).min(1).max(13).optional(),
  context: z.enum(['hub', 'management']).default('management'),
  environment: attrs.optional(),
  includeDisabled: z.boolean().default(false),
});

/** What both audit shapes ask: trustzone's own (below) and Qlik's AuditMatrixParameters (audit-matrix-qlik.ts). */
export interface AuditRequest {
  resourceType: string;
  resourceFilter: string;
  userFilter: string;
  actions?: string[];
  context: 'hub' | 'management';
  environment?: Record<string, string[]>;
  includeDisabled: boolean;
  /** Where the request's fields came from, for error fields (`body.resourceFilter` / `body.resourceRef.resourceFilter`). */
  fields: { resourceType: string; resourceFilter: string; userFilter: string };
}

/**
 * Users × resources with the granted actions and the granting rules. Only for callers who may read
 * the security rules, and only over users and resources the caller may read.
 */
export async function computeAudit(cache: SiteCache, engine: RuleEngine, entities: EntityService, req: AuditRequest, access: RequestAccess) {
  await requireRuleReader(access);
  const kind = ENTITY_KINDS[parseQrsType(req.resourceType, req.fields.resourceType)];
  const resourceFilter = req.resourceFilter.trim() ? viaRules(req.fields.resourceFilter, () => compileQrsFilter(req.resourceFilter)) : undefined;
  const userFilter = req.userFilter.trim() ? viaRules(req.fields.userFilter, () => compileQrsFilter(req.userFilter)) : undefined;
  await cache.load([...kind.needs, ...userKind.needs]);

  const resources = access.prepared
    .filter([...cache.records(kind.resourceType).values()].map((r) => kind.snapshot(cache, r)), 'read')
    .filter((s) => !resourceFilter || resourceFilter(entities.json(kind, cache.records(kind.resourceType).get(s.id) as Parameters<typeof kind.json>[1])));
  const userRecords = [...cache.records('User').values()]
    .filter((u) => access.canRead(userKind.snapshot(cache, u)))
    .filter((u) => !userFilter || userFilter(entities.json(userKind, u)));
  const users: User[] = userRecords.map((u) => ({
    id: u.id, userId: u.userId, userDirectory: u.userDirectory, name: u.name, email: u.email, roles: u.roles, groups: u.groups,
    customProperties: customPropertyValues(cache, u.customProperties), environment: {}, anonymous: false,
  }));
  const result = viaRules('body', () =>
    engine.audit({ users, resources, context: req.context, includeDisabled: req.includeDisabled, maxEvaluations: MAX_EVALUATIONS, ...(req.actions ? { actions: req.actions } : {}), ...(req.environment ? { environment: req.environment } : {}) }),
  );
  return { kind, userRecords, resources, result };
}

/**
 * security-rules.md "Audit": users × resources with the granted actions and, per cell, the rules
 * that granted them; rules that failed are listed with their error.
 */
export async function auditMatrix(cache: SiteCache, engine: RuleEngine, entities: EntityService, body: unknown, access: RequestAccess): Promise<string> {
  await requireRuleReader(access);
  const req = parseWith(matrixRequest, body);
  const { kind, userRecords, resources, result } = await computeAudit(cache, engine, entities, {
    ...req, fields: { resourceType: 'body.resourceType', resourceFilter: 'body.resourceFilter', userFilter: 'body.userFilter' },
  }, access);
  const rules = Object.fromEntries(engine.rules.map((r) => [r.id, r.name]));
  return JSON.stringify({
    resourceType: kind.resourceType,
    context: req.context,
    actions: result.actions,
    users: userRecords.map((u) => ({ id: u.id, userDirectory: u.userDirectory, userId: u.userId, name: u.name })),
    resources: resources.map((r) => ({ id: r.id, name: r.name, resourcetype: r.resourcetype })),
    rules,
    cells: result.cells,
    errors: result.errors,
    rejected: result.rejected,
  });
}
