import type { ProxyDeps } from '../client/proxy-deps';
import type { Exchange } from './exchange';
import type { Step } from './step';
import { edgeLimits } from './steps/edge-limits.step';
import { identify } from './steps/identify.step';
import { requestForgery } from './steps/request-forgery.step';
import { route } from './steps/route.step';
import { sessionCsrf } from './steps/session-csrf.step';
import { userLimit } from './steps/user-limit.step';
import { virtualProxy } from './steps/virtual-proxy.step';

/**
 * The proxy's one request pipeline. Every door — the client-facing port, the proxy API port and
 * the QIX websocket upgrade — runs every request through these steps, in this order; a step that
 * does not concern a door's request lets it continue (the step says why).
 *
 *   edge-limits      per-source budget                        429
 *   virtual-proxy    which virtual proxy, which route          404
 *   request-forgery  xrfkey pair (REST) / Origin (upgrade)     403
 *   identify         credential, session or certificate        401/403/503, writes login records
 *   session-csrf     the session's CSRF token (upgrade)        403
 *   user-limit       per-user budget                           429
 *   route            the door serves the request
 *
 * Nothing about the caller is looked up before the forgery checks pass; nothing is served before
 * the caller is identified. Refusals leave aggregated audit records (audit-aggregator.ts).
 */
export const PIPELINE: readonly Step[] = [edgeLimits, virtualProxy, requestForgery, identify, sessionCsrf, userLimit, route];

/** Runs one exchange through the pipeline; the door answers a refusal or a failure. Never rejects. */
export async function runPipeline<T>(x: Exchange<T>, deps: ProxyDeps): Promise<void> {
  const exchange = x as Exchange;
  try {
    for (const step of PIPELINE) {
      deps.observe.step?.(exchange.door.name, step.name);
      let result = step.run(exchange, deps);
      if (result instanceof Promise) result = await result;
      if (result.kind === 'refuse') {
        deps.aggregate.note({ ...result.audit, door: exchange.door.name, ip: exchange.ip, ...(exchange.vp ? { virtualProxy: exchange.vp.prefix } : {}) });
        answer(x, result.error);
        return;
      }
    }
  } catch (error) {
    answer(x, error);
  }
}

function answer<T>(x: Exchange<T>, error: unknown): void {
  try {
    x.door.refuse(x, error);
  } catch {
    x.req.socket.destroy(); // the connection is already gone or broken: nothing left to tell
  }
}
