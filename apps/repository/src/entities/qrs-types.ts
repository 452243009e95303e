import { QRS_TYPES, type QrsResourceType, type QrsType } from '@trustzone/contracts';
import { invalid } from '../errors/service-errors';

/** The `/qrs/<type>` names and the rule resource types they stand for (security-rules.md), shared with the proxy. */
export { QRS_TYPES, type QrsType } from '@trustzone/contracts';
export type ResourceType = QrsResourceType;

const BY_RESOURCE = new Map<string, QrsType>(Object.entries(QRS_TYPES).map(([q, r]) => [r.toLowerCase(), q as QrsType]));

export function isQrsType(s: string): s is QrsType {
  return Object.hasOwn(QRS_TYPES, s);
}

/** A `type` field from the wire: QRS spelling (`app/object`) or rule spelling (`App.Object`), any case. */
export function parseQrsType(raw: string, field = 'type'): QrsType {
  const s = typeof raw === 'string' ? raw.trim().toLowerCase() : '';
  if (isQrsType(s)) return s;
  const byResource = BY_RESOURCE.get(s);
  if (byResource) return byResource;
  throw invalid(field, `unknown entity type '${String(raw).slice(0, 64)}'`);
}

/**
 * Management resources: every decision on them is audited, allowed or not (trust-zone.md "Audit
 * log": "every decision on management resources").
 */
export const MANAGEMENT_TYPES: ReadonlySet<ResourceType> = new Set<ResourceType>([
  'SystemRule',
  'User',
  'VirtualProxyConfig',
  'ServerNodeConfiguration',
  'DataConnection',
  'CustomPropertyDefinition',
  'UserDirectory',
]);

/** The audit log as a rule resource: ReadAudit needs Read on it (AuditAdmin's and RootAdmin's `*` rules). */
export const AUDIT_LOG_RESOURCE = { resourcetype: 'AuditLog', id: 'auditlog', name: 'Audit log', properties: {}, customProperties: {} } as const;

/** The site's certificates as a rule resource (the console's inventory): Read needs RootAdmin's or AuditAdmin's `*` rule. */
export const CERTIFICATES_RESOURCE = { resourcetype: 'Certificate', id: 'certificates', name: 'Site certificates', properties: {}, customProperties: {} } as const;
