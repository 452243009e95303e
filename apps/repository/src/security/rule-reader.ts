import type { Resource } from '@trustzone/rules';
import type { RequestAccess } from './request-access';

/**
 * The security rules as a whole, for operations that reveal them (explain, audit matrix): a
 * type-wide SystemRule resource, so `SystemRule_*` and `*` rules cover it but a rule naming one
 * particular rule id does not.
 */
export const RULE_SET_RESOURCE: Resource = { resourcetype: 'SystemRule', id: '00000000-0000-0000-0000-000000000000', name: 'security rules', properties: {}, customProperties: {} };

export function requireRuleReader(access: RequestAccess): Promise<void> {
  return access.require(RULE_SET_RESOURCE, 'read');
}
