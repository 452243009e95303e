import type { PeerIdentity, ServiceName } from './peer-identity';

/** Authorization of communication (trust-zone.md): which certificate identities may call an RPC. */
export type CallerRule = ((id: PeerIdentity) => boolean) & { readonly description: string };

function rule(description: string, test: (id: PeerIdentity) => boolean): CallerRule {
  return Object.assign(test, { description });
}

export const callers = {
  services: (...names: ServiceName[]): CallerRule =>
    rule(names.join('|'), (id) => id.kind === 'service' && names.includes(id.service)),
  integrations: (): CallerRule => rule('integration:*', (id) => id.kind === 'integration'),
  /** One named integration identity (e.g. the operator CLI, `tz-cli`). */
  integration: (name: string): CallerRule => rule(`integration:${name}`, (id) => id.kind === 'integration' && id.name === name),
  anyOf: (...rules: CallerRule[]): CallerRule => rule(rules.map((r) => r.description).join('|'), (id) => rules.some((r) => r(id))),
  /** Every identity of this site (health checks). */
  anyone: (): CallerRule => rule('*', () => true),
};

/**
 * - callers: who may invoke the method at all.
 * - user: whether an end-user assertion must ('required'), may ('optional') or must not ('none') ride
 *   along. An assertion is honoured only from `asserters` (default: the proxy) — anything else that
 *   asserts a user is refused and reported, even if it may call the method.
 */
export interface MethodPolicy {
  callers: CallerRule;
  user: 'none' | 'optional' | 'required';
  asserters?: CallerRule;
}

export const DEFAULT_ASSERTERS = callers.services('proxy');
