import { z } from 'zod';
import { ACTION_BITS, ACTION_NAMES, type RuleEngine } from '@trustzone/rules';
import type { SiteCache } from '../cache/site-cache';
import type { EntityService } from '../entities/entity-service';
import { invalid } from '../errors/service-errors';
import { parseWith } from '../rpc/json-body';
import { userKind } from '../entities/kinds/user.kind';
import { computeAudit } from './audit-matrix';
import type { RequestAccess } from './request-access';

const ref = z.strictObject({ resourceFilter: z.string().max(4096).default(''), selection: z.string().max(64).optional() });
const properties = z.array(z.string().max(64)).max(32).default(['name']);

/** Qlik's AuditMatrixParameters (QRS "Security rule audit: Get audit rules matrix"). */
const qlikMatrixRequest = z.strictObject({
  resourceType: z.string().max(64),
  resourceRef: ref.default({ resourceFilter: '' }),
  subjectRef: ref.default({ resourceFilter: '' }),
  actions: z.number().int().min(1).max(0x3fff).default(2),
  environmentAttributes: z.string().max(4096).default(''),
  resourceProperties: properties,
  subjectProperties: z.array(z.string().max(64)).max(32).default(['name', 'userid', 'userdirectory']),
  auditLimit: z.number().int().min(1).max(100_000).default(1000),
  outputObjectsPrivileges: z.number().int().min(0).max(0x3fff).default(0),
  // trustzone: the context to audit in (Qlik audits the QMC's own view); hub or management.
  context: z.enum(['hub', 'management']).default('management'),
});

const bitsOf = (names: readonly string[]) => names.reduce((m, n) => m | (ACTION_BITS[n as keyof typeof ACTION_BITS] ?? 0), 0);
const namesOf = (mask: number) => ACTION_NAMES.filter((n) => (mask & ACTION_BITS[n]) !== 0);

/** `type1=value1;type2=value2` → session attributes (user.environment.*). */
function environmentOf(text: string): Record<string, string[]> | undefined {
  if (text.trim() === '') return undefined;
  const out: Record<string, string[]> = {};
  for (const pair of text.split(';')) {
    if (pair.trim() === '') continue;
    const eq = pair.indexOf('=');
    if (eq <= 0) throw invalid('body.environmentAttributes', 'must be type=value pairs separated by ;');
    (out[pair.slice(0, eq).trim()] ??= []).push(pair.slice(eq + 1).trim());
  }
  return out;
}

/** The requested output properties of an entity's JSON, keys as requested (Qlik lower-cases them: userid). */
function pick(json: Record<string, unknown>, wanted: readonly string[]): Record<string, unknown> {
  const byLower = new Map(Object.entries(json).map(([k, v]) => [k.toLowerCase(), v]));
  return Object.fromEntries(wanted.map((w) => [w, byLower.get(w.toLowerCase()) ?? null]));
}

/**
 * `POST /qrs/systemrule/security/audit/matrix` in Qlik's shapes: AuditMatrixParameters in, AuditMatrix
 * out — `subjects` and `resources` keyed by id (their requested properties, and with
 * `outputObjectsPrivileges` the caller's privileges on them among those bits), and `matrix` items
 * `{ resourceId, subjectId, audit: { access: <granted action bits> } }` for every pair with any grant,
 * at most `auditLimit` of them. `selection` (QMC selection sets) is not supported and refused.
 */
export async function auditMatrixQlik(cache: SiteCache, engine: RuleEngine, entities: EntityService, body: unknown, access: RequestAccess): Promise<string> {
  const req = parseWith(qlikMatrixRequest, body);
  if (req.resourceRef.selection !== undefined) throw invalid('body.resourceRef.selection', 'selection sets are not supported: use resourceFilter');
  if (req.subjectRef.selection !== undefined) throw invalid('body.subjectRef.selection', 'selection sets are not supported: use resourceFilter');
  const environment = environmentOf(req.environmentAttributes);
  const { kind, userRecords, resources, result } = await computeAudit(cache, engine, entities, {
    resourceType: req.resourceType,
    resourceFilter: req.resourceRef.resourceFilter,
    userFilter: req.subjectRef.resourceFilter,
    actions: namesOf(req.actions),
    context: req.context,
    ...(environment ? { environment } : {}),
    includeDisabled: false,
    fields: { resourceType: 'body.resourceType', resourceFilter: 'body.resourceRef.resourceFilter', userFilter: 'body.subjectRef.resourceFilter' },
  }, access);
  const matrix = result.cells
    .filter((c) => c.granted.length > 0)
    .slice(0, req.auditLimit)
    .map((c) => ({ resourceId: c.resourceId, subjectId: c.userId, audit: { access: bitsOf(c.granted.map((g) => g.action)) }, schemaPath: 'AuditMatrixItem' }));
  const shown = req.outputObjectsPrivileges !== 0;
  const privileges = (snapshot: Parameters<typeof access.prepared.privileges>[0]) => access.prepared.privileges(snapshot).filter((a) => (req.outputObjectsPrivileges & ACTION_BITS[a]) !== 0);
  const records = cache.records(kind.resourceType);
  const subjects = shown
    ? Object.fromEntries(userRecords.map((u) => [u.id, { subjectProperties: pick(entities.json(userKind, u) as Record<string, unknown>, req.subjectProperties), privileges: privileges(userKind.snapshot(cache, u)), schemaPath: 'AuditMatrixSubject' }]))
    : {};
  const out = shown
    ? Object.fromEntries(resources.map((r) => [r.id, { resourceProperties: pick(entities.json(kind, records.get(r.id) as never) as Record<string, unknown>, req.resourceProperties), privileges: privileges(r), schemaPath: 'AuditMatrixResource' }]))
    : {};
  return JSON.stringify({ schemaPath: 'AuditMatrix', subjects, resources: out, matrix });
}
