import type { Resource } from '../model/subject';
import type { PreparedUser } from './prepared-user';

/** Answers `<path>.HasPrivilege(action)` with a recursive decision for the same user and context.
 *  Throws RulesError for cycles, excessive depth or a nested denial that involved rule errors. */
export interface PrivilegeOracle {
  hasPrivilege(resource: Resource, actionBit: number): boolean;
}

/** What a compiled condition reads: one per (request, resource) evaluation. */
export interface EvalScope {
  readonly user: PreparedUser;
  readonly resource: Resource;
  readonly oracle: PrivilegeOracle;
}
