import type { CallContext } from '@trustzone/contracts';
import type { Decision, PreparedRequest, Resource } from '@trustzone/rules';
import { callActor, type RepositoryAudit } from '../audit/repository-audit';
import { denied, notFound } from '../errors/service-errors';
import { MANAGEMENT_TYPES, type ResourceType } from '../entities/qrs-types';
import type { Actor } from './acting-user';

/** Why a decision denied, for the audit trail (bounded: the record format caps reasons at 2000 chars). */
export function denialReason(d: Decision): string {
  if (d.kind === 'allow') return '';
  const errors = d.errors.map((e) => `${e.ruleName || 'request'}: ${e.code} ${e.message}`).join('; ');
  return `${d.reason}${errors ? ` (rule errors: ${errors})` : ''}`.slice(0, 2000);
}

/**
 * Security rule decisions for one call: the acting user prepared once (their properties resolved,
 * HasPrivilege memoised), every denial audited with the actor and the reason before the caller
 * hears about it, and allowed decisions on management resources audited too.
 */
export class RequestAccess {
  constructor(
    readonly actor: Actor,
    readonly prepared: PreparedRequest,
    private readonly audit: RepositoryAudit,
    readonly ctx: CallContext,
    /** The RPC, recorded with each decision. */
    private readonly operation: string,
    /** The same user's decisions in hub (app access) context, prepared on first use. */
    private readonly hubFactory: () => PreparedRequest = () => prepared,
  ) {}

  private hubPrepared: PreparedRequest | undefined;

  /** Decisions for this user in hub context, whatever context the call came in: app data access. */
  get hub(): PreparedRequest {
    this.hubPrepared ??= this.actor.asserted.context === 'hub' ? this.prepared : this.hubFactory();
    return this.hubPrepared;
  }

  decide(resource: Resource, action: string): Decision {
    return this.prepared.decide(resource, action);
  }

  canRead(resource: Resource): boolean {
    return this.prepared.isAllowed(resource, 'read');
  }

  /** Not readable → NotFound, exactly like a missing entity; the denial is still audited. */
  async requireReadable(resource: Resource, what: string): Promise<void> {
    await this.require(resource, 'read', () => notFound(what));
  }

  /** Throws PermissionDenied (or `fail()`) unless allowed; `details` go into a denial's audit record. */
  async require(resource: Resource, action: string, fail: () => Error = () => denied(`not allowed to ${action} this ${resource.resourcetype}`), details: Record<string, unknown> = {}): Promise<void> {
    const d = this.decide(resource, action);
    const target = { type: resource.resourcetype, id: resource.id };
    if (d.kind === 'deny') {
      await this.audit.record({ actor: callActor(this.ctx), action: 'access.denied', outcome: 'denied', target, reason: denialReason(d), details: { ...details, action, operation: this.operation, context: this.actor.asserted.context } });
      throw fail();
    }
    if (MANAGEMENT_TYPES.has(resource.resourcetype as ResourceType)) {
      await this.audit.record({ actor: callActor(this.ctx), action: 'access.granted', outcome: 'success', target, details: { action, operation: this.operation, context: this.actor.asserted.context, grantedBy: d.grantedBy } });
    }
  }

  /** Records a denial the caller learns about some other way (a list that silently omits, Authorize's answer). */
  async recordDenial(resource: Resource, action: string, d: Decision, reason = denialReason(d)): Promise<void> {
    await this.audit.record({ actor: callActor(this.ctx), action: 'access.denied', outcome: 'denied', target: { type: resource.resourcetype, id: resource.id }, reason, details: { action, operation: this.operation, context: this.actor.asserted.context } });
  }

  privileges(resource: Resource): string[] {
    return this.prepared.privileges(resource);
  }
}
