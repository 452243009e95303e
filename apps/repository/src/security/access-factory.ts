import type { CallContext } from '@trustzone/contracts';
import type { RepositoryAudit } from '../audit/repository-audit';
import type { ActingUsers } from './acting-user';
import type { RuleEngineCache } from './rule-engine-cache';
import { RequestAccess } from './request-access';

/** Opens the rule view of one call: resolve the asserted user, take the current compiled rules, prepare. */
export class AccessFactory {
  constructor(
    private readonly users: ActingUsers,
    private readonly rules: RuleEngineCache,
    private readonly audit: RepositoryAudit,
  ) {}

  async open(ctx: CallContext, operation: string): Promise<RequestAccess> {
    const actor = await this.users.resolve(ctx);
    const engine = await this.rules.get();
    return new RequestAccess(actor, engine.prepare(actor.user, actor.asserted.context), this.audit, ctx, operation, () => engine.prepare(actor.user, 'hub'));
  }
}
