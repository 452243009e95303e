import { EdgeErrorCode } from '../edge/edge.error';
import type { VirtualProxyConfig } from '../virtual-proxy/virtual-proxy-config.schema';
import { NONE, reject } from './auth-result';
import type { AuthResult } from './auth-result';
import type { RequestFacts } from './request-facts';
import { singleQueryAnyCase } from './request-facts';
import type { TicketStore } from './ticket-store';

/**
 * `GET /[<prefix>/]…?qlikTicket=<ticket>` on a ticket virtual proxy. The ticket is consumed by the
 * lookup whatever happens next, so a ticket leaked through a Referer or a log is worth nothing twice.
 * Store failures propagate (EdgeError StoreUnavailable → 503): an outage is not "bad credentials".
 */
export async function authenticateTicket(facts: RequestFacts, config: Pick<VirtualProxyConfig, 'authenticationMethod' | 'prefix'>, tickets: TicketStore): Promise<AuthResult> {
  if (config.authenticationMethod !== 'ticket') return NONE;
  const param = singleQueryAnyCase(facts.query, 'qlikTicket');
  if (param.kind === 'absent') return NONE;
  if (param.kind === 'many') return reject(EdgeErrorCode.TicketInvalid, 'qlikTicket given more than once');
  const body = await tickets.redeem(param.value);
  if (!body) return reject(EdgeErrorCode.TicketInvalid, 'ticket unknown, expired or already redeemed');
  // A ticket is requested for one virtual proxy; redeeming it through another would bypass that
  // proxy's own settings (cookie, limits, engines), so it is refused.
  if (body.prefix !== config.prefix) return reject(EdgeErrorCode.TicketInvalid, 'ticket was issued for another virtual proxy');
  return {
    kind: 'authenticated',
    user: { userDirectory: body.userDirectory, userId: body.userId, attributes: body.attributes, anonymous: false },
    via: 'ticket',
    ...(body.targetId === undefined ? {} : { targetId: body.targetId }),
  };
}
