import type { ActionName } from '../model/action-bits';
import { ACTION_BITS, ACTION_NAMES } from '../model/action-bits';
import type { Decision } from '../model/decision';
import type { RequestContext, Resource, User, Values } from '../model/subject';
import type { EngineCore, SessionOrFailure } from './engine-core';
import { bitOf, denyOnThrow, invalidRequest, openSession, toDecision } from './engine-core';

/**
 * Decisions for one user in one context, sharing the prepared user and the HasPrivilege memo —
 * what the repository holds for the duration of one API request. Never throws: malformed input
 * denies with reason 'invalid-request'.
 */
export class PreparedRequest {
  private readonly state: SessionOrFailure;

  constructor(core: EngineCore, user: User, context: RequestContext, environment?: Values) {
    this.state = openSession(core, user, context, environment);
  }

  decide(resource: Resource, action: ActionName | string): Decision {
    if ('failure' in this.state) return invalidRequest(this.state.failure);
    const bit = bitOf(action);
    if (typeof bit !== 'number') return invalidRequest(bit);
    try {
      return toDecision(this.state.session.run(resource, bit, false));
    } catch (error) {
      return denyOnThrow(error);
    }
  }

  isAllowed(resource: Resource, action: ActionName | string): boolean {
    return this.decide(resource, action).kind === 'allow';
  }

  /** The resources this user may `action` (e.g. the apps one user can read); order is kept. */
  filter<T extends Resource>(resources: readonly T[], action: ActionName | string): T[] {
    if ('failure' in this.state) return [];
    const bit = bitOf(action);
    if (typeof bit !== 'number' || !Array.isArray(resources)) return [];
    const session = this.state.session;
    const allowed: T[] = [];
    for (const resource of resources) {
      try {
        if (session.run(resource, bit, false).granted.length > 0) allowed.push(resource);
      } catch {
        // A malformed snapshot is simply not listed (denied), never an exception.
      }
    }
    return allowed;
  }

  /** Action names this user holds on the resource (what `?privileges=true` returns). */
  privileges(resource: Resource): ActionName[] {
    if ('failure' in this.state) return [];
    const session = this.state.session;
    return ACTION_NAMES.filter((name) => {
      try {
        return session.run(resource, ACTION_BITS[name], false).granted.length > 0;
      } catch {
        return false;
      }
    });
  }
}
