import type { ServiceError } from '@trustzone/contracts';
import type { AggregatedEvent } from '../audit/audit-aggregator';
import type { ProxyDeps } from '../client/proxy-deps';
import type { EdgeError } from '../edge/edge.error';
import type { Exchange } from './exchange';

/**
 * One named step of the request pipeline. A step either lets the request continue or refuses it
 * with an error (its code decides the status, http-error.mapper.ts) and the audit record that the
 * refusal leaves. Refusals are counted per source, event and interval (audit-aggregator.ts), so
 * anyone may cause them without growing the audit trail by a record each.
 */
export type StepName = 'edge-limits' | 'virtual-proxy' | 'request-forgery' | 'identify' | 'session-csrf' | 'user-limit' | 'route';

export type RefusalAudit = Pick<AggregatedEvent, 'action' | 'outcome' | 'reason' | 'user'>;

export interface Refusal {
  kind: 'refuse';
  error: EdgeError | ServiceError;
  audit: RefusalAudit;
}

export const CONTINUE = { kind: 'continue' } as const;

export type StepResult = typeof CONTINUE | Refusal;

export interface Step {
  readonly name: StepName;
  /** Synchronous where it can be: the runner awaits only steps that return a promise. */
  run(x: Exchange, deps: ProxyDeps): StepResult | Promise<StepResult>;
}

export function refusal(error: EdgeError | ServiceError, audit: RefusalAudit): Refusal {
  return { kind: 'refuse', error, audit };
}
